"""setup/bench mailing: CRM Care's email step against Odoo's Email Marketing, same emails (issue 14, item 3).

setup/bench mailing --customers 100000 [--emails 10000] [--rounds 2]

Builds (once) `crm_care_bench_mailing_<N>`: the addons plus Odoo's Email Marketing (mass_mailing, in this
bench database only), N customers loaded like `setup/bench care` (bench_care.load_customers). The same
`--emails` customers (1 % of them on Odoo's blacklist) then receive the same email, up to the mail queue
(`mail.mail` created, nothing sent to SMTP), in turns:

- CRM Care: one due touch per customer on a campaign step that sends the birthday template (contact
  pressure respected), executed by `crm.care.touch._execute_due` as the care cron does;
- Odoo's Email Marketing: a `mailing.mailing` on Contacts (same subject and body as the template, the same
  customers as its domain) put in the queue and sent by the mailing queue cron's method
  (`_process_mass_mailing_queue`: composer in mass mode, blacklist exclusion, traces).

Each round runs both; the figures are seconds per 1,000 queued emails and the ratio care / Odoo (target
<= 1.0).
"""

import argparse
import os
import sys
import time
from unittest.mock import patch

sys.path.insert(0, os.path.dirname(__file__))

from bench_care import DAY, load_customers  # noqa: E402
from bench_common import _odoo_bin, create_bench_db, db_exists, log, median, registry, upgrade_bench_db  # noqa: E402

from odoo import SUPERUSER_ID, api  # noqa: E402
from odoo.fields import Command  # noqa: E402
from odoo.tools import SQL  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--emails", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", help="cProfile the CRM Care execution of the first round into this file")
    return parser.parse_args()


def prepare(db):
    if not db_exists(db):
        log(f"creating {db} with the addons and mass_mailing")
        create_bench_db(db)
        _odoo_bin(db, "-i", "mass_mailing")
    else:
        upgrade_bench_db(db)


def recipients(env, count):
    """The same customers for both mailers; 1 % of them blacklisted (both must leave them out)."""
    ids = [
        row[0]
        for row in env.execute_query(
            SQL("SELECT id FROM res_partner WHERE ref = 'care-bench' ORDER BY id DESC LIMIT %s", count)
        )
    ]
    blacklist = [pid for index, pid in enumerate(ids) if index % 100 == 7]
    env.cr.execute("DELETE FROM mail_blacklist WHERE email LIKE 'bench%%@example.com'")
    env.cr.execute(
        SQL(
            """INSERT INTO mail_blacklist (email, active, create_uid, create_date, write_uid, write_date)
               SELECT email_normalized, TRUE, 1, NOW() AT TIME ZONE 'UTC', 1, NOW() AT TIME ZONE 'UTC'
                 FROM res_partner WHERE id IN %s""",
            tuple(blacklist),
        )
    )
    env.cr.execute(SQL("UPDATE res_partner SET care_opt_out = FALSE WHERE id IN %s", tuple(ids)))
    env.invalidate_all()
    return ids, len(blacklist)


def setup_care(env, template):
    Campaign = env["crm.care.campaign"].with_context(active_test=False)
    Campaign.search([]).write({"active": False})
    campaign = Campaign.search([("description", "=", "mailing-bench")], limit=1)
    if not campaign:
        campaign = Campaign.create(
            {
                "name": "Mailing bench",
                "kind": "birthday",
                "description": "mailing-bench",
                "step_ids": [Command.create({"action": "email", "mail_template_id": template.id})],
            }
        )
    campaign.active = True
    return campaign


def reset_queue(env):
    """Empty the mail queue and what the previous turn left (touches, traces): each turn starts alike."""
    cr = env.cr
    cr.execute("DELETE FROM crm_care_touch")
    cr.execute("DELETE FROM mailing_trace")
    cr.execute("DELETE FROM mail_mail")
    cr.execute("DELETE FROM mail_message WHERE model = 'res.partner' AND message_type IN ('email', 'email_outgoing')")
    cr.commit()
    env.invalidate_all()


def queued(env):
    return env.execute_query(SQL("SELECT COUNT(*) FROM mail_mail WHERE state = 'outgoing'"))[0][0]


