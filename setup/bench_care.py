"""Care campaigns benchmark (run by `setup/bench care --customers N`).

Bulk-loads N customers with COPY (birthdays spread over the year, first orders spread over three years,
lifecycle stages), creates 10 active campaigns of every kind, then measures on one day:
  1. planning the day's touches (the cron's planning phase, every campaign);
  2. planning the same day again (must create nothing);
  3. executing `--exec` (10,000) due email touches (rendering, queueing mail.mail), in the cron's chunks.
"""

import argparse
import io
import os
import sys
import time
from datetime import date, timedelta
from unittest.mock import patch

sys.path.insert(0, os.path.dirname(__file__))

from bench_common import create_bench_db, db_exists, registry, upgrade_bench_db  # noqa: E402

from odoo import SUPERUSER_ID, api  # noqa: E402
from odoo.fields import Command  # noqa: E402
from odoo.tools import SQL  # noqa: E402

DAY = date(2026, 6, 15)
BATCH = 100_000


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--exec", type=int, default=10_000, dest="execute")
    return parser.parse_args()


def load_customers(env, count):
    cr = env.cr
    cr.execute("SELECT COUNT(*) FROM res_partner WHERE ref = 'care-bench'")
    existing = cr.fetchone()[0]
    if existing >= count:
        return existing
    stages = dict(env.execute_query(SQL("SELECT code, id FROM crm_lifecycle_stage")))
    codes = ["active", "loyal", "at_risk", "new", "churned", "active", "loyal"]
    started = time.monotonic()
    for start in range(existing, count, BATCH):
        buffer = io.StringIO()
        for index in range(start, min(start + BATCH, count)):
            birthday = date(1950 + index % 55, 1, 1) + timedelta(days=(index * 7919) % 365)
            first_order = DAY - timedelta(days=30 + (index * 104729) % 1000)
            email = f"bench{index}@example.com"
            buffer.write(
                "\t".join(
                    (
                        f"Bench customer {index}",
                        f"Bench customer {index}",
                        "care-bench",
                        "t",
                        "contact",
                        "f",
                        email,
                        email,
                        birthday.isoformat(),
                        "en_US",
                        "ask",
                        str(stages[codes[index % len(codes)]]),
                        first_order.isoformat(),
                        "3",
                    )
                )
                + "\n"
            )
        buffer.seek(0)
        cr.copy_expert(
            """COPY res_partner (name, complete_name, ref, active, type, is_company, email, email_normalized,
                                 birthday, lang, autopost_bills, lifecycle_stage_id, first_order_date, order_count)
               FROM STDIN""",
            buffer,
        )
    cr.execute(
        """UPDATE res_partner SET commercial_partner_id = id, create_date = NOW() AT TIME ZONE 'UTC',
                                  write_date = NOW() AT TIME ZONE 'UTC', create_uid = 1, write_uid = 1
            WHERE ref = 'care-bench' AND commercial_partner_id IS NULL"""
    )
    env["res.partner"]._care_roll_next_birthdays(DAY)
    cr.execute("ANALYZE res_partner")
    cr.commit()
    print(f"loaded {count - existing} customers with COPY in {time.monotonic() - started:.1f} s")
    return count


def setup_campaigns(env):
    Campaign = env["crm.care.campaign"].with_context(active_test=False)
    Campaign.search([]).write({"active": False})
    bench = Campaign.search([("description", "=", "care-bench")])
    if len(bench) == 10:
        bench.write({"active": True, "date_last_planned": False})
        return bench
    bench.unlink()
    birthday = env.ref("crm_lifecycle.mail_template_care_birthday")
    thanks = env.ref("crm_lifecycle.mail_template_care_thank_you")
    visit = env.ref("crm_lifecycle.mail_activity_type_follow_up_visit")
    vip = env["crm.segment"].create({"name": "Bench loyal", "domain": "[('lifecycle_stage_id.code', '=', 'loyal')]"})
    occasion = env["crm.care.occasion"].create(
        {"name": "Bench day", "date_ids": [Command.create({"date": DAY + timedelta(days=40)})]}
    )

    def email(template, delay=0):
        return Command.create({"action": "email", "mail_template_id": template.id, "delay_days": delay})

    specs = [
        {"name": "Birthday greeting", "kind": "birthday", "step_ids": [email(birthday)]},
        {"name": "Birthday early", "kind": "birthday", "lead_days": 3, "step_ids": [email(birthday)]},
        {
            "name": "Birthday call",
            "kind": "birthday",
            "step_ids": [
                Command.create(
                    {"action": "activity", "activity_type_id": visit.id, "delay_days": 1, "respect_pressure": False}
                )
            ],
        },
        {"name": "Anniversary", "kind": "purchase_anniversary", "step_ids": [email(thanks)]},
        {"name": "After order", "kind": "after_order", "step_ids": [email(thanks, 1), email(thanks, 30)]},
        {
            "name": "Occasion",
            "kind": "occasion",
            "occasion_id": occasion.id,
            "lead_days": 3,
            "step_ids": [email(birthday)],
        },
        {
            "name": "Quarterly VIP",
            "kind": "periodic",
            "segment_id": vip.id,
            "interval_days": 90,
            "step_ids": [email(thanks)],
        },
        {"name": "VIP welcome", "kind": "segment_entry", "segment_id": vip.id, "step_ids": [email(thanks)]},
        {"name": "VIP lost", "kind": "segment_exit", "segment_id": vip.id, "step_ids": [email(thanks)]},
        {
            "name": "Win-back",
            "kind": "stage_entry",
            "stage_id": env.ref("crm_lifecycle.stage_at_risk").id,
            "step_ids": [email(thanks)],
        },
    ]
    campaigns = Campaign.create([{**spec, "description": "care-bench"} for spec in specs])
    with patch("odoo.fields.Date.context_today", lambda *a, **k: DAY - timedelta(days=1)):
        vip._refresh_members()  # the nightly segment refresh, before the care cron
    env.cr.commit()
    return campaigns


