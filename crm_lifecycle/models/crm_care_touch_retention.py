"""Retention of care touches: past the company's care_retention_months, a touch loses its content."""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL


class CrmCareTouch(models.Model):
    _inherit = "crm.care.touch"  # pylint: disable=consider-merging-classes-inherited

    date_purged = fields.Datetime(
        string="Content Purged On",
        readonly=True,
        index="btree_not_null",
        help="When the retention job deleted this touch's content (the email or SMS sent, the error text), past the "
        "company's Care Touch Retention. The touch itself stays: it counts in its campaign's figures and "
        "conversions.",
    )

    @api.model
    def _cron_purge_content(self, chunk_size=1000):
        """Delete the content of the care touches older than their company's care_retention_months (0: never).

        A touch is old when its planned date is before the company's today minus the retention months. Its
        rendered email (mail.message, with its mail.mail and notifications), its SMS (sms.sms by uuid) and its
        error text are deleted; the touch keeps its campaign, step, contact, state, reason and dates, so the
        campaign counters, the touch analysis and the conversions report (crm.care.conversion) keep their totals.
        Work goes in chunks of `chunk_size` touches, each committed through the cron progress API: a stopped run
        resumes with the touches not purged yet (date_purged empty), and a second run finds nothing to do.
        Returns False when out of time, True when done."""
        cron = self.env["ir.cron"]
        for company in self.env["res.company"].sudo().search([("care_retention_months", ">", 0)]):
            today = company._get_lifecycle_today()[0]
            cutoff = today - relativedelta(months=company.care_retention_months)
            old = SQL(
                """FROM crm_care_touch
                    WHERE company_id = %s AND date_planned < %s AND state != 'planned' AND date_purged IS NULL""",
                company.id,
                cutoff,
            )
            remaining = self.env.execute_query(SQL("SELECT COUNT(*) %s", old))[0][0]
            cron._commit_progress(remaining=remaining)
            while True:
                ids = [
                    row[0]
                    for row in self.env.execute_query(
                        SQL("SELECT id %s ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED", old, chunk_size)
                    )
                ]
                if not ids:
                    break
                self.browse(ids)._purge_content()
                if not cron._commit_progress(len(ids)):
                    return False
        return True

    def _purge_content(self):
        """Delete these touches' email (mail.message), SMS (sms.sms) and error text; stamp date_purged."""
        if not self:
            return
        touches = self.sudo()
        # sudo: the retention job deletes what campaigns sent, whoever runs it
        touches.mail_message_id.sudo().unlink()
        uuids = [uuid for uuid in touches.mapped("sms_uuid") if uuid]
        if uuids:
            self.env["sms.sms"].sudo().search([("uuid", "in", uuids)]).unlink()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE crm_care_touch
                      SET mail_message_id = NULL, error_message = NULL, date_purged = %(now)s,
                          write_uid = %(uid)s, write_date = %(now)s
                    WHERE id IN %(ids)s""",
                now=fields.Datetime.now(),
                uid=self.env.uid,
                ids=tuple(self.ids),
            )
        )
        self.invalidate_model(["mail_message_id", "error_message", "date_purged", "write_uid", "write_date"])
