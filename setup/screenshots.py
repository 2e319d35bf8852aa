"""Take the README's screenshots from a running CRM Care demo (setup/demo) with headless Chromium.

    python setup/screenshots.py [--url http://localhost:8069] [--lang en_US|zh_CN]

Logs in through Odoo's JSON-RPC — in English as admin/admin, in Chinese as the demo's customer-service agent
kefu/kefu (客服, whose interface is in Chinese) — hands the session cookie to Chromium over the DevTools
protocol, opens each page and saves docs/screenshots/<name>.png (English) or docs/screenshots/zh_CN/<name>.png.
Chinese needs a CJK font for Chromium (Debian: apt-get install fonts-noto-cjk).
"""

import argparse
import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

PAGES = [
    ("customers_kanban", "/odoo/action-crm_lifecycle.crm_lifecycle_customer_action"),
    ("customer_analysis", "/odoo/action-crm_lifecycle.crm_lifecycle_customer_analysis_action"),
    ("segments", "/odoo/action-crm_lifecycle.crm_segment_action"),
    ("campaigns", "/odoo/action-crm_lifecycle.crm_care_campaign_action"),
    ("loyalty_members", "/odoo/action-crm_loyalty.crm_loyalty_member_action"),
    ("complaints_kanban", "/odoo/action-crm_complaints.crm_complaint_action"),
]


# The user who takes the screenshots of each language: (login, password)
USERS = {"en_US": ("admin", "admin"), "zh_CN": ("kefu", "kefu")}


def has_font(lang):
    """Whether fontconfig knows a font for `lang` (Chromium draws boxes for Chinese without one)."""
    if lang == "en_US":
        return True
    fonts = subprocess.run(["fc-list", f":lang={lang.split('_')[0]}"], capture_output=True, text=True, check=False)
    return bool(fonts.stdout.strip())


def login(url, db, user="admin", password="admin"):
    body = json.dumps({"jsonrpc": "2.0", "params": {"db": db, "login": user, "password": password}}).encode()
    request = urllib.request.Request(
        f"{url}/web/session/authenticate", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310 - a local demo server
        cookie = response.headers["Set-Cookie"]
    return cookie.split("session_id=")[1].split(";")[0]


def rpc(url, session, model, method, args):
    body = json.dumps(
        {"jsonrpc": "2.0", "params": {"model": model, "method": method, "args": args, "kwargs": {}}}
    ).encode()
    request = urllib.request.Request(
        f"{url}/web/dataset/call_kw",
        data=body,
        headers={"Content-Type": "application/json", "Cookie": f"session_id={session}"},
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310 - a local demo server
        return json.load(response).get("result")


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp()
        self.process = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--remote-debugging-port=9333",
                f"--user-data-dir={self.profile}",
                "--window-size=1440,900",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for __ in range(50):
            try:
                with urllib.request.urlopen("http://127.0.0.1:9333/json") as response:  # noqa: S310
                    targets = json.load(response)
                break
            except OSError:
                time.sleep(0.2)
        page = next(target for target in targets if target["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def wait_for(self, selector, timeout=90):
        """Wait until `selector` matches in the page and Odoo shows no loading indicator (a busy machine may
        take long to build the assets of a language the first time)."""
        found = f"!!document.querySelector({selector!r}) && !document.querySelector('.o_loading_indicator')"
        end = time.time() + timeout
        while time.time() < end:
            if self.call("Runtime.evaluate", expression=found).get("result", {}).get("value"):
                return True
            time.sleep(0.5)
        return False

    def close(self):
        self.ws.close()
        self.process.terminate()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="crm_care_demo")
    parser.add_argument("--lang", default="en_US", choices=sorted(USERS))
    parser.add_argument("--out", help="folder of the images (default docs/screenshots, /zh_CN for Chinese)")
    args = parser.parse_args()
    out = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    out = Path(args.out) if args.out else out if args.lang == "en_US" else out / args.lang
    out.mkdir(parents=True, exist_ok=True)
    if not has_font(args.lang):
        parser.error(f"no font for {args.lang}: install one (Debian: apt-get install fonts-noto-cjk)")
    session = login(args.url, args.db, *USERS[args.lang])
    browser = Browser()
    try:
        host = args.url.split("//")[1].split(":")[0]
        browser.call("Network.enable")
        browser.call("Network.setCookie", name="session_id", value=session, domain=host, path="/")
        browser.call("Emulation.setDeviceMetricsOverride", width=1440, height=900, deviceScaleFactor=1, mobile=False)
        pages = [(name, path, None) for name, path in PAGES]
        partner_id = rpc(args.url, session, "res.partner", "search", [[("name", "=", "Jade River Trading")]])
        if partner_id:
            path = f"/odoo/action-crm_lifecycle.crm_lifecycle_customer_action/{partner_id[0]}"
            pages.insert(1, ("customer_value", path, ".o_notebook_headers a[name='crm_lifecycle']"))
        browser.call("Page.navigate", url=args.url + "/odoo")  # the first load builds the assets
        browser.wait_for(".o_main_navbar", timeout=180)
        for name, path, click in pages:
            browser.call("Page.navigate", url=args.url + path)
            if not browser.wait_for(".o_action_manager .o_view_controller"):
                print(f"{name}: the page did not load, its screenshot shows what there is")
            time.sleep(2)  # charts and avatars
            if click:  # open a notebook tab
                browser.wait_for(click)
                found = f"document.querySelector({click!r})"
                browser.call("Runtime.evaluate", expression=f"{found} && {found}.click()")
                time.sleep(2)
            shot = browser.call("Page.captureScreenshot", format="png")
            Path(out, f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
            print(f"saved {name}.png")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
