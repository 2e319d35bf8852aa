"""setup/bench lifecycle: the nightly lifecycle refresh at scale, against the SQL floor and a naive ORM loop.

setup/bench lifecycle --customers 1000000 --orders 5000000 [--reuse] [--skip-naive] [--quiet-nights K]
    [--explain-writes]
"""

import os
import subprocess
import sys
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(__file__))

from bench_common import (  # noqa: E402
    load_customers_and_orders,
    load_refunds_invoices_and_pos,
    log,
    median,
    parse_args,
    prepare_bench_db,
    registry,
    timed,
)
from freezegun import freeze_time  # noqa: E402

import odoo  # noqa: E402
from odoo.tools import SQL  # noqa: E402

# The SQL floor: the same purchase figures, RFM scores, revenue percentile, lifetime value and stage as the
# nightly refresh computes, written by hand as one query that only reads (the refresh also compares them with
# the stored values and writes the changed customers). It reads the same sources as the purchase ledger
# (crm.purchase, crm_lifecycle_pos): confirmed sale orders, posted credit notes netted on the order they refund
# (their lines' sale lines, same customer) or on the direct invoice they reverse, posted invoices without sale
# order (nor POS order), and paid or done POS orders with a customer, POS refunds netted on the order they
# refund. Amounts are converted to company currency with the rate at the document's date (the latest at or
# before it); a foreign currency without such a rate adds no amount (the order still counts), as the ledger
# does (never so.currency_rate, which Odoo sets to 1.0 without a rate). A purchase counts (order count,
# dates, frequency, stage) when its net amount is above zero; invoices and credit notes dated after today
# wait. Simplifications the bench data allows: one company in UTC, the lifetime value with a fixed retention
# factor (0.3 margin x 2.09) instead of the estimated one.
FLOOR_SQL = """
WITH rates AS (
    SELECT currency_id, name AS since, LEAD(name, 1, 'infinity') OVER (PARTITION BY currency_id ORDER BY name) AS upto,
           rate
      FROM res_currency_rate
     WHERE company_id IS NULL OR company_id = %(company)s
), sale_linked AS (
    SELECT DISTINCT ml.move_id FROM account_move_line ml
      JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = ml.id
), pos_moves AS (
    SELECT account_move AS move_id FROM pos_order WHERE account_move IS NOT NULL
), direct AS (
    SELECT am.* FROM account_move am
     WHERE am.move_type = 'out_invoice' AND am.state = 'posted' AND am.invoice_date <= %(today)s
       AND am.id NOT IN (SELECT move_id FROM sale_linked) AND am.id NOT IN (SELECT move_id FROM pos_moves)
), docs AS (
    -- kind, purchase id, customer, instant, own (the purchase document itself), amount, currency, rate day
    SELECT 1 AS kind, so.id AS pid, p.commercial_partner_id AS partner_id, so.date_order AS moment, TRUE AS own,
           so.amount_untaxed AS amount, so.currency_id, so.date_order::date AS day
      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
     WHERE so.state = 'sale'
    UNION ALL
    SELECT CASE WHEN so.id IS NOT NULL THEN 1 ELSE 2 END, COALESCE(so.id, rev.id, am.id), am.commercial_partner_id,
           am.invoice_date::timestamp, FALSE, -aml.price_subtotal, am.currency_id, am.invoice_date
      FROM account_move am
      JOIN account_move_line aml ON aml.move_id = am.id AND aml.display_type = 'product'
      LEFT JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
      LEFT JOIN sale_order_line sol ON sol.id = rel.order_line_id
      LEFT JOIN (sale_order so JOIN res_partner sp ON sp.id = so.partner_id)
             ON so.id = sol.order_id AND so.state = 'sale' AND sp.commercial_partner_id = am.commercial_partner_id
      LEFT JOIN direct rev ON rev.id = am.reversed_entry_id AND rev.commercial_partner_id = am.commercial_partner_id
     WHERE am.move_type = 'out_refund' AND am.state = 'posted' AND am.invoice_date <= %(today)s
       AND am.id NOT IN (SELECT move_id FROM pos_moves)
    UNION ALL
    SELECT 2, am.id, am.commercial_partner_id, am.invoice_date::timestamp, TRUE, am.amount_untaxed, am.currency_id,
           am.invoice_date
      FROM direct am
    UNION ALL
    SELECT 3, COALESCE(ro.id, po.id), p.commercial_partner_id, po.date_order, ro.id IS NULL,
           po.amount_total - po.amount_tax, pc.currency_id, po.date_order::date
      FROM pos_order po
      JOIN res_partner p ON p.id = po.partner_id
      JOIN pos_config pc ON pc.id = po.config_id
      LEFT JOIN pos_order_line l ON l.order_id = po.id AND l.refunded_orderline_id IS NOT NULL
      LEFT JOIN pos_order_line rl ON rl.id = l.refunded_orderline_id
      LEFT JOIN (pos_order ro JOIN res_partner rp ON rp.id = ro.partner_id)
             ON ro.id = rl.order_id AND ro.state IN ('paid', 'done')
            AND rp.commercial_partner_id = p.commercial_partner_id
     WHERE po.state IN ('paid', 'done')
), purchases AS (
    SELECT MIN(d.partner_id) AS partner_id,
           COALESCE(MIN(d.moment) FILTER (WHERE d.own), MIN(d.moment)) AS moment,
           SUM(CASE WHEN d.currency_id = %(currency)s THEN d.amount ELSE d.amount / r.rate END) AS amount,
           SUM(d.amount) > 0 AS counted
      FROM docs d
      LEFT JOIN rates r ON r.currency_id = d.currency_id AND d.day >= r.since AND d.day < r.upto
     GROUP BY d.kind, d.pid
), agg AS (
    SELECT partner_id,
           (MIN(moment) FILTER (WHERE counted))::date AS first_day,
           (MAX(moment) FILTER (WHERE counted))::date AS last_day,
           COUNT(*) FILTER (WHERE counted) AS n,
           COUNT(*) FILTER (WHERE counted AND moment >= %(year)s) AS n_year,
           SUM(amount) AS total,
           SUM(amount) FILTER (WHERE moment >= %(year)s) AS total_year,
           COUNT(*) FILTER (WHERE counted AND moment >= %(window)s) AS f,
           SUM(amount) FILTER (WHERE moment >= %(window)s) AS m
      FROM purchases
     GROUP BY partner_id
), pipeline AS (
    SELECT DISTINCT p.commercial_partner_id AS partner_id
      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
     WHERE so.state IN ('draft', 'sent')
), scored AS (
    SELECT agg.*, cp.lifecycle_stage_id, cp.lifecycle_locked,
           CEIL(5 * CUME_DIST() OVER (ORDER BY last_day)) AS r_score,
           CEIL(5 * CUME_DIST() OVER (ORDER BY f)) AS f_score,
           CEIL(5 * CUME_DIST() OVER (ORDER BY m)) AS m_score,
           CEIL(100 * CUME_DIST() OVER (ORDER BY total)) AS percentile,
           total_year * 0.3 * 2.09 AS clv,
           CASE WHEN n = 0 THEN NULL
                WHEN %(today)s - first_day < 90 THEN 'new'
                WHEN %(today)s - last_day < 180 AND n_year >= 3 THEN 'loyal'
                WHEN %(today)s - last_day < 180 THEN 'active'
                WHEN %(today)s - last_day <= 365 THEN 'at_risk' ELSE 'churned' END AS stage
      FROM agg JOIN res_partner cp ON cp.id = agg.partner_id
)
SELECT COUNT(*), SUM(total), SUM(r_score + f_score + m_score + percentile), COUNT(DISTINCT stage), SUM(clv),
       (SELECT COUNT(*) FROM pipeline WHERE partner_id NOT IN (SELECT partner_id FROM agg))
  FROM scored
"""


