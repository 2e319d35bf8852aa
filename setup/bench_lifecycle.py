"""setup/bench lifecycle: the nightly lifecycle refresh at scale, against the SQL floor and a naive ORM loop.

setup/bench lifecycle --customers 1000000 --orders 5000000
"""

import os
import subprocess
import sys
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(__file__))

from bench_common import (  # noqa: E402
    load_customers_and_orders,
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

# The same metrics, RFM scores and stage as the refresh computes, written by hand as one query that only reads.
FLOOR_SQL = """
WITH agg AS (
    SELECT p.commercial_partner_id AS partner_id,
           (MIN(so.date_order) AT TIME ZONE 'UTC')::date AS first_day,
           (MAX(so.date_order) AT TIME ZONE 'UTC')::date AS last_day,
           COUNT(*) AS n,
           COUNT(*) FILTER (WHERE so.date_order >= %(year)s) AS n_year,
           SUM(so.amount_untaxed / NULLIF(so.currency_rate, 0)) AS total,
           SUM(so.amount_untaxed / NULLIF(so.currency_rate, 0)) FILTER (WHERE so.date_order >= %(year)s) AS total_year,
           COUNT(*) FILTER (WHERE so.date_order >= %(window)s) AS f,
           SUM(so.amount_untaxed / NULLIF(so.currency_rate, 0)) FILTER (WHERE so.date_order >= %(window)s) AS m
      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
     WHERE so.state = 'sale'
     GROUP BY p.commercial_partner_id
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
           CASE WHEN %(today)s - first_day < 90 THEN 'new'
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


def main():
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
                partners, orders, __ = load_customers_and_orders(cr, args.customers, args.orders, args.seed, today)
            log(f"  loaded {partners:,} partners and {orders:,} orders")
            cr.commit()
            with timed("first classification (every customer gets its first stage)"):
                env["crm.lifecycle.run"]._cron_refresh()
        runs = []
        for i in range(3):
            with timed(f"full refresh #{i + 1}", runs):
                env["crm.lifecycle.run"]._cron_refresh()
        run = env["crm.lifecycle.run"].search([], limit=1)
        log(f"  -> median full refresh: {median(runs):.2f} s (last run updated {run.changed_count} customers)")

        floor = []
        params = {
            "today": today,
            "year": today - timedelta(days=364),
            "window": today - timedelta(days=729),
        }
        for i in range(3):
            with timed(f"SQL floor #{i + 1}", floor):
                env["crm.lifecycle.run"]._set_batch_session()  # the same session settings as the refresh
                cr.execute(SQL(FLOOR_SQL, **params))
                cr.fetchall()
        log(f"  -> median SQL floor: {median(floor):.2f} s; refresh / floor = {median(runs) / median(floor):.2f}")

        if not args.skip_naive:
            sample = env["res.partner"].search([("order_count", ">", 0), ("is_company", "=", True)], limit=2000)
            naive = []
            with timed(f"naive ORM refresh of {len(sample)} customers", naive):
                naive_orm_refresh(env, sample, today)
            cr.rollback()
            customers = env["res.partner"].search_count([("order_count", ">", 0), ("is_company", "=", True)])
            log(f"  -> naive ORM extrapolated to {customers:,} customers: {naive[0] * customers / len(sample):.0f} s")

    if args.later_days <= 0:
        return
    # The time-driven run commits its chunks: run it on a scratch copy so the bench database stays at today.
    scratch = f"{db}_later"
    odoo.sql_db.close_db(db)  # createdb -T needs the source database without connections
    subprocess.run(["dropdb", "--if-exists", scratch], check=True)
    subprocess.run(["createdb", "-T", db, scratch], check=True)
    try:
        with registry(scratch).cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            later = today + timedelta(days=args.later_days)
            label = f"refresh {args.later_days} days later (time-driven stage moves through the ORM)"
            with freeze_time(later, tick=True), timed(label):
                env["crm.lifecycle.run"]._cron_refresh()
            run = env["crm.lifecycle.run"].search([], limit=1)
            log(
                f"  -> {run.stage_change_count:,} stage changes, {run.changed_count:,} customers updated, "
                f"{run.error_count} errors"
            )
    finally:
        odoo.sql_db.close_db(scratch)
        subprocess.run(["dropdb", "--if-exists", scratch], check=True)


if __name__ == "__main__":
    main()
