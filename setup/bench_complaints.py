"""Benchmark of crm_complaints, run by `setup/bench complaints [--reuse] [--complaints N] [--open N] [--due N]`.

0. Creates crm_care_bench_complaints from the dependency template with the three addons (--reuse keeps it
   and its data when it exists).

1. Bulk-loads --complaints complaints (default 1,000,000) with SQL: --open of them open (default 100,000), of which
   --due (default 1,000) are past their response deadline and not yet escalated; the rest are resolved,
   closed or cancelled. Loaded once; later runs reuse the data (the due ones are reset before each run).
2. Times the escalation cron (crm.complaint._cron_escalate) over them: target <= 5 s.
3. Times the kanban's opening, web_read_group grouped by stage with the kanban's unfold arguments, as the
   administrator (a Customer Care Manager): target <= 1 s server time.
Prints one line per figure; exits 1 when a target is missed.
"""

import argparse
import json
import os
import statistics
import sys
import time

KANBAN_FIELDS = [
    "name",
    "subject",
    "partner_id",
    "category_id",
    "priority",
    "sla_status",
    "sla_countdown",
    "severity",
    "user_id",
    "state",
    "activity_ids",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="crm_care_bench_complaints")
    parser.add_argument("--reuse", action="store_true", help="keep the bench database and its data if it exists")
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3, help="kanban openings to time (median reported)")
    return parser.parse_args()


