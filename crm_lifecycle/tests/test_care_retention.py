"""Retention of care touches (issue 17): past the company's months, the content of a touch is deleted by the
nightly job; the touches, the campaign counters and the conversions report keep their totals."""

from datetime import date, datetime, timedelta
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.base.models.ir_cron import IrCron

from .care_common import CareCase
from .common import frozen

# 24 months before TODAY (2026-06-15): touches planned before it are old.
CUTOFF = date(2024, 6, 15)


@tagged("post_install", "-at_install")
class TestCareRetention(CareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.care_retention_months = 24
        sms_template = cls.env["sms.template"].create(
            {"name": "Birthday SMS", "model_id": cls.env["ir.model"]._get_id("res.partner"), "body": "Happy birthday"}
        )
        broken_template = cls.birthday_template.copy(
            {"subject": "{{ object.name if object.name != 'Broken' else object.no_such_field }}"}
        )
        cls.campaign = cls._campaign(
            "birthday",
            steps=[
                {"action": "email", "mail_template_id": cls.birthday_template.id},
                {"action": "sms", "sms_template_id": sms_template.id, "respect_pressure": False},
            ],
            name="Birthdays",
        )
        cls.broken_campaign = cls._campaign(
            "birthday",
            steps=[{"action": "email", "mail_template_id": broken_template.id, "respect_pressure": False}],
            name="Broken",
        )
        cls.old = cls._customer("Old Greeted", birthday=date(1980, 6, 14), phone="+32 470 12 34 56")
        cls.broken = cls._customer("Broken", birthday=date(1981, 6, 14))
        cls.boundary = cls._customer("Boundary", birthday=date(1982, 6, 15))

    def _purge(self, on=None, hour=4, **kwargs):
        moment = datetime.combine(on or self.TODAY, datetime.min.time()) + timedelta(hours=hour)
        with frozen(self.env, moment), self._no_commit():
            result = self.env["crm.care.touch"]._cron_purge_content(**kwargs)
        self.env.invalidate_all()
        return result

    def _send_old_touches(self):
        """Touches of 2024-06-14 (older than 24 months: an email, an SMS, a template error) and of 2024-06-15 (not
        older), and an order converted by the old email."""
        self._run_care(CUTOFF - timedelta(days=1))
        self._run_care(CUTOFF)
        self._order(self.old, CUTOFF + timedelta(days=3), amount=200)
        return self.env["crm.care.touch"].search([("campaign_id", "in", (self.campaign | self.broken_campaign).ids)])

    def _figures(self):
        campaigns = self.campaign | self.broken_campaign
        campaigns.invalidate_recordset()
        conversions = self.env["crm.care.conversion"].search([("campaign_id", "in", campaigns.ids)])
        return {
            "campaigns": [
                (c.touch_count, c.touched_count, c.skipped_count, c.failed_count, c.conversion_count, c.revenue)
                for c in campaigns
            ],
            "conversions": (len(conversions), sum(conversions.mapped("amount")), conversions.touch_id.ids),
            "touches": self.env["crm.care.touch"].search_count([("campaign_id", "in", campaigns.ids)]),
            "partner": self.old.care_touch_count,
        }

    def test_old_content_deleted_counts_kept(self):
        touches = self._send_old_touches()
        by_key = {(t.partner_id, t.step_id.action, t.campaign_id): t for t in touches}
        email = by_key[self.old, "email", self.campaign]
        sms = by_key[self.old, "sms", self.campaign]
        failed = by_key[self.broken, "email", self.broken_campaign]
        recent = by_key[self.boundary, "email", self.campaign]
        self.assertEqual((email.state, sms.state, failed.state), ("done", "done", "failed"))
        message = email.mail_message_id
        self.assertTrue(message)
        sms_record = self.env["sms.sms"].search([("uuid", "=", sms.sms_uuid)])
        self.assertTrue(sms_record)
        self.assertIn("no_such_field", failed.error_message)
        before = self._figures()
        self.assertEqual(before["conversions"][:2], (1, 200.0))

        self.assertTrue(self._purge())

        self.assertFalse(message.exists(), "the email sent is deleted")
        self.assertFalse(self.env["mail.mail"].search([("mail_message_id", "=", message.id)]))
        self.assertFalse(sms_record.exists(), "the SMS sent is deleted")
        self.assertFalse(email.mail_message_id)
        self.assertFalse(failed.error_message)
        self.assertEqual({email.date_purged, sms.date_purged, failed.date_purged}, {datetime(2026, 6, 15, 4, 0)})
        self.assertEqual((email.state, failed.state, failed.reason), ("done", "failed", "render_error"))
        self.assertFalse(recent.date_purged, "a touch of exactly 24 months ago is kept")
        self.assertTrue(recent.mail_message_id.exists())
        self.assertEqual(self._figures(), before, "counters, conversions and touches keep their totals")

    def test_second_run_changes_nothing(self):
        touches = self._send_old_touches()
        self._purge()
        purged = {touch.id: touch.date_purged for touch in touches}
        self.assertTrue(any(purged.values()))
        self.assertTrue(self._purge(hour=15))  # the same business day (23:00 in Shanghai), later
        self.assertEqual({touch.id: touch.date_purged for touch in touches}, purged)

    def test_zero_months_keeps_everything(self):
        touches = self._send_old_touches()
        self.company.care_retention_months = 0
        self._purge(date(2030, 1, 1))
        self.assertFalse(any(touches.mapped("date_purged")))
        sent = touches.filtered(lambda t: t.step_id.action == "email" and t.state == "done")
        self.assertTrue(all(sent.mapped("mail_message_id")))

    def test_retention_is_the_company_s_months(self):
        touches = self._send_old_touches()
        self.company.care_retention_months = 36
        self._purge()
        self.assertFalse(any(touches.mapped("date_purged")))
        self._purge(date(2027, 6, 15))  # 36 months after 2024-06-14
        old = touches.filtered(lambda t: t.date_planned < CUTOFF)
        self.assertTrue(all(old.mapped("date_purged")))
        self.assertFalse(any((touches - old).mapped("date_purged")))

    def test_out_of_time_resumes_where_it_stopped(self):
        touches = self._send_old_touches()
        old = touches.filtered(lambda t: t.date_planned < CUTOFF)
        self.assertEqual(len(old), 6, "two contacts, three steps each")
        calls = []

        def one_chunk_only(cron, processed=0, **kwargs):
            calls.append(processed)
            return len(calls) < 2  # the announcement of the remaining work, then one chunk: out of time

        moment = datetime.combine(self.TODAY, datetime.min.time()) + timedelta(hours=4)
        with frozen(self.env, moment), patch.object(IrCron, "_commit_progress", one_chunk_only):
            self.assertFalse(self.env["crm.care.touch"]._cron_purge_content(chunk_size=2))
        self.env.invalidate_all()
        self.assertEqual(len(old.filtered("date_purged")), 2)
        self.assertTrue(self._purge(chunk_size=2))
        self.assertEqual(len(old.filtered("date_purged")), 6)

    def test_negative_retention_refused(self):
        with self.assertRaises(ValidationError):
            self.company.care_retention_months = -1

    def test_the_nightly_job_runs_it(self):
        cron = self.env.ref("crm_lifecycle.ir_cron_care_purge_content")
        self.assertEqual((cron.code, cron.interval_type, cron.active), ("model._cron_purge_content()", "days", True))
