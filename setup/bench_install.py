"""setup/bench install: installing the addons on a big existing database (issue 14, item 2).

setup/bench install --customers 1000000 --orders 5000000 [--reuse]

1. builds (once; kept with --reuse) `crm_care_bench_install_base_<N>_<M>`: Odoo's dependencies of our addons
   only (the `plain` template), then the lifecycle bench data bulk-loaded with COPY
   (`bench_common.load_customers_and_orders`, Odoo's own columns only: our addons are not installed);
2. copies it to `crm_care_bench_install_<N>_<M>` and times, as a company would run it,
   `odoo-bin -i crm_lifecycle,crm_loyalty,crm_complaints --stop-after-init` (wall time, log kept), then the
   first nightly runs the installation triggers (first stages, first tiers, next birthdays), each in its
   own transaction as the crons run them.

The target (issue 14): installation + first stages + first tiers + next birthdays <= 5 minutes.
"""

import argparse
import logging
import os
import re
import subprocess
import sys
import time
from datetime import date

sys.path.insert(0, os.path.dirname(__file__))

from bench_common import db_exists, load_customers_and_orders, log, registry  # noqa: E402

import odoo  # noqa: E402
import odoo.sql_db  # noqa: E402

ADDONS = "crm_lifecycle,crm_loyalty,crm_complaints"
LOADED = "crm-care-bench-install-loaded"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=500_000)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--reuse", action="store_true", help="keep the loaded base database if it exists")
    parser.add_argument("--load-only", action="store_true", help="only build and load the base database")
    parser.add_argument("--keep", action="store_true", help="keep the installed database after the run")
    parser.add_argument("--addons", default=ADDONS)
    parser.add_argument("--sql-log", help="log every SQL statement of the first runs, with its duration, here")
    return parser.parse_args()


def db_comment(name):
    out = subprocess.run(
        [
            "psql",
            "-X",
            "-At",
            "-d",
            name,
            "-c",
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return out


def build_base(name, args):
    """The dependency template plus the bulk-loaded customers and orders (Odoo's columns only)."""
    if args.reuse and db_exists(name) and db_comment(name) == LOADED:
        log(f"  base database {name} kept (--reuse)")
        return
    subprocess.run(["dropdb", "--if-exists", "--force", name], check=True)
    subprocess.run(["createdb", "-T", os.environ["CRM_CARE_BENCH_TEMPLATE"], name], check=True)
    start = time.perf_counter()
    with registry(name).cursor() as cr:
        # Required columns of installed Odoo modules the loader does not fill (sale_stock's shipping policy):
        # their field default, as a column default for the time of the COPY.
        cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'sale_order' "
            "AND column_name = 'picking_policy'"
        )
        policy = bool(cr.rowcount)
        if policy:
            cr.execute("ALTER TABLE sale_order ALTER COLUMN picking_policy SET DEFAULT 'direct'")
        partners, orders, __ = load_customers_and_orders(cr, args.customers, args.orders, args.seed, date.today())
        if policy:
            cr.execute("ALTER TABLE sale_order ALTER COLUMN picking_policy DROP DEFAULT")
        cr.commit()
    odoo.sql_db.close_db(name)
    subprocess.run(["psql", "-X", "-q", "-d", name, "-c", "VACUUM ANALYZE"], check=True)
    subprocess.run(
        ["psql", "-X", "-q", "-d", "postgres", "-c", f"COMMENT ON DATABASE {name} IS '{LOADED}'"], check=True
    )
    log(f"  loaded {partners:,} partners and {orders:,} orders in {time.perf_counter() - start:.1f} s")


def main():
    args = parse_args()
    size = f"{args.customers}_{args.orders}"
    base = f"crm_care_bench_install_base_{size}"
    db = f"crm_care_bench_install_{size}"
    log(f"Installation benchmark: {args.customers:,} customers, {args.orders:,} orders, base {base}")
    build_base(base, args)
    if args.load_only:
        return
    subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)
    start = time.perf_counter()
    subprocess.run(["createdb", "-T", base, db], check=True)
    log(f"  copy of the base database: {time.perf_counter() - start:.1f} s (not counted)")
    run_install(db, args)
    if not args.keep:
        subprocess.run(["dropdb", "--if-exists", "--force", db], check=True)