def main():
    args = parse_args()
    db = f"crm_care_bench_care_{args.customers}"
    if not db_exists(db):
        print(f"creating {db} with the three addons")
        create_bench_db(db)
    else:
        upgrade_bench_db(db)
    with registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env.company.partner_id.tz = "UTC"
        cr.commit()
        load_customers(env, args.customers)
        campaigns = setup_campaigns(env)
        cr.execute("DELETE FROM crm_care_touch")
        cr.execute("DELETE FROM mail_mail")
        cr.commit()
        with (
            patch("odoo.fields.Date.context_today", lambda *a, **k: DAY),
            patch(
                "odoo.addons.crm_lifecycle.models.res_company.ResCompany._get_lifecycle_today",
                lambda self: (DAY, "UTC"),
            ),
        ):
            started = time.monotonic()
            env["crm.care.campaign"]._plan_campaigns()
            planning = time.monotonic() - started
            planned = env.execute_query(SQL("SELECT COUNT(*) FROM crm_care_touch"))[0][0]
            print(f"planning {DAY} for {args.customers} customers, 10 campaigns: {planned} touches in {planning:.1f} s")

            campaigns.write({"date_last_planned": False})
            cr.commit()
            started = time.monotonic()
            env["crm.care.campaign"]._plan_campaigns()
            replanning = time.monotonic() - started
            again = env.execute_query(SQL("SELECT COUNT(*) FROM crm_care_touch"))[0][0] - planned
            print(f"planning the same day again: {again} new touches in {replanning:.1f} s")

            # Execution: exactly `--exec` due email touches (the day's other touches wait for tomorrow).
            cr.execute(
                SQL("UPDATE crm_care_touch SET date_planned = %s WHERE state = 'planned'", DAY + timedelta(days=1))
            )
            step = campaigns.filtered(lambda c: c.name == "Birthday greeting").step_ids
            cr.execute(
                SQL(
                    """INSERT INTO crm_care_touch (campaign_id, step_id, partner_id, occurrence_key, date_planned,
                                                   state, company_id, create_uid, create_date, write_uid, write_date)
                       SELECT %(campaign)s, %(step)s, id, 'bench-exec', %(day)s, 'planned', %(company)s, 1,
                              NOW() AT TIME ZONE 'UTC', 1, NOW() AT TIME ZONE 'UTC'
                         FROM res_partner WHERE ref = 'care-bench' ORDER BY id DESC LIMIT %(limit)s
                       ON CONFLICT DO NOTHING""",
                    campaign=step.campaign_id.id,
                    step=step.id,
                    day=DAY,
                    company=env.company.id,
                    limit=args.execute,
                )
            )
            cr.commit()
            env.invalidate_all()
            started = time.monotonic()
            env["crm.care.touch"]._execute_due(env.company, DAY)
            execution = time.monotonic() - started
            done = dict(
                env.execute_query(
                    SQL("SELECT state, COUNT(*) FROM crm_care_touch WHERE occurrence_key = 'bench-exec' GROUP BY state")
                )
            )
            mails = env.execute_query(SQL("SELECT COUNT(*) FROM mail_mail"))[0][0]
            print(f"executing {args.execute} due email touches: {done} in {execution:.1f} s, {mails} mail.mail queued")


if __name__ == "__main__":
    main()
