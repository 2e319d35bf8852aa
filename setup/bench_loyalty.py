"""setup/bench loyalty: the nightly membership tier evaluation and the points expiry at scale.

setup/bench loyalty --customers 1000000 --orders 5000000 --history 10000000 [--reuse [--expiry-only]]

Loads the lifecycle bench data (customers and orders, COPY), a tier ladder, and a membership card per
customer with `--history` loyalty history lines (lots earned over three years, redemptions), then times:
the first evaluation (every customer gets its first tier, set-based), a quiet night (nothing due), a night
with its share of reviews (review dates spread over the year, as in steady state: about 1/365 of the
members are reviewed, the downgraded ones through the ORM with tracking, history and mail), and the
points expiry over all history lines.
"""

import os
import random
import sys
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.dirname(__file__))

from bench_common import (  # noqa: E402
    copy_rows,
    load_customers_and_orders,
    load_refunds_invoices_and_pos,
    log,
    median,
    parse_args,
    prepare_bench_db,
    psql,
    registry,
    timed,
)
from freezegun import freeze_time  # noqa: E402

import odoo  # noqa: E402
from odoo.fields import Command  # noqa: E402


def setup_loyalty(env):
    """Tiers spread over the synthetic spend, a membership program with 12 months of validity."""
    tiers = env["crm.loyalty.tier"]
    tiers.search([]).filtered(lambda t: t != env.ref("crm_loyalty.crm_loyalty_tier_member")).unlink()
    for name, sequence, spend, multiplier in (
        ("Silver", 10, 1000, 1.2),
        ("Gold", 20, 3000, 1.5),
        ("Platinum", 30, 10000, 2.0),
    ):
        tiers.create({"name": name, "sequence": sequence, "min_spend": spend, "points_multiplier": multiplier})
    program = env["loyalty.program"].create(
        {
            "name": "Bench Membership",
            "program_type": "loyalty",
            "rule_ids": [Command.clear(), Command.create({"reward_point_mode": "money", "reward_point_amount": 1})],
            "reward_ids": [Command.clear(), Command.create({"discount": 5, "required_points": 500})],
        }
    )
    env.company.write({"loyalty_program_id": program.id, "loyalty_points_validity_months": 12})
    return program