def run_install(db, args):
    logdir = os.environ.get("CRM_CARE_BENCH_LOGS", "/work/bench-logs")
    os.makedirs(logdir, exist_ok=True)
    logfile = os.path.join(logdir, f"{db}-install.log")
    odoo_bin = os.path.join(os.environ["ODOO_SRC"], "odoo-bin")
    cmd = [
        sys.executable,
        odoo_bin,
        "-c",
        os.environ["CRM_CARE_ODOO_CONF"],
        "-d",
        db,
        "-i",
        args.addons,
        "--stop-after-init",
        "--log-level=info",
        "--logfile",
        logfile,
    ]
    open(logfile, "w").close()  # noqa: SIM115 - odoo-bin appends to its log file
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    install = time.perf_counter() - start
    log(f"  odoo-bin -i {args.addons} --stop-after-init: {install:.1f} s (log: {logfile})")
    slowest_steps(logfile)
    first = first_runs(db, args.sql_log)
    total = install + sum(first.values())
    log(f"  -> installation + first runs: {total:.1f} s ({total / 60:.2f} min; target <= 5 min)")


def first_runs(db, sql_log=None):
    """The runs the installation triggers, timed: each cron's method called to its end (as the cron does it
    over several slices of its time budget, committing chunk by chunk)."""
    timings = {}
    reg = registry(db)
    if sql_log:
        handler = logging.FileHandler(sql_log, mode="w")
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logging.getLogger("odoo.sql_db").addHandler(handler)
        logging.getLogger("odoo.sql_db").setLevel(logging.DEBUG)
        logging.getLogger("odoo.sql_db").propagate = False
    with reg.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        jobs = [
            ("first stages (lifecycle refresh)", "crm_lifecycle.ir_cron_lifecycle_refresh"),
            ("first tiers (tier evaluation)", "crm_loyalty.ir_cron_loyalty_evaluate_tiers"),
        ]
        for label, xmlid in jobs:
            cron = env.ref(xmlid, raise_if_not_found=False)
            if not cron:
                continue
            pending = env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
            start = time.perf_counter()
            cron.ir_actions_server_id.run()
            cr.commit()
            timings[label] = time.perf_counter() - start
            log(f"  {label}: {timings[label]:.1f} s ({pending} trigger(s) pending after the installation)")
        cr.execute("SELECT COUNT(*) FROM res_partner WHERE lifecycle_stage_id IS NOT NULL")
        log(f"  customers with a stage: {cr.fetchone()[0]:,}")
        cr.execute("SELECT COUNT(*) FROM res_partner WHERE loyalty_tier_id IS NOT NULL")
        log(f"  customers with a tier: {cr.fetchone()[0]:,}")
        cr.execute("SELECT COUNT(*) FROM res_partner WHERE next_birthday IS NOT NULL")
        log(f"  customers with a next birthday: {cr.fetchone()[0]:,}")
    odoo.sql_db.close_db(db)
    return timings


def slowest_steps(logfile, top=12):
    """The longest gaps between consecutive log lines of the installation: where its time goes."""
    stamp = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) ")
    previous = None
    gaps = []
    with open(logfile, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            match = stamp.match(line)
            if not match:
                continue
            moment = time.mktime(time.strptime(match.group(1)[:19], "%Y-%m-%d %H:%M:%S"))
            moment += int(match.group(1)[20:]) / 1000
            if previous is not None:
                gaps.append((moment - previous[0], previous[1].strip()[:220]))
            previous = (moment, line)
    for gap, line in sorted(gaps, reverse=True)[:top]:
        log(f"    {gap:7.1f} s after: {line}")


if __name__ == "__main__":
    main()
