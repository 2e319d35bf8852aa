"""setup/bench night: the whole night of CRM Care jobs, memory per job, and on a real multi-process server.

setup/bench night --customers 100000 --orders 500000 [--reuse] [--server] [--inprocess]

Starts from the installation bench's database (`setup/bench install ... --keep`: Odoo's dependencies, the bulk
loaded customers and orders, the three addons installed, first stages and tiers), adds once what the night
works on (`crm_care_bench_night_<N>_<M>`): the loyalty bench's tier ladder, membership program (12 months of
validity) and one card per customer with two history lines, the care bench's ten campaigns, two segments.
Then, each on a fresh copy of that database:

--inprocess  the five nightly jobs one after the other in this process, each as its cron calls it: wall
             time and peak resident memory of the process during the job (VmHWM, reset before each job
             through /proc/self/clear_refs) — issue 14 item 4, target <= 1 GiB per job at 1,000,000 customers;
--server     the same night on a real server, `odoo-bin --workers 2 --max-cron-threads T` for T = 1 then 2:
             the five jobs made due at once (nextcall in the past), wall time until every one has finished
             (rescheduled to tomorrow), which cron worker ran which job, and checks that nothing was done
             twice (one finished run per job and day, one expiry per lot, one touch per key) — item 5.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(__file__))

from bench_common import db_exists, log, registry, timed, upgrade_bench_db  # noqa: E402
from freezegun import freeze_time  # noqa: E402

import odoo  # noqa: E402
import odoo.sql_db  # noqa: E402
from odoo.tools import SQL  # noqa: E402

PREPARED = "crm-care-bench-night-prepared"
# (label, cron xml id, method called in-process)
JOBS = [
    ("lifecycle refresh", "crm_lifecycle.ir_cron_lifecycle_refresh", ("crm.lifecycle.run", "_cron_refresh")),
    ("segments", "crm_lifecycle.ir_cron_segment_refresh", ("crm.segment", "_cron_refresh_segments")),
    ("care planning and execution", "crm_lifecycle.ir_cron_care_campaigns", ("crm.care.campaign", "_cron_care")),
    ("tier evaluation", "crm_loyalty.ir_cron_loyalty_evaluate_tiers", ("crm.loyalty.run", "_cron_evaluate_tiers")),
    ("points expiry", "crm_loyalty.ir_cron_loyalty_expire_points", ("loyalty.card", "_cron_expire_loyalty_points")),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=500_000)
    parser.add_argument("--reuse", action="store_true", help="keep the prepared night database if it exists")
    parser.add_argument("--inprocess", action="store_true")
    parser.add_argument("--server", action="store_true")
    parser.add_argument("--threads", default="1,2", help="cron threads to measure with --server")
    parser.add_argument("--history-per-card", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=1800, help="seconds to wait for a server night")
    parser.add_argument("--keep", action="store_true", help="keep the server nights' databases")
    parser.add_argument(
        "--resume-prepare", action="store_true", help="go on with a preparation interrupted after the first tiers"
    )
    return parser.parse_args()


def psql_value(db, query):
    return subprocess.run(
        ["psql", "-X", "-At", "-d", db, "-c", query], check=True, capture_output=True, text=True
    ).stdout.strip()


def copy_db(source, target):
    odoo.sql_db.close_db(source)
    subprocess.run(["dropdb", "--if-exists", "--force", target], check=True)
    subprocess.run(["createdb", "-T", source, target], check=True)


def prepare(args, night):
    """The installed bench database after its first full night (today): tiers, cards, campaigns, segments
    and the expiry catch-up done, so that the measured night (tomorrow) is an ordinary one."""
    if (
        args.reuse
        and db_exists(night)
        and psql_value(
            night, "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        )
        == PREPARED
    ):
        with timed(f"night database {night} kept (--reuse), upgraded to the addons' current code"):
            upgrade_bench_db(night)
        return
    source = f"crm_care_bench_install_{args.customers}_{args.orders}"
    if not db_exists(source):
        sys.exit(
            f"{source} is missing: run setup/bench install --customers {args.customers} "
            f"--orders {args.orders} --keep first"
        )
    resume = args.resume_prepare and db_exists(night)
    if not resume:
        copy_db(source, night)
    from bench_care import setup_campaigns  # noqa: PLC0415 - the care bench's campaigns
    from bench_loyalty import load_cards_and_history, reset_loyalty, setup_loyalty  # noqa: PLC0415

    started = time.perf_counter()
    with registry(night).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env.company.partner_id.tz = "UTC"
        today = env.company._get_lifecycle_today()[0]
        cr.execute("SELECT MIN(id), COUNT(*) FROM res_partner WHERE name LIKE 'Bench Customer %'")
        first, count = cr.fetchone()
        if resume:  # cards, history and first tiers were committed by the interrupted preparation
            program = env.company.loyalty_program_id
            lines = env["loyalty.history"].search_count([])
        else:
            program = setup_loyalty(env)
            env.flush_all()
            lines = load_cards_and_history(cr, program.id, first, count, count * args.history_per_card, 20261130, today)
            # The tier ladder as if it had been there at installation: the first evaluation again (set-based).
            reset_loyalty(cr)
            env.invalidate_all()
            env["crm.loyalty.run"]._cron_evaluate_tiers()
        cr.execute(
            """UPDATE res_partner p SET loyalty_member_card_id = c.id
                 FROM loyalty_card c
                WHERE c.partner_id = p.id AND c.program_id = %s AND p.loyalty_member_card_id IS NULL""",
            [program.id],
        )
        # Birthdays spread over the year and addresses, for the care campaigns.
        cr.execute(
            """UPDATE res_partner SET birthday = DATE '1950-01-01' + (id::bigint * 7919 % 20000)::int,
                      email = 'bench' || id || '@example.com', email_normalized = 'bench' || id || '@example.com'
                WHERE name LIKE 'Bench Customer %'"""
        )
        env.invalidate_all()
        env["res.partner"]._care_roll_next_birthdays(today)
        campaigns = setup_campaigns(env)
        # A periodic campaign's first period reaches its whole segment at once: not an ordinary night.
        campaigns.filtered(lambda c: c.kind == "periodic").active = False
        env["crm.segment"].create({"name": "Bench at risk", "domain": "[('lifecycle_stage_id.code', '=', 'at_risk')]"})
        # Tonight's jobs, done: segments refreshed, campaigns planned up to today, points expired up to today.
        env["crm.segment"]._cron_refresh_segments()
        campaigns.write({"date_last_planned": today})
        env["loyalty.card"]._cron_expire_loyalty_points()
        cr.commit()
    odoo.sql_db.close_db(night)
    subprocess.run(["psql", "-X", "-q", "-d", night, "-c", "VACUUM ANALYZE"], check=True)
    subprocess.run(
        ["psql", "-X", "-q", "-d", "postgres", "-c", f"COMMENT ON DATABASE {night} IS '{PREPARED}'"], check=True
    )
    log(
        f"  prepared {night} (first night done today): {count:,} cards, {lines:,} history lines, tiers, "
        f"campaigns, segments in {time.perf_counter() - started:.0f} s"
    )


def _status_kib(field):
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak():
    """Reset VmHWM (the peak resident set) to the current resident set (Linux >= 4.0)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
        clear.write("5")


