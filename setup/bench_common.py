"""Shared pieces of the setup/bench_*.py benchmarks: database creation, COPY loaders, timing."""

import argparse
import contextlib
import io
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta

import odoo
from odoo.tools import config


def parse_args(defaults, description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--customers", type=int, default=defaults["customers"])
    parser.add_argument("--orders", type=int, default=defaults["orders"])
    parser.add_argument("--reuse", action="store_true", help="keep the bench database if it exists")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--skip-naive", action="store_true", help="skip the slow naive ORM reference")
    parser.add_argument("--later-days", type=int, default=30, help="days to jump for the time-driven run")
    return parser.parse_args()


def log(message):
    print(message, flush=True)


@contextlib.contextmanager
def timed(label, results=None):
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    if results is not None:
        results.append(elapsed)
    log(f"  {label}: {elapsed:.2f} s")


def psql(*args):
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", *args], check=True)


def db_exists(name):
    out = subprocess.run(
        ["psql", "-X", "-At", "-d", "postgres", "-c", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return out == "1"


def _odoo_bin(name, *args):
    odoo_bin = os.path.join(os.environ["ODOO_SRC"], "odoo-bin")
    subprocess.run(
        [sys.executable, odoo_bin, "-c", os.environ["CRM_CARE_ODOO_CONF"], "-d", name, *args]
        + ["--stop-after-init", "--log-level=warn"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def create_bench_db(name):
    """A fresh database from the dependency template with the three addons (no demo data)."""
    subprocess.run(["dropdb", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-T", os.environ["CRM_CARE_BENCH_TEMPLATE"], name], check=True)
    _odoo_bin(name, "-i", os.environ["CRM_CARE_ADDONS"])


def upgrade_bench_db(name):
    """A kept bench database gets the addons' current code (schema, data) before it is measured again."""
    _odoo_bin(name, "-u", os.environ["CRM_CARE_ADDONS"])


def prepare_bench_db(name, reuse):
    """Create the bench database, or with `reuse` keep it (upgraded to the current code) if it exists.
    Return whether it was created (and so needs its data loaded)."""
    fresh = not (reuse and db_exists(name))
    if fresh:
        with timed("create database with the addons"):
            create_bench_db(name)
    else:
        with timed("upgrade the kept database to the addons' current code"):
            upgrade_bench_db(name)
    return fresh


def registry(name):
    config.parse_config(["-c", os.environ["CRM_CARE_ODOO_CONF"], "-d", name, "--log-level=warn"])
    return odoo.modules.registry.Registry(name)


def copy_rows(cr, table, columns, rows, batch=200_000):
    """COPY rows (tuples) into table, streamed in batches of text lines."""
    buffer = io.StringIO()
    count = 0

    def flush():
        buffer.seek(0)
        cr.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
        buffer.seek(0)
        buffer.truncate()

    for row in rows:
        buffer.write("\t".join("\\N" if value is None else str(value) for value in row))
        buffer.write("\n")
        count += 1
        if count % batch == 0:
            flush()
    flush()
    return count


def load_customers_and_orders(cr, customers, orders, seed, today):
    """customers companies with ~orders/customers confirmed orders each, over 3 years, skewed spend.

    5 % of orders are in a foreign currency with their own rate; 2 % of customers have a contact that
    places some of the orders (commercial-entity roll-up); 3 % of orders are quotations.
    """
    rng = random.Random(seed)
    cr.execute("SELECT id, currency_id FROM res_company ORDER BY id LIMIT 1")
    company_id, currency_id = cr.fetchone()
    cr.execute("SELECT id FROM res_currency WHERE name = 'EUR'")
    foreign = cr.fetchone()[0]
    cr.execute("UPDATE res_currency SET active = TRUE WHERE id = %s", [foreign])
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM res_partner")
    first_id = cr.fetchone()[0] + 1
    cr.execute("SELECT setval('res_partner_id_seq', %s)", [first_id + customers + customers // 50 + 10])
    now = datetime.now().strftime("%Y-%m-%d %H:%M:%S")

    def partners():
        for i in range(customers):
            pid = first_id + i
            yield (
                pid,
                f"Bench Customer {i}",
                f"Bench Customer {i}",
                pid,
                "true",
                "true",
                "contact",
                "en_US",
                "ask",
                now,
                now,
            )
        for j in range(customers // 50):
            pid = first_id + customers + j
            parent = first_id + j * 50
            yield (
                pid,
                f"Bench Contact {j}",
                f"Bench Customer {j * 50}, Bench Contact {j}",
                parent,
                "false",
                "true",
                "contact",
                "en_US",
                "ask",
                now,
                now,
            )

    columns = [
        "id",
        "name",
        "complete_name",
        "commercial_partner_id",
        "is_company",
        "active",
        "type",
        "lang",
        "autopost_bills",
        "create_date",
        "write_date",
    ]
    count = copy_rows(cr, "res_partner", columns, partners())
    cr.execute(
        "UPDATE res_partner SET parent_id = commercial_partner_id WHERE id >= %s AND commercial_partner_id != id",
        [first_id],
    )

    mean = orders / customers
    start = datetime.combine(today, datetime.min.time()) - timedelta(days=3 * 365)

    def sale_orders():
        n = 0
        for i in range(customers):
            pid = first_id + i
            # Geometric-ish order counts around the mean, skewed spend per customer (log-normal).
            k = max(1, int(rng.expovariate(1 / mean) + 0.5))
            spend = rng.lognormvariate(5.5, 1.0)
            for __ in range(k):
                n += 1
                has_contact = i % 50 == 0 and i // 50 < customers // 50
                buyer = first_id + customers + i // 50 if has_contact and rng.random() < 0.3 else pid
                moment = start + timedelta(seconds=rng.randrange(3 * 365 * 86400))
                amount = round(spend * rng.uniform(0.5, 1.5), 2)
                state = "draft" if rng.random() < 0.03 else "sale"
                if rng.random() < 0.05:
                    cur, rate, amount = foreign, 0.92, round(amount * 0.92, 2)
                else:
                    cur, rate = currency_id, 1.0
                yield (
                    f"BS{n}",
                    buyer,
                    buyer,
                    buyer,
                    company_id,
                    moment.strftime("%Y-%m-%d %H:%M:%S"),
                    state,
                    cur,
                    rate,
                    amount,
                    amount,
                    now,
                    now,
                )

    columns = [
        "name",
        "partner_id",
        "partner_invoice_id",
        "partner_shipping_id",
        "company_id",
        "date_order",
        "state",
        "currency_id",
        "currency_rate",
        "amount_untaxed",
        "amount_total",
        "create_date",
        "write_date",
    ]
    # sale_stock (installed with the POS bridge's stock) adds a required shipping policy.
    cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'sale_order' AND column_name = 'picking_policy'"
    )
    rows = sale_orders()
    if cr.fetchone():
        columns.append("picking_policy")
        rows = ((*row, "direct") for row in rows)
    n_orders = copy_rows(cr, "sale_order", columns, rows)
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE sale_order")
    return count, n_orders, first_id


def median(values):
    return statistics.median(values)