def naive_orm_refresh(env, partners, today):
    """What a straightforward implementation does: per customer, read its orders and write its values."""
    for partner in partners:
        orders = env["sale.order"].search([("partner_id", "child_of", partner.id), ("state", "=", "sale")])
        dates = [order.date_order.date() for order in orders]
        amounts = [order.amount_untaxed / (order.currency_rate or 1) for order in orders]
        year = [a for a, d in zip(amounts, dates, strict=True) if (today - d).days < 365]
        partner.write(
            {
                "order_count": len(orders),
                "first_order_date": min(dates) if dates else False,
                "last_order_date": max(dates) if dates else False,
                "total_revenue": sum(amounts),
                "revenue_last_year": sum(year),
                "orders_last_year": len(year),
            }
        )
        env.invalidate_all()


def floor_seconds(env, today):
    """One run of the SQL floor at `today` (same session settings as the refresh): its duration in seconds."""
    company = env.company
    params = {
        "today": today,
        "year": today - timedelta(days=364),
        "window": today - timedelta(days=company.rfm_window_days - 1),
        "company": company.id,
        "currency": company.currency_id.id,
    }
    start = time.perf_counter()
    env["crm.lifecycle.run"]._set_batch_session()
    env.cr.execute(SQL(FLOOR_SQL, **params))
    env.cr.fetchall()
    return time.perf_counter() - start