def load_cards_and_history(cr, program_id, first_partner_id, customers, lines, seed, today):
    """One card per customer and `lines` history lines: 80 % lots earned, 20 % redemptions (oldest first)."""
    rng = random.Random(seed)
    cr.execute("SELECT COALESCE(MAX(id), 0) FROM loyalty_card")
    first_card = cr.fetchone()[0] + 1
    now = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
    per_card = max(1, lines // customers)
    start = datetime.combine(today, datetime.min.time()) - timedelta(days=3 * 365)
    balances = {}

    def history():
        for i in range(customers):
            card = first_card + i
            issued_total = used_total = 0.0
            moments = sorted(start + timedelta(seconds=rng.randrange(3 * 365 * 86400)) for __ in range(per_card))
            for moment in moments:
                if rng.random() < 0.8 or issued_total - used_total < 50:
                    issued, used = round(rng.uniform(20, 500), 2), 0.0
                else:
                    issued, used = 0.0, round(rng.uniform(0.3, 0.9) * (issued_total - used_total), 2)
                issued_total += issued
                used_total += used
                stamp = moment.strftime("%Y-%m-%d %H:%M:%S")
                yield (card, "Order", issued, used, 1, stamp, 1, stamp)
            balances[card] = round(issued_total - used_total, 2)

    cr.execute("SELECT company_id FROM loyalty_program WHERE id = %s", [program_id])
    company_id = cr.fetchone()[0]
    cards = (
        (first_card + i, program_id, company_id, first_partner_id + i, f"BENCH{first_card + i}", 0, "true", now, now)
        for i in range(customers)
    )
    copy_rows(
        cr,
        "loyalty_card",
        ["id", "program_id", "company_id", "partner_id", "code", "points", "active", "create_date", "write_date"],
        cards,
    )
    cr.execute("SELECT setval('loyalty_card_id_seq', %s)", [first_card + customers])
    n = copy_rows(
        cr,
        "loyalty_history",
        ["card_id", "description", "issued", "used", "create_uid", "create_date", "write_uid", "write_date"],
        history(),
    )
    cr.execute("CREATE TEMP TABLE bench_balance (card_id int, points float8)")
    copy_rows(cr, "bench_balance", ["card_id", "points"], balances.items())
    cr.execute("UPDATE loyalty_card c SET points = b.points FROM bench_balance b WHERE b.card_id = c.id")
    cr.execute("DROP TABLE bench_balance")
    cr.execute("ANALYZE loyalty_card")
    cr.execute("ANALYZE loyalty_history")
    return n


def reset_loyalty(cr):
    """Back to no tier at all, so that --reuse measures the first evaluation again; every card's points are
    its history's balance again (whatever an interrupted earlier run left)."""
    cr.execute("DELETE FROM loyalty_history WHERE crm_loyalty_expiry_date IS NOT NULL")
    cr.execute(
        """UPDATE loyalty_card c SET points = b.balance
             FROM (SELECT card_id, ROUND((SUM(issued) - SUM(used))::numeric, 2)::float8 AS balance
                     FROM loyalty_history GROUP BY card_id) b
            WHERE b.card_id = c.id AND ABS(c.points - b.balance) > 0.005"""
    )
    cr.execute("DELETE FROM crm_loyalty_run")
    cr.execute("DELETE FROM crm_loyalty_tier_history")
    cr.execute(
        """UPDATE res_partner SET loyalty_tier_id = NULL, loyalty_review_date = NULL, loyalty_tier_since = NULL,
                  loyalty_qualifying_spend = NULL, loyalty_qualifying_orders = NULL, loyalty_member_card_id = NULL
            WHERE loyalty_tier_id IS NOT NULL OR loyalty_member_card_id IS NOT NULL OR loyalty_qualifying_orders > 0"""
    )
    cr.commit()


def steady_state(cr, today):
    """Tiers were earned on every day of the last year, so reviews fall on every day; a third of the members
    earned their tier with last year's spend and are one tier above what they qualify for now."""
    cr.execute(
        """UPDATE res_partner SET loyalty_review_date = %s::date + (id %% 365) + 1,
                  loyalty_tier_since = %s::date - 364 + (id %% 365)
            WHERE loyalty_tier_id IS NOT NULL""",
        [today, today],
    )
    cr.execute(
        """WITH ladder AS (SELECT id, LEAD(id) OVER (ORDER BY sequence, min_spend, id) AS next_id
                             FROM crm_loyalty_tier WHERE active)
           UPDATE res_partner p SET loyalty_tier_id = ladder.next_id
             FROM ladder
            WHERE p.loyalty_tier_id = ladder.id AND ladder.next_id IS NOT NULL AND p.id % 3 = 0"""
    )
    cr.commit()


def main():
    parser_defaults = {"customers": 100_000, "orders": 500_000}
    history_lines = 1_000_000
    expiry_only = "--expiry-only" in sys.argv  # skip the tier evaluations (kept database only)
    if expiry_only:
        sys.argv.remove("--expiry-only")
    if "--history" in sys.argv:
        index = sys.argv.index("--history")
        history_lines = int(sys.argv[index + 1])
        del sys.argv[index : index + 2]
    args = parse_args(parser_defaults, __doc__)
    db = f"crm_care_bench_loyalty_{args.customers}_{args.orders}_{history_lines}"
    today = date.today()
    log(
        f"Loyalty benchmark: {args.customers:,} customers, {args.orders:,} orders, "
        f"{history_lines:,} loyalty history lines, database {db}"
    )
    fresh = prepare_bench_db(db, args.reuse)
    reg = registry(db)
    with reg.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env.company.partner_id.tz = "UTC"
        run_model = env["crm.loyalty.run"]
        if fresh:
            with timed("bulk load customers, orders, refunds, invoices and POS orders (COPY, SQL)"):
                partners, orders, first_id = load_customers_and_orders(
                    cr, args.customers, args.orders, args.seed, today
                )
                others = load_refunds_invoices_and_pos(env, args.seed, today, first_id, args.customers)
            log(
                f"  loaded {partners:,} partners and {orders:,} sale orders; "
                + ", ".join(f"{count:,} {name}" for name, count in others.items())
            )
            program = setup_loyalty(env)
            with timed("bulk load membership cards and history (COPY)"):
                lines = load_cards_and_history(
                    cr, program.id, first_id, args.customers, history_lines, args.seed, today
                )
            log(f"  loaded {args.customers:,} cards and {lines:,} history lines")
            cr.commit()
        elif not expiry_only:
            reset_loyalty(cr)
        if not (expiry_only and not fresh):
            evaluate_tiers(env, cr, run_model, today)
        measure_expiry(env, cr, db, today)


def evaluate_tiers(env, cr, run_model, today):
    """The first evaluation, quiet nights and nights with reviews (rolled back at the end)."""
    with timed("first evaluation (every customer gets its first tier, set-based)"):
        run_model._cron_evaluate_tiers()
    steady_state(cr, today)
    members = env["res.partner"].search_count([("loyalty_tier_id", "!=", False), ("parent_id", "=", False)])
    tiers = env["res.partner"]._read_group([("parent_id", "=", False)], ["loyalty_tier_id"], ["__count"])
    log(f"  {members:,} members: " + ", ".join(f"{t.name or 'none'} {n:,}" for t, n in tiers))

    quiet = []
    for i in range(3):
        with freeze_time(today, tick=True), timed(f"quiet night #{i + 1} (nothing due)", quiet):
            run_model._cron_evaluate_tiers()
    log(f"  -> median quiet night: {median(quiet):.2f} s")

    nights = []
    for offset in (1, 2, 3):
        with (
            freeze_time(today + timedelta(days=offset), tick=True),
            timed(f"night +{offset} (about 1/365 of the members reviewed)", nights),
        ):
            run_model._cron_evaluate_tiers()
        run = run_model.search([], limit=1)
        log(
            f"     {run.changed_count:,} members updated, {run.tier_change_count:,} tier changes, "
            f"{run.error_count} errors"
        )
    log(f"  -> median night with reviews: {median(nights):.2f} s")
    cr.rollback()


def measure_expiry(env, cr, db, today):
    """The expiry catch-up three times (undone and vacuumed in between, as on a first run), then the same
    day again and the next night; undone at the end."""
    cr.execute("SELECT COUNT(*) FROM loyalty_history")
    total_lines = cr.fetchone()[0]
    catch_up = []
    for i in range(3):
        if i:
            undo_expiry(cr, db)
        with timed(f"points expiry over {total_lines:,} history lines #{i + 1} (catch-up)", catch_up):
            env["loyalty.card"]._cron_expire_loyalty_points()
        cr.execute(
            "SELECT COUNT(*), COALESCE(SUM(used), 0) FROM loyalty_history WHERE crm_loyalty_expiry_date IS NOT NULL"
        )
        expired, points = cr.fetchone()
        log(f"     {expired:,} cards had {points:,.0f} points expire")
    log(f"  -> median expiry catch-up: {median(catch_up):.2f} s")
    with timed("points expiry again the same day (nothing left to expire)"):
        env["loyalty.card"]._cron_expire_loyalty_points()
    with (
        freeze_time(today + timedelta(days=1), tick=True),
        timed("points expiry the next night (one day of lots crosses the validity)"),
    ):
        env["loyalty.card"]._cron_expire_loyalty_points()
    cr.execute(
        "SELECT COUNT(*), COALESCE(SUM(used), 0) FROM loyalty_history WHERE crm_loyalty_expiry_date = %s",
        [today + timedelta(days=1)],
    )
    expired, points = cr.fetchone()
    log(f"     {expired:,} cards had {points:,.0f} points expire")
    undo_expiry(cr, db)  # so that --reuse measures the same work again


def undo_expiry(cr, db):
    """Remove every expiry line and give the cards their points back."""
    # (A card can have two expiry lines: restore their sum, UPDATE ... FROM applies one row per card.)
    cr.execute(
        """WITH gone AS (DELETE FROM loyalty_history WHERE crm_loyalty_expiry_date IS NOT NULL
                         RETURNING card_id, used),
                per_card AS (SELECT card_id, SUM(used) AS used FROM gone GROUP BY card_id)
           UPDATE loyalty_card c SET points = c.points + per_card.used
             FROM per_card WHERE per_card.card_id = c.id"""
    )
    cr.commit()
    psql("-d", db, "-c", "VACUUM ANALYZE loyalty_history, loyalty_card")


if __name__ == "__main__":
    main()
