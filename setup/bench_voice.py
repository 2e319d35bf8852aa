"""setup/bench voice: the voice-of-the-customer figures at scale.

setup/bench voice --customers 1000000 --orders 5000000 [--reuse] [--ratings 2]

Builds crm_care_bench_voice_<N>_<M> with the three addons and bulk-loads (COPY, bench_common's loader) N companies
with about M orders over three years, then --ratings complaint ratings per customer (1-5 stars over the last two
years; copies of one rating made through the ORM on one complaint). Then times:

1. the nightly satisfaction refresh (res.partner._crm_care_refresh_satisfaction, every customer, as the nightly
   run calls it), once after resetting the customers' values (every customer written; CRM_CARE_BENCH_WRITTEN_RUNS
   runs) and three times on unchanged data (the nightly case), against the SQL floor: one hand-written UPDATE
   of the same values, writing the customers whose values differ (median of three); also the aggregation
   alone (read-only) and the nightly copy onto the contacts;
2. the nightly cohort refresh (crm.care.cohort.report._refresh_cohorts) and the opening of the Cohort
   Retention pivot (formatted_read_grouping_sets with the pivot's groupings, as the administrator), target
   <= 2 s.
Timings are measurements, never test assertions.
"""

import os
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

import odoo  # noqa: E402
from odoo.tools import SQL  # noqa: E402

# The SQL floor: the same values as the refresh computes (every customer with feedback, one company in UTC, ratings
# only: the loaded data), written by hand as one UPDATE of the customers whose values differ, as the refresh writes.
FLOOR_SQL = """
UPDATE res_partner p
   SET satisfaction_score = q.score, satisfaction_count = q.n, date_last_feedback = q.last_day
  FROM (
    SELECT rp.commercial_partner_id AS partner_id,
           ROUND(AVG((r.rating - 1) * 25.0) FILTER (WHERE r.rated_on >= %(start)s)::numeric, 1) AS score,
           COUNT(*) FILTER (WHERE r.rated_on >= %(start)s) AS n,
           MAX(r.rated_on)::date AS last_day
      FROM rating_rating r
      JOIN res_partner rp ON rp.id = r.partner_id
     WHERE r.res_model = 'crm.complaint' AND r.consumed AND r.rating BETWEEN 1 AND 5
     GROUP BY rp.commercial_partner_id
  ) q
 WHERE p.id = q.partner_id
   AND (p.satisfaction_score IS DISTINCT FROM q.score OR p.satisfaction_count IS DISTINCT FROM q.n
        OR p.date_last_feedback IS DISTINCT FROM q.last_day)
"""
# The read-only part of it: the aggregation alone.
AGGREGATE_SQL = """
SELECT COUNT(*), SUM(score), SUM(n), COUNT(last_day)
  FROM (
    SELECT rp.commercial_partner_id,
           ROUND(AVG((r.rating - 1) * 25.0) FILTER (WHERE r.rated_on >= %(start)s)::numeric, 1) AS score,
           COUNT(*) FILTER (WHERE r.rated_on >= %(start)s) AS n,
           MAX(r.rated_on)::date AS last_day
      FROM rating_rating r
      JOIN res_partner rp ON rp.id = r.partner_id
     WHERE r.res_model = 'crm.complaint' AND r.consumed AND r.rating BETWEEN 1 AND 5
     GROUP BY rp.commercial_partner_id
  ) q
"""

SATISFACTION_RESET = """
UPDATE res_partner SET satisfaction_score = 0, satisfaction_count = 0, nps_score = NULL, nps_category = NULL,
                       date_last_feedback = NULL
 WHERE satisfaction_count != 0 OR date_last_feedback IS NOT NULL
"""

PIVOT_GROUPINGS = [[], ["cohort_month:month"], ["months_since"], ["cohort_month:month", "months_since"]]


def load_ratings(env, first_id, customers, per_customer, today):
    """per_customer consumed complaint ratings per loaded customer, 1-5 stars, rated over the last two years:
    copies (INSERT ... SELECT) of one rating created through the ORM on one complaint."""
    cr = env.cr
    customer = env["res.partner"].browse(first_id)
    complaint = env["crm.complaint"].create({"subject": "Bench complaint", "partner_id": customer.id})
    sample = env["rating.rating"].create(
        {
            "res_model_id": env["ir.model"]._get_id("crm.complaint"),
            "res_id": complaint.id,
            "partner_id": customer.id,
            "rating": 3,
            "consumed": True,
        }
    )
    env.flush_all()
    cr.execute(
        """SELECT column_name FROM information_schema.columns
            WHERE table_name = 'rating_rating' AND column_name != 'id' ORDER BY ordinal_position"""
    )
    columns = [name for (name,) in cr.fetchall()]
    overrides = {
        "partner_id": SQL("%s + g.i", first_id),
        "rating": SQL("1 + ((g.i * 7 + g.k * 3) %% 5)"),
        "rated_on": SQL("%s::timestamp - (((g.i * 37 + g.k * 211) %% 730) || ' days')::interval", today),
        "access_token": SQL("md5(g.i::text || '-' || g.k::text)"),
    }
    select = SQL(", ").join(overrides.get(name, SQL.identifier("r", name)) for name in columns)
    cr.execute(
        SQL(
            """INSERT INTO rating_rating (%s)
               SELECT %s FROM rating_rating r,
                      (SELECT i, k FROM generate_series(0, %s - 1) i, generate_series(1, %s) k) g
                WHERE r.id = %s""",
            SQL(", ").join(map(SQL.identifier, columns)),
            select,
            customers,
            per_customer,
            sample.id,
        )
    )
    count = cr.rowcount
    sample.unlink()
    cr.execute("ANALYZE rating_rating")
    return count