def inprocess(night):
    scratch = f"{night}_inprocess"
    copy_db(night, scratch)
    results = []
    try:
        reg = registry(scratch)
        with reg.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            env["res.partner"].search_count([])  # the registry and caches warm, as in a cron worker
            log(f"  process resident memory before the night: {_status_kib('VmRSS') / 1024:.0f} MiB")
            tomorrow = env.company._get_lifecycle_today()[0] + timedelta(days=1)
            log(f"  the night of {tomorrow} (the day after the prepared first night)")
            for label, __, (model, method) in JOBS:
                env.invalidate_all()
                _reset_peak()
                start = time.perf_counter()
                with freeze_time(datetime.combine(tomorrow, datetime.min.time()) + timedelta(hours=1), tick=True):
                    getattr(env[model], method)()
                cr.commit()
                elapsed = time.perf_counter() - start
                peak = _status_kib("VmHWM") / 1024
                results.append((label, elapsed, peak))
                log(
                    f"  {label}: {elapsed:.1f} s, peak resident memory {peak:.0f} MiB (resident now "
                    f"{_status_kib('VmRSS') / 1024:.0f} MiB, virtual now {_status_kib('VmSize') / 1024:.0f} MiB)"
                )
        log(
            f"  -> serial night in one process: {sum(r[1] for r in results):.1f} s; highest peak "
            f"{max(r[2] for r in results):.0f} MiB (target <= 1024 MiB per job); peak virtual size of the "
            f"process {_status_kib('VmPeak') / 1024:.0f} MiB (what Odoo's limit_memory_soft compares)"
        )
    finally:
        odoo.sql_db.close_db(scratch)
        subprocess.run(["dropdb", "--if-exists", "--force", scratch], check=True)
    return results