def run_care(env, campaign, ids, profile=None):
    step = campaign.step_ids[:1]
    env.cr.execute(
        SQL(
            """INSERT INTO crm_care_touch (campaign_id, step_id, partner_id, occurrence_key, date_planned, state,
                                           company_id, create_uid, create_date, write_uid, write_date)
               SELECT %(campaign)s, %(step)s, id, 'mailing-bench', %(day)s, 'planned', %(company)s, 1,
                      NOW() AT TIME ZONE 'UTC', 1, NOW() AT TIME ZONE 'UTC'
                 FROM res_partner WHERE id IN %(ids)s""",
            campaign=campaign.id,
            step=step.id,
            day=DAY,
            company=env.company.id,
            ids=tuple(ids),
        )
    )
    env.cr.commit()
    env.invalidate_all()
    started = time.perf_counter()
    if profile:
        import cProfile  # noqa: PLC0415 - only when asked

        cProfile.runctx(
            "env['crm.care.touch']._execute_due(env.company, DAY)", globals(), {"env": env, "DAY": DAY}, profile
        )
    else:
        env["crm.care.touch"]._execute_due(env.company, DAY)
    env.cr.commit()
    elapsed = time.perf_counter() - started
    states = dict(env.execute_query(SQL("SELECT COALESCE(reason, state), COUNT(*) FROM crm_care_touch GROUP BY 1")))
    return elapsed, queued(env), states


def run_mass_mailing(env, template, ids):
    mailing = env["mailing.mailing"].create(
        {
            "subject": template.subject,
            "body_arch": template.body_html,
            "body_html": template.body_html,
            "email_from": env.company.email_formatted or env.user.email_formatted,
            "mailing_model_id": env.ref("base.model_res_partner").id,
            "mailing_domain": repr([("id", "in", ids)]),
            "keep_archives": False,
        }
    )
    env.cr.commit()
    started = time.perf_counter()
    mailing.action_put_in_queue()
    env["mailing.mailing"]._process_mass_mailing_queue()
    env.cr.commit()
    elapsed = time.perf_counter() - started
    traces = dict(
        env.execute_query(
            SQL("SELECT trace_status, COUNT(*) FROM mailing_trace WHERE mass_mailing_id = %s GROUP BY 1", mailing.id)
        )
    )
    return elapsed, queued(env), traces


def main():
    args = parse_args()
    db = f"crm_care_bench_mailing_{args.customers}"
    log(f"Mailing benchmark: {args.emails:,} emails among {args.customers:,} customers, database {db}")
    prepare(db)
    with registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env.company.partner_id.tz = "UTC"
        if not env.company.email:
            env.company.email = "care@example.com"
        cr.commit()
        load_customers(env, args.customers)
        template = env.ref("crm_lifecycle.mail_template_care_birthday")
        campaign = setup_care(env, template)
        ids, blacklisted = recipients(env, args.emails)
        cr.commit()
        log(f"  {len(ids):,} recipients, {blacklisted} of them blacklisted (both mailers must leave them out)")
        care, odoo_times = [], []
        with (
            patch("odoo.fields.Date.context_today", lambda *a, **k: DAY),
            patch(
                "odoo.addons.crm_lifecycle.models.res_company.ResCompany._get_lifecycle_today",
                lambda self: (DAY, "UTC"),
            ),
        ):
            for index in range(args.rounds):
                reset_queue(env)
                elapsed, mails, states = run_care(env, campaign, ids, args.profile if index == 0 else None)
                care.append(elapsed / max(mails, 1) * 1000)
                log(f"  round {index + 1} CRM Care: {elapsed:.1f} s, {mails:,} mail.mail queued, touches {states}")
                reset_queue(env)
                elapsed, mails, traces = run_mass_mailing(env, template, ids)
                odoo_times.append(elapsed / max(mails, 1) * 1000)
                log(
                    f"  round {index + 1} Odoo Email Marketing: {elapsed:.1f} s, {mails:,} mail.mail queued, "
                    f"traces {traces}"
                )
        reset_queue(env)
        ratio = median(care) / median(odoo_times)
        log(
            f"  -> per 1,000 queued emails: CRM Care {median(care):.2f} s, Odoo Email Marketing "
            f"{median(odoo_times):.2f} s; ratio care / Odoo = {ratio:.2f} (target <= 1.0)"
        )


if __name__ == "__main__":
    main()
