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
from odoo.tools import SQL, config


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


def load_refunds_invoices_and_pos(env, seed, today, first_id, customers):
    """The other purchase sources of the ledger (crm.purchase), loaded set-based in SQL, after
    load_customers_and_orders, with the columns the ledger reads and Odoo's links between them:

    - refunds of 5 % of the confirmed orders, half in full, half partial (10-90 %): the order gets one sale
      line, its posted customer invoice (one product line linked to the sale line in
      sale_order_line_invoice_rel) and a posted credit note reversing that invoice (reversed_entry_id), whose
      product line is linked to the same sale line, as Odoo's credit-note wizard does, dated 1-60 days after
      the order (at most today);
    - posted customer invoices without sale order (2 % of the orders' count), one product line each, 5 % of
      them refunded in full by a credit note without sale line (reversed_entry_id);
    - Point of Sale orders (10 % of the orders' count) in one closed session: 80 % done, 20 % paid, 15 %
      without customer (the ledger leaves them out), 5 % invoiced (their posted invoice, which the invoice
      source must not count again), and POS refunds of 3 % of them (negative, one line refunding the
      order's line through refunded_orderline_id, half in full);
    - an exchange rate of the foreign currency from 2.5 years ago on, so the foreign orders of the first
      half year have no rate (counted, no amount) and the later ones are converted.
    Returns a dict of counts.
    """
    cr = env.cr
    rng_seed = seed % 1000 / 1000
    company = env.company
    cr.execute("SELECT id FROM res_currency WHERE name = 'EUR'")
    foreign = cr.fetchone()[0]
    cr.execute(
        "INSERT INTO res_currency_rate (name, rate, currency_id, company_id) VALUES (%s, 0.92, %s, %s)",
        [today - timedelta(days=913), foreign, company.id],
    )
    journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
    account = journal.default_account_id or env["account.account"].search([("account_type", "=", "income")], limit=1)
    product = env["product.product"].create({"name": "Bench Product", "list_price": 100.0, "type": "consu"})
    pos_config = env["pos.config"].create({"name": "Bench Store"})
    env.flush_all()
    cr.execute(
        """INSERT INTO pos_session (config_id, user_id, state, name, start_at, stop_at)
           VALUES (%s, %s, 'closed', 'BENCH/POS/0001', now(), now()) RETURNING id""",
        [pos_config.id, env.uid],
    )
    session_id = cr.fetchone()[0]
    cr.execute("SELECT setseed(%s)", [rng_seed])
    params = {
        "company": company.id,
        "company_currency": company.currency_id.id,
        "journal": journal.id,
        "account": account.id,
        "product": product.id,
        "today": today,
        "start": today - timedelta(days=3 * 365),
        "first_id": first_id,
        "customers": customers,
        "config": pos_config.id,
        "session": session_id,
        "uid": env.uid,
    }
    # Ids of the new rows are allocated here (offset + row number) and the sequences moved past them.
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM account_move")
    params["move0"] = cr.fetchone()[0]
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM account_move_line")
    params["line0"] = cr.fetchone()[0]
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM sale_order_line")
    params["sol0"] = cr.fetchone()[0]
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM pos_order")
    params["po0"] = cr.fetchone()[0]
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM pos_order_line")
    params["pol0"] = cr.fetchone()[0]
    cr.execute("SELECT COUNT(*) FROM sale_order")
    n_orders = cr.fetchone()[0]
    params["n_invoices"] = n_orders // 50
    params["n_pos"] = n_orders // 10

    # Every new document: kind, its own key, customer, currency, amount (document currency), dates.
    cr.execute(
        """CREATE TEMP TABLE bench_doc AS
           SELECT 'refund'::varchar AS kind, so.id AS order_id, so.partner_id, p.commercial_partner_id,
                  so.currency_id, so.amount_untaxed AS amount,
                  CASE WHEN random() < 0.5 THEN 1.0 ELSE round((0.1 + 0.8 * random())::numeric, 2) END AS share,
                  so.date_order::date AS day,
                  LEAST(so.date_order::date + 1 + (random() * 59)::int, %(today)s::date) AS refund_day
             FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
            WHERE so.state = 'sale' AND random() < 0.05
            UNION ALL
           SELECT 'invoice', NULL, c.id, c.id, %(company_currency)s, round((50 + random() * 2000)::numeric, 2),
                  CASE WHEN random() < 0.05 THEN 1.0 END, d.day,
                  LEAST(d.day + 1 + (random() * 29)::int, %(today)s::date)
             FROM generate_series(1, %(n_invoices)s) g
             CROSS JOIN LATERAL (SELECT %(first_id)s + (random() * (%(customers)s - 1))::int + g * 0 AS id) c
             CROSS JOIN LATERAL (SELECT %(start)s::date + (random() * 1094)::int + g * 0 AS day) d""",
        params,
    )
    cr.execute(
        """ALTER TABLE bench_doc ADD COLUMN rn serial;
           ALTER TABLE bench_doc ADD COLUMN amount_company numeric;
           UPDATE bench_doc b SET amount_company = CASE WHEN b.currency_id = %(company_currency)s THEN b.amount
                                                       ELSE round(b.amount / 0.92, 2) END""",
        params,
    )
    # The invoice of each refunded order and each direct invoice: move id move0 + 2 rn - 1; its credit note
    # (if any) move0 + 2 rn. Lines: line0 + 2 rn - 1 (invoice), line0 + 2 rn (credit note).
    cr.execute(
        """INSERT INTO account_move (id, name, journal_id, company_id, currency_id, partner_id, commercial_partner_id,
                                     move_type, state, auto_post, date, invoice_date, amount_untaxed,
                                     amount_untaxed_signed, amount_total, amount_total_signed, amount_tax,
                                     amount_untaxed_in_currency_signed, amount_total_in_currency_signed,
                                     invoice_currency_rate, reversed_entry_id, payment_state, create_date, write_date)
           SELECT %(move0)s + 2 * b.rn - 1, 'BINV/' || b.rn, %(journal)s, %(company)s, b.currency_id, b.partner_id,
                  b.commercial_partner_id, 'out_invoice', 'posted', 'no', b.day, b.day, b.amount, b.amount_company,
                  b.amount, b.amount_company, 0, b.amount, b.amount, 1, NULL, 'not_paid', now(), now()
             FROM bench_doc b
            UNION ALL
           SELECT %(move0)s + 2 * b.rn, 'BRINV/' || b.rn, %(journal)s, %(company)s, b.currency_id, b.partner_id,
                  b.commercial_partner_id, 'out_refund', 'posted', 'no', b.refund_day, b.refund_day,
                  round(b.amount * b.share, 2), -round(b.amount_company * b.share, 2), round(b.amount * b.share, 2),
                  -round(b.amount_company * b.share, 2), 0, -round(b.amount * b.share, 2),
                  -round(b.amount * b.share, 2), 1, %(move0)s + 2 * b.rn - 1, 'not_paid', now(), now()
             FROM bench_doc b WHERE b.share IS NOT NULL""",
        params,
    )
    cr.execute(
        """INSERT INTO account_move_line (id, move_id, move_name, journal_id, company_id, company_currency_id,
                                          currency_id, account_id, partner_id, product_id, display_type, parent_state,
                                          date, invoice_date, name, quantity, price_unit, price_subtotal,
                                          price_total, amount_currency, balance, debit, credit, create_date,
                                          write_date)
           SELECT %(line0)s + 2 * b.rn - 1, %(move0)s + 2 * b.rn - 1, 'BINV/' || b.rn, %(journal)s, %(company)s,
                  %(company_currency)s, b.currency_id, %(account)s, b.commercial_partner_id, %(product)s, 'product',
                  'posted', b.day, b.day, 'Bench Product', 1, b.amount, b.amount, b.amount, -b.amount,
                  -b.amount_company, 0, b.amount_company, now(), now()
             FROM bench_doc b
            UNION ALL
           SELECT %(line0)s + 2 * b.rn, %(move0)s + 2 * b.rn, 'BRINV/' || b.rn, %(journal)s, %(company)s,
                  %(company_currency)s, b.currency_id, %(account)s, b.commercial_partner_id, %(product)s, 'product',
                  'posted', b.refund_day, b.refund_day, 'Bench Product', 1, round(b.amount * b.share, 2),
                  round(b.amount * b.share, 2), round(b.amount * b.share, 2), round(b.amount * b.share, 2),
                  round(b.amount_company * b.share, 2), round(b.amount_company * b.share, 2), 0, now(), now()
             FROM bench_doc b WHERE b.share IS NOT NULL""",
        params,
    )
    # The refunded orders' sale line (sol0 + rn), invoiced and refunded through the link table.
    cr.execute(
        """INSERT INTO sale_order_line (id, order_id, name, product_id, product_uom_qty, price_unit, customer_lead,
                                        price_subtotal, price_total, company_id, currency_id, order_partner_id,
                                        state, qty_invoiced, invoice_status, create_date, write_date)
           SELECT %(sol0)s + b.rn, b.order_id, 'Bench Product', %(product)s, 1, b.amount, 0, b.amount, b.amount,
                  %(company)s, b.currency_id, b.partner_id, 'sale', 1 - b.share, 'invoiced', now(), now()
             FROM bench_doc b WHERE b.kind = 'refund';
           INSERT INTO sale_order_line_invoice_rel (invoice_line_id, order_line_id)
           SELECT %(line0)s + 2 * b.rn - 1, %(sol0)s + b.rn FROM bench_doc b WHERE b.kind = 'refund'
            UNION ALL
           SELECT %(line0)s + 2 * b.rn, %(sol0)s + b.rn FROM bench_doc b WHERE b.kind = 'refund'""",
        params,
    )
    cr.execute(
        "SELECT COUNT(*) FILTER (WHERE kind = 'refund'), COUNT(*) FILTER (WHERE kind = 'refund' AND share = 1),"
        " COUNT(*) FILTER (WHERE kind = 'invoice'), COUNT(*) FILTER (WHERE kind = 'invoice' AND share = 1),"
        " COALESCE(MAX(rn), 0) FROM bench_doc"
    )
    refunds, full_refunds, invoices, invoice_refunds, max_rn = cr.fetchone()
    params["move1"] = params["move0"] + 2 * max_rn
    params["line1"] = params["line0"] + 2 * max_rn

    # POS orders (po0 + rn); the refunded ones and their refunds get one line each.
    cr.execute(
        """CREATE TEMP TABLE bench_pos AS
           SELECT g AS rn,
                  CASE WHEN random() < 0.15 THEN NULL
                       ELSE %(first_id)s + (random() * (%(customers)s - 1))::int END AS partner_id,
                  round((5 + random() * 300)::numeric, 2) AS amount,
                  %(start)s::timestamp + (random() * 1094 * 86400) * interval '1 second' AS moment,
                  CASE WHEN random() < 0.8 THEN 'done' ELSE 'paid' END AS state,
                  random() < 0.05 AS invoiced,
                  CASE WHEN random() < 0.03 THEN CASE WHEN random() < 0.5 THEN 1.0
                       ELSE round((0.1 + 0.8 * random())::numeric, 2) END END AS refund_share
             FROM generate_series(1, %(n_pos)s) g""",
        params,
    )
    cr.execute("UPDATE bench_pos SET invoiced = FALSE WHERE partner_id IS NULL")
    # The invoices of the invoiced POS orders (counted once: as the POS order).
    cr.execute(
        """INSERT INTO account_move (id, name, journal_id, company_id, currency_id, partner_id, commercial_partner_id,
                                     move_type, state, auto_post, date, invoice_date, amount_untaxed,
                                     amount_untaxed_signed, amount_total, amount_total_signed, amount_tax,
                                     amount_untaxed_in_currency_signed, amount_total_in_currency_signed,
                                     invoice_currency_rate, payment_state, create_date, write_date)
           SELECT %(move1)s + b.rn, 'BPOS/' || b.rn, %(journal)s, %(company)s, %(company_currency)s, b.partner_id,
                  b.partner_id, 'out_invoice', 'posted', 'no', b.moment::date, b.moment::date, b.amount, b.amount,
                  b.amount, b.amount, 0, b.amount, b.amount, 1, 'paid', now(), now()
             FROM bench_pos b WHERE b.invoiced;
           INSERT INTO account_move_line (id, move_id, move_name, journal_id, company_id, company_currency_id,
                                          currency_id, account_id, partner_id, product_id, display_type, parent_state,
                                          date, invoice_date, name, quantity, price_unit, price_subtotal,
                                          price_total, amount_currency, balance, debit, credit, create_date,
                                          write_date)
           SELECT %(line1)s + b.rn, %(move1)s + b.rn, 'BPOS/' || b.rn, %(journal)s, %(company)s, %(company_currency)s,
                  %(company_currency)s, %(account)s, b.partner_id, %(product)s, 'product', 'posted', b.moment::date,
                  b.moment::date, 'Bench Product', 1, b.amount, b.amount, b.amount, -b.amount, -b.amount, 0, b.amount,
                  now(), now()
             FROM bench_pos b WHERE b.invoiced""",
        params,
    )
    cr.execute(
        """INSERT INTO pos_order (id, name, pos_reference, company_id, config_id, session_id, partner_id, user_id,
                                  date_order, state, amount_tax, amount_total, amount_paid, amount_return,
                                  is_refund, account_move, to_invoice, create_date, write_date)
           SELECT %(po0)s + b.rn, 'Bench Store/' || b.rn, 'Order ' || b.rn, %(company)s, %(config)s, %(session)s,
                  b.partner_id, %(uid)s, b.moment, b.state, 0, b.amount, b.amount, 0, FALSE,
                  CASE WHEN b.invoiced THEN %(move1)s + b.rn END, b.invoiced, now(), now()
             FROM bench_pos b
            UNION ALL
           SELECT %(po0)s + %(n_pos)s + b.rn, 'Bench Store/R' || b.rn, 'Refund ' || b.rn, %(company)s, %(config)s,
                  %(session)s, b.partner_id, %(uid)s,
                  LEAST(b.moment + (1 + random() * 29) * interval '1 day', %(today)s::timestamp), 'done', 0,
                  -round(b.amount * b.refund_share, 2), -round(b.amount * b.refund_share, 2), 0, TRUE, NULL, FALSE,
                  now(), now()
             FROM bench_pos b WHERE b.refund_share IS NOT NULL""",
        params,
    )
    cr.execute(
        """INSERT INTO pos_order_line (id, order_id, product_id, name, full_product_name, qty, price_unit,
                                       price_subtotal, price_subtotal_incl, refunded_orderline_id, company_id,
                                       create_date, write_date)
           SELECT %(pol0)s + b.rn, %(po0)s + b.rn, %(product)s, 'Bench Product', 'Bench Product', 1, b.amount,
                  b.amount, b.amount, NULL, %(company)s, now(), now()
             FROM bench_pos b WHERE b.refund_share IS NOT NULL
            UNION ALL
           SELECT %(pol0)s + %(n_pos)s + b.rn, %(po0)s + %(n_pos)s + b.rn, %(product)s, 'Bench Product',
                  'Bench Product', -b.refund_share, b.amount, -round(b.amount * b.refund_share, 2),
                  -round(b.amount * b.refund_share, 2), %(pol0)s + b.rn, %(company)s, now(), now()
             FROM bench_pos b WHERE b.refund_share IS NOT NULL""",
        params,
    )
    cr.execute(
        """SELECT COUNT(*), COUNT(*) FILTER (WHERE partner_id IS NULL), COUNT(*) FILTER (WHERE invoiced),
                  COUNT(*) FILTER (WHERE refund_share IS NOT NULL), COALESCE(MAX(rn), 0)
             FROM bench_pos"""
    )
    pos, anonymous, pos_invoiced, pos_refunds, pos_rn = cr.fetchone()
    for table, last in (
        ("account_move", params["move1"] + pos_rn),
        ("account_move_line", params["line1"] + pos_rn),
        ("sale_order_line", params["sol0"] + max_rn),
        ("pos_order", params["po0"] + 2 * params["n_pos"]),
        ("pos_order_line", params["pol0"] + 2 * params["n_pos"]),
    ):
        cr.execute(SQL("SELECT setval(%s, %s)", f"{table}_id_seq", last + 1))
    cr.execute("DROP TABLE bench_doc; DROP TABLE bench_pos")
    for table in (
        "account_move",
        "account_move_line",
        "sale_order_line",
        "sale_order_line_invoice_rel",
        "pos_order",
        "pos_order_line",
    ):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    return {
        "refunds": refunds,
        "full refunds": full_refunds,
        "direct invoices": invoices,
        "refunded direct invoices": invoice_refunds,
        "POS orders": pos,
        "POS orders without customer": anonymous,
        "invoiced POS orders": pos_invoiced,
        "POS refunds": pos_refunds,
    }


def median(values):
    return statistics.median(values)