def bench_satisfaction(env, cr, today, written_runs):
    Partner = env["res.partner"]
    Run = env["crm.lifecycle.run"]
    full, steady, floor, aggregate, contacts = [], [], [], [], []
    for i in range(written_runs):
        cr.execute(SATISFACTION_RESET)
        cr.commit()
        env.invalidate_all()
        with timed(f"satisfaction refresh, every customer written #{i + 1}", full):
            changed = Partner._crm_care_refresh_satisfaction(sync_contacts=False)
        cr.commit()
        log(f"  -> {changed:,} customers written")
    for i in range(3):
        env.invalidate_all()
        # As the nightly run calls it; the copy onto the contacts is shared with the lifecycle values (below).
        with timed(f"satisfaction refresh, nothing changed (nightly) #{i + 1}", steady):
            Partner._crm_care_refresh_satisfaction(sync_contacts=False)
        cr.commit()
    with timed("copy of the lifecycle and satisfaction values onto the contacts (nightly, shared)", contacts):
        Partner._crm_care_nightly_sync_contacts()
    cr.commit()
    start = today - timedelta(days=364)
    for i in range(3):
        with timed(f"SQL floor (one hand-written UPDATE) #{i + 1}", floor):
            Run._set_batch_session()  # the same session settings as the refresh
            cr.execute(SQL(FLOOR_SQL, start=start))
        cr.rollback()
    for i in range(3):
        with timed(f"aggregation alone (read-only) #{i + 1}", aggregate):
            Run._set_batch_session()
            cr.execute(SQL(AGGREGATE_SQL, start=start))
            row = cr.fetchone()
        cr.rollback()
    log(f"  aggregation: {row[0]:,} customers, {row[2]:,} feedback items in the window")
    written = f"written {median(full):.2f} s, " if full else ""
    log(
        f"  -> median: {written}nightly {median(steady):.2f} s, floor {median(floor):.2f} s, aggregation alone "
        f"{median(aggregate):.2f} s; nightly / floor = {median(steady) / median(floor):.2f} (target <= 1.5), "
        f"nightly / aggregation = {median(steady) / median(aggregate):.2f}"
    )


def bench_cohorts(env, cr, today):
    Report = env["crm.care.cohort.report"]
    with timed("cohort refresh (nightly)"):
        rows = Report._refresh_cohorts(until=today)
    cr.commit()
    log(f"  -> {rows:,} cohort rows")
    admin = env.ref("base.user_admin")
    pivot = Report.with_user(admin).with_context(lang="en_US", tz="UTC")
    openings = []
    for i in range(3):
        env.invalidate_all()
        with timed(f"Cohort Retention pivot opening #{i + 1}", openings):
            pivot.formatted_read_grouping_sets(
                [], PIVOT_GROUPINGS, ["retention:avg", "customer_count:sum", "cohort_size:max", "__count"]
            )
    log(f"  -> median pivot opening: {median(openings):.3f} s (target <= 2 s)")


def main():
    args = parse_args({"customers": 100_000, "orders": 500_000}, __doc__)
    per_customer = int(os.environ.get("CRM_CARE_BENCH_RATINGS", "2"))
    db = f"crm_care_bench_voice_{args.customers}_{args.orders}"
    today = date.today()
    log(f"Voice benchmark: {args.customers:,} customers, {args.orders:,} orders, database {db}")
    fresh = prepare_bench_db(db, args.reuse)
    reg = registry(db)
    with reg.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env.company.crm_care_tz = "UTC"
        if fresh:
            with timed("bulk load (COPY)"):
                partners, orders, first_id = load_customers_and_orders(
                    cr, args.customers, args.orders, args.seed, today
                )
            log(f"  loaded {partners:,} partners and {orders:,} orders")
            with timed("ratings"):
                ratings = load_ratings(env, first_id, args.customers, per_customer, today)
            log(f"  loaded {ratings:,} ratings")
            cr.commit()
        cr.execute("SELECT COUNT(*) FROM rating_rating WHERE res_model = 'crm.complaint'")
        log(f"  {cr.fetchone()[0]:,} complaint ratings")
        if os.environ.get("CRM_CARE_BENCH_SKIP_SATISFACTION") != "1":
            bench_satisfaction(env, cr, today, int(os.environ.get("CRM_CARE_BENCH_WRITTEN_RUNS", "1")))
        if "crm.care.cohort.report" in env:
            bench_cohorts(env, cr, today)


if __name__ == "__main__":
    main()