def night(env, label, today):
    """One nightly refresh at `today` (Odoo's clock frozen there, ticking), then the floor at the same date:
    prints time, floor, ratio, customers written and stage changes; returns (time, floor)."""
    with freeze_time(today, tick=True):
        start = time.perf_counter()
        env["crm.lifecycle.run"]._cron_refresh()
        elapsed = time.perf_counter() - start
        run = env["crm.lifecycle.run"].search([], limit=1)
        floor = floor_seconds(env, today)
        env.cr.rollback()  # the floor's session settings end with its transaction
    customers = env["res.partner"].search_count([("order_count", ">", 0), ("is_company", "=", True)])
    log(
        f"  {label}: {elapsed:.2f} s, floor {floor:.2f} s, ratio {elapsed / floor:.2f}; "
        f"{run.changed_count:,} customers written ({100 * run.changed_count / max(customers, 1):.2f} % of "
        f"{customers:,} customers with purchases), {run.stage_change_count:,} stage changes, {run.error_count} errors; "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    return elapsed, floor


def explain_writes(env, day):
    """Read-only: what a refresh at `day` would write, by kind of change (metric or stage; lifetime value only;
    RFM scores or percentile only), against the stored values. Printed with --explain-writes."""
    from odoo.addons.crm_lifecycle.models.crm_lifecycle_run import METRIC_COLUMNS, RFM_COLUMNS  # noqa: PLC0415

    def changed(columns):
        return SQL(
            "(%s)",
            SQL(" OR ").join(
                SQL("%s IS DISTINCT FROM %s", SQL.identifier("q", f"old_{col}"), SQL.identifier("q", col))
                for col in columns
            ),
        )

    with freeze_time(day, tick=True):
        run = env["crm.lifecycle.run"]
        run._set_batch_session()
        params = run._get_lifecycle_params(env.company)
        if params["rfm_due"]:  # that night estimates the RFM cut points first (rolled back below)
            params = run._estimate_rfm_cut_points(env.company, params)
        query = run._get_metrics_query(params)
        metric = SQL(
            "(%s OR q.stage_id IS DISTINCT FROM q.old_stage_id)",
            changed([col for col in METRIC_COLUMNS if col != "customer_lifetime_value"]),
        )
        clv, rfm = changed(["customer_lifetime_value"]), changed(RFM_COLUMNS)
        env.cr.execute(
            SQL(
                """WITH q AS (%(query)s)
                   SELECT COUNT(*) FILTER (WHERE %(metric)s OR %(clv)s OR %(rfm)s),
                          COUNT(*) FILTER (WHERE %(metric)s),
                          COUNT(*) FILTER (WHERE q.stage_id IS DISTINCT FROM q.old_stage_id),
                          COUNT(*) FILTER (WHERE NOT %(metric)s AND %(clv)s),
                          COUNT(*) FILTER (WHERE NOT %(metric)s AND NOT %(clv)s AND %(rfm)s)
                     FROM q""",
                query=query,
                metric=metric,
                clv=clv,
                rfm=rfm,
            )
        )
        total, metrics, stages, clv_only, rfm_only = env.cr.fetchone()
        env.cr.rollback()
    log(
        f"  what a refresh on {day} writes: {total:,} customers; {metrics:,} with a metric or stage change "
        f"({stages:,} stage changes), {clv_only:,} with only a new lifetime value, {rfm_only:,} with only new "
        "RFM scores or percentile"
    )


def main():
    quiet_nights = 3  # --quiet-nights K: how many nights with nothing to do to time (median)
    explain = "--explain-writes" in sys.argv  # also print what the +1 and +7 nights write, by kind of change
    if explain:
        sys.argv.remove("--explain-writes")
    if "--quiet-nights" in sys.argv:
        index = sys.argv.index("--quiet-nights")
        quiet_nights = int(sys.argv[index + 1])
        del sys.argv[index : index + 2]
    args = parse_args({"customers": 100_000, "orders": 500_000}, __doc__)
    db = f"crm_care_bench_lifecycle_{args.customers}_{args.orders}"
    today = date.today()
    log(f"Lifecycle benchmark: {args.customers:,} customers, {args.orders:,} orders, database {db}")
    fresh = prepare_bench_db(db, args.reuse)
    reg = registry(db)
    with reg.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env.company.partner_id.tz = "UTC"
        if fresh:
            with timed("bulk load (COPY)"):
                partners, orders, first_id = load_customers_and_orders(
                    cr, args.customers, args.orders, args.seed, today
                )
                others = load_refunds_invoices_and_pos(env, args.seed, today, first_id, args.customers)
            log(
                f"  loaded {partners:,} partners and {orders:,} sale orders; "
                + ", ".join(f"{count:,} {name}" for name, count in others.items())
            )
            cr.commit()
            night(env, "first night (first classification: every customer gets its first stage)", today)
        else:
            night(env, "first night after the upgrade", today)
        runs, floors = [], []
        for i in range(quiet_nights):
            elapsed, floor = night(env, f"night with nothing to do #{i + 1}", today)
            runs.append(elapsed)
            floors.append(floor)
        log(
            f"  -> median night with nothing to do: {median(runs):.2f} s, median floor {median(floors):.2f} s, "
            f"ratio {median(runs) / median(floors):.2f}"
        )

        if not args.skip_naive:
            sample = env["res.partner"].search([("order_count", ">", 0), ("is_company", "=", True)], limit=2000)
            naive = []
            with timed(f"naive ORM refresh of {len(sample)} customers", naive):
                naive_orm_refresh(env, sample, today)
            cr.rollback()
            customers = env["res.partner"].search_count([("order_count", ">", 0), ("is_company", "=", True)])
            log(f"  -> naive ORM extrapolated to {customers:,} customers: {naive[0] * customers / len(sample):.0f} s")

    # The later nights commit their chunks: run them on a scratch copy so the bench database stays at today.
    scratch = f"{db}_later"
    odoo.sql_db.close_db(db)  # createdb -T needs the source database without connections
    subprocess.run(["dropdb", "--if-exists", scratch], check=True)
    subprocess.run(["createdb", "-T", db, scratch], check=True)
    try:
        with registry(scratch).cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            if explain:
                explain_writes(env, today + timedelta(days=1))
            night(env, "next night (+1 day)", today + timedelta(days=1))
            if explain:
                explain_writes(env, today + timedelta(days=7))
            night(env, "night +7 (six days after the next night)", today + timedelta(days=7))
            if args.later_days not in (0, 1, 7, 30):
                if explain:
                    explain_writes(env, today + timedelta(days=args.later_days))
                night(env, f"night +{args.later_days}", today + timedelta(days=args.later_days))
    finally:
        odoo.sql_db.close_db(scratch)
        subprocess.run(["dropdb", "--if-exists", scratch], check=True)


if __name__ == "__main__":
    main()