def load(env, args):
    from odoo.tools import SQL

    count = env.execute_query(SQL("SELECT COUNT(*) FROM crm_complaint"))[0][0]
    if count >= args.complaints:
        print(f"complaints: reusing {count:,} complaints")
        return
    env.cr.execute("TRUNCATE crm_complaint CASCADE")
    admin = env.ref("base.user_admin")
    team = env["crm.complaint.team"].search([("name", "=", "Bench team")], limit=1) or env["crm.complaint.team"].create(
        {"name": "Bench team", "leader_id": admin.id, "member_ids": [(6, 0, admin.ids)]}
    )
    partners = env["res.partner"].search([("email", "like", "@bench.example.com")])
    if len(partners) < 5000:
        partners |= env["res.partner"].create(
            [{"name": f"Bench customer {i}", "email": f"c{i}@bench.example.com"} for i in range(5000 - len(partners))]
        )
    stages = {stage.state: stage.id for stage in env["crm.complaint.stage"].search([])}
    now = env.cr.now()
    started = time.perf_counter()
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            WITH p AS (SELECT array_agg(id ORDER BY id) AS ids
                         FROM res_partner WHERE email LIKE '%%@bench.example.com'),
            rows AS (
                SELECT i,
                       CASE WHEN i <= %(open)s THEN (ARRAY['new', 'acknowledged', 'in_progress', 'waiting'])[1 + i %% 4]
                            WHEN i <= %(open)s + (%(total)s - %(open)s) / 9 THEN 'resolved'
                            WHEN i <= %(open)s + 2 * (%(total)s - %(open)s) / 9 THEN 'cancelled'
                            ELSE 'closed' END AS state,
                       p.ids[1 + i %% array_length(p.ids, 1)] AS partner_id
                  FROM generate_series(1, %(total)s) i, p
            )
            INSERT INTO crm_complaint (
                name, subject, active, company_id, partner_id, commercial_partner_id, email_from, channel,
                severity, priority, stage_id, state, team_id, create_date, write_date, create_uid, write_uid,
                response_deadline, resolve_deadline, response_risk_date, resolve_risk_date,
                response_escalation_date, resolve_escalation_date, first_response_date, resolved_date,
                sla_status, escalation_level, sla_paused_hours, reopen_count, rating_last_value)
            SELECT 'CMP/BENCH/' || lpad(i::text, 7, '0'), 'Bench complaint ' || i, TRUE, %(company)s,
                   partner_id, partner_id, 'c' || i || '@bench.example.com',
                   (ARRAY['email', 'portal', 'phone', 'store', 'social', 'other'])[1 + i %% 6],
                   (ARRAY['low', 'medium', 'high', 'critical'])[1 + i %% 4], '0',
                   (%(stages)s::jsonb ->> state)::int, state, %(team)s,
                   %(now)s - interval '40 days', %(now)s, 1, 1,
                   %(now)s + interval '30 days', %(now)s + interval '60 days',
                   %(now)s + interval '29 days', %(now)s + interval '59 days',
                   %(now)s + interval '61 days', %(now)s + interval '90 days',
                   CASE WHEN state IN ('new', 'acknowledged', 'in_progress', 'waiting') THEN NULL
                        ELSE %(now)s - interval '39 days' END,
                   CASE WHEN state IN ('resolved', 'closed') THEN %(now)s - interval '38 days' END,
                   CASE WHEN state IN ('resolved', 'closed') THEN 'met' ELSE 'on_track' END,
                   0, 0, 0, 0
              FROM rows
            """,
            open=args.open,
            total=args.complaints,
            company=env.company.id,
            stages=json.dumps(stages),
            team=team.id,
            now=now,
        )
    )
    env.cr.commit()
    print(f"complaints: loaded {args.complaints:,} complaints in {time.perf_counter() - started:.1f} s")


def reset_due(env, args):
    """The first --due running complaints are past their response deadline and not yet escalated."""
    from odoo.tools import SQL

    now = env.cr.now()
    env.cr.execute(
        SQL(
            """
            UPDATE crm_complaint SET escalation_level = 0, priority = '0', sla_status = 'on_track',
                   response_deadline = CASE WHEN id IN (SELECT id FROM crm_complaint
                                                         WHERE state IN ('new', 'acknowledged', 'in_progress')
                                                         ORDER BY id LIMIT %(due)s)
                                            THEN %(now)s - interval '1 hour'
                                            ELSE %(now)s + interval '30 days' END
             WHERE state IN ('new', 'acknowledged', 'in_progress', 'waiting')
            """,
            due=args.due,
            now=now,
        )
    )
    env.cr.execute("DELETE FROM mail_activity WHERE res_model = 'crm.complaint'")
    env.cr.commit()
    vacuum(env.cr.dbname)


def vacuum(dbname):
    """What autovacuum does on a live database after big loads: the reset above rewrote 100,000 rows."""
    from odoo.sql_db import db_connect

    cnx = db_connect(dbname).cursor()
    try:
        cnx._cnx.autocommit = True
        cnx.execute("VACUUM ANALYZE crm_complaint")
    finally:
        cnx.close()


def main():
    args = parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from bench_common import create_bench_db, db_exists, upgrade_bench_db
    from bench_common import registry as bench_registry

    import odoo
    from odoo import api

    if not (args.reuse and db_exists(args.db)):
        started = time.perf_counter()
        create_bench_db(args.db)
        print(f"complaints: created {args.db} with the addons in {time.perf_counter() - started:.1f} s")
    else:
        upgrade_bench_db(args.db)
    registry = bench_registry(args.db)
    failed = False
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        load(env, args)
        reset_due(env, args)
        env.invalidate_all()
        open_count = env["crm.complaint"].search_count(
            [("state", "in", ["new", "acknowledged", "in_progress", "waiting"])]
        )
        started = time.perf_counter()
        env["crm.complaint"]._cron_escalate()  # outside a cron run, _commit_progress just commits
        elapsed = time.perf_counter() - started
        escalated = env["crm.complaint"].search_count([("escalation_level", "=", 1)])
        print(
            f"complaints: escalation cron over {open_count:,} open complaints ({escalated:,} escalated) "
            f"in {elapsed:.2f} s (target <= 5 s)"
        )
        failed |= elapsed > 5 or escalated != args.due
        vacuum(args.db)

        admin = env.ref("base.user_admin")
        Complaint = env["crm.complaint"].with_user(admin).with_context(lang="en_US", tz="UTC")
        timings = []
        for _run in range(args.runs):
            env.invalidate_all()
            started = time.perf_counter()
            groups = Complaint.web_read_group(
                [],
                ["stage_id"],
                ["__count"],
                auto_unfold=True,
                unfold_read_specification={name: {} for name in KANBAN_FIELDS},
                unfold_read_default_limit=40,
            )
            timings.append(time.perf_counter() - started)
        total = sum(group["__count"] for group in groups["groups"])
        median = statistics.median(timings)
        print(
            f"complaints: kanban by stage over {total:,} complaints opens in {median:.3f} s server time "
            f"(median of {args.runs}; target <= 1 s)"
        )
        failed |= median > 1
        cr.rollback()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