def _make_due(db):
    """Our five nightly jobs due now, Odoo's other jobs not before tomorrow (so the night is ours alone)."""
    with registry(db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        ours = env["ir.cron"]
        for __, xmlid, __ in JOBS:
            ours |= env.ref(xmlid)
        past = datetime.now() - timedelta(hours=1)
        tomorrow = datetime.now() + timedelta(days=1)
        cr.execute(SQL("UPDATE ir_cron SET nextcall = %s WHERE id NOT IN %s AND active", tomorrow, tuple(ours.ids)))
        cr.execute(SQL("UPDATE ir_cron SET nextcall = %s, lastcall = NULL WHERE id IN %s", past, tuple(ours.ids)))
        cr.execute("DELETE FROM ir_cron_trigger")
        cr.execute("DELETE FROM ir_cron_progress")
        cr.commit()
        return {cron.id: label for (label, __, __), cron in zip(JOBS, ours, strict=True)}


def server_night(night, threads, timeout, keep=False):
    scratch = f"{night}_t{threads}"
    copy_db(night, scratch)
    crons = _make_due(scratch)
    odoo.sql_db.close_db(scratch)
    logdir = os.environ.get("CRM_CARE_BENCH_LOGS", "/work/bench-logs")
    logfile = os.path.join(logdir, f"{scratch}-server.log")
    open(logfile, "w").close()  # noqa: SIM115
    port = str(int(os.environ.get("CRM_CARE_TEST_HTTP_PORT", "18208")) + 100 + threads)
    cmd = [
        sys.executable,
        os.path.join(os.environ["ODOO_SRC"], "odoo-bin"),
        "-c",
        os.environ["CRM_CARE_ODOO_CONF"],
        "-d",
        scratch,
        "--db-filter",
        f"^{scratch}$",
        "--workers",
        "2",
        "--max-cron-threads",
        str(threads),
        "--http-port",
        port,
        "--gevent-port",
        str(int(port) + 1000),
        "--limit-time-real-cron",
        "0",
        "--log-level",
        "info",
        "--logfile",
        logfile,
    ]
    # The night after the prepared one: the server's clock one day ahead (libfaketime; PostgreSQL's own
    # clock is not moved, the jobs compute their day in Python).
    cmd = ["faketime", "-f", "+1d", *cmd]
    start = time.time()
    server = subprocess.Popen(cmd, start_new_session=True)  # noqa: S603
    ids = tuple(crons)
    finished_at = None
    try:
        while time.time() - start < timeout:
            time.sleep(3)
            # A job is finished when it is rescheduled for its next day (Odoo reschedules with the database's
            # clock; a job partially done is due again at once).
            done = psql_value(
                scratch,
                f"SELECT COUNT(*) FROM ir_cron WHERE id IN {ids} AND lastcall IS NOT NULL "  # noqa: S608
                f"AND nextcall > NOW() AT TIME ZONE 'UTC' + INTERVAL '12 hours' "
                f"AND NOT EXISTS (SELECT 1 FROM ir_cron_trigger t WHERE t.cron_id = ir_cron.id)",
            )
            if int(done) == len(ids):
                finished_at = time.time()
                break
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    wall = (finished_at or time.time()) - start
    log(
        f"  --max-cron-threads {threads}: whole night {wall:.1f} s"
        f"{'' if finished_at else ' (NOT finished before the timeout)'} (log {logfile})"
    )
    report_server_log(logfile, crons)
    checks(scratch)
    if not keep:
        subprocess.run(["dropdb", "--if-exists", "--force", scratch], check=True)
    return wall


def report_server_log(logfile, crons):
    """Which process ran which job, how many slices (Odoo runs a job in slices of its time budget)."""
    pattern = re.compile(
        r"^\S+ \S+ (\d+) INFO \S+ odoo\.addons\.base\.models\.ir_cron: Job ['\"](.+?)['\"] \((\d+)\) "
        r"(starting|[\w. ]+? \(#loop.*duration ([\d.]+)s\))"
    )
    slices = {}
    moments = []
    with open(logfile, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            match = pattern.match(line)
            if not match or int(match.group(3)) not in crons:
                continue
            moments.append(datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S"))
            pid, job_id = match.group(1), int(match.group(3))
            if match.group(5):
                entry = slices.setdefault(crons[job_id], {"pids": set(), "slices": 0, "seconds": 0.0})
                entry["pids"].add(pid)
                entry["slices"] += 1
                entry["seconds"] += float(match.group(5))
    if moments:
        log(
            f"    from the first job's start to the last job's end: "
            f"{(max(moments) - min(moments)).total_seconds():.0f} s "
            f"(the rest is the server's start and the cron worker's first wake-up)"
        )
    for label, entry in slices.items():
        log(
            f"    {label}: {entry['slices']} slice(s), {entry['seconds']:.1f} s, cron worker pid(s) "
            f"{', '.join(sorted(entry['pids']))}"
        )


def checks(db):
    """Nothing done twice: one finished run per job and day, one expiry line per card and date, touches once
    (their unique key)."""
    last_two = "SELECT string_agg(d || ': ' || n, ', ') FROM ({} ORDER BY 1 DESC LIMIT 2) r"
    queries = {
        "lifecycle runs done per date (last 2)": last_two.format(
            "SELECT date d, COUNT(*) n FROM crm_lifecycle_run WHERE state = 'done' GROUP BY date"
        ),
        "lifecycle runs cancelled": "SELECT COUNT(*) FROM crm_lifecycle_run WHERE state = 'cancel'",
        "tier runs done per date (last 2)": last_two.format(
            "SELECT date d, COUNT(*) n FROM crm_loyalty_run WHERE state = 'done' GROUP BY date"
        ),
        "cards with two expiry lines for one date": """SELECT COUNT(*) FROM (SELECT card_id FROM loyalty_history
              WHERE crm_loyalty_expiry_date IS NOT NULL
              GROUP BY card_id, crm_loyalty_expiry_date HAVING COUNT(*) > 1) d""",
        "expiry lines per creation day (last 2)": last_two.format(
            """SELECT create_date::date d, COUNT(*) n FROM loyalty_history
                WHERE crm_loyalty_expiry_date IS NOT NULL GROUP BY 1"""
        ),
        "touches by state": """SELECT string_agg(state || ' ' || n, ', ')
              FROM (SELECT state, COUNT(*) n FROM crm_care_touch GROUP BY state) s""",
        "touches planned for the night's date": """SELECT COUNT(*) FROM crm_care_touch
              WHERE date_planned = (SELECT MAX(date_planned) FROM crm_care_touch)""",
        "emails queued (mail.mail)": "SELECT COUNT(*) FROM mail_mail",
        "segments by refresh day": """SELECT string_agg(d || ': ' || n, ', ')
              FROM (SELECT date_refreshed::date d, COUNT(*) n FROM crm_segment GROUP BY 1) r""",
    }
    for label, query in queries.items():
        try:
            log(f"    {label}: {psql_value(db, query)}")
        except subprocess.CalledProcessError:
            log(f"    {label}: (query failed)")


def main():
    args = parse_args()
    night = f"crm_care_bench_night_{args.customers}_{args.orders}"
    log(f"Night benchmark: {args.customers:,} customers, {args.orders:,} orders, database {night}")
    prepare(args, night)
    if args.inprocess:
        inprocess(night)
    if args.server:
        walls = {int(t): server_night(night, int(t), args.timeout, args.keep) for t in args.threads.split(",")}
        if 1 in walls and 2 in walls:
            log(f"  -> night on one cron thread {walls[1]:.1f} s, on two {walls[2]:.1f} s: {walls[1] / walls[2]:.2f}x")


if __name__ == "__main__":
    main()
