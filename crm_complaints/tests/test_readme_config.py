"""README promises of crm_complaints' configuration: the attachment limit's fallback (25 MB), the default
follow-up delay (3 days), the escalation job every 15 minutes, the SLA clock on the company's calendar when
the team has none and around the clock without any."""

from datetime import datetime, timedelta
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.crm_complaints.tools.complaint_attachment import get_max_size_mb

from . import test_intake as intake
from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestReadmeComplaintConfig(ComplaintCase):
    def test_attachment_limit_missing_zero_or_not_a_number_means_25_mb(self):
        Param = self.env["ir.config_parameter"].sudo()
        for value in (False, "0", "-3", "not a number"):
            Param.set_param("crm_complaints.attachment_max_size_mb", value)
            self.assertEqual(get_max_size_mb(self.env), 25, repr(value))
        Param.set_param("crm_complaints.attachment_max_size_mb", "2")
        self.assertEqual(get_max_size_mb(self.env), 2)
        # Through the mail gateway: with "0", a 1.5 MB photo is kept (0 does not mean "nothing").
        Param.set_param("crm_complaints.attachment_max_size_mb", "0")
        raw = intake.TestIntake._email(
            self, "carla@example.com", attachments=[("photo.jpg", intake.JPEG + b"x" * (1536 * 1024))]
        )
        complaint = intake.TestIntake._process(self, raw)
        stored = self.env["ir.attachment"].search([("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)])
        self.assertEqual(stored.mapped("name"), ["photo.jpg"])

    def test_follow_up_delay_is_3_days_and_the_approval_amount_a_company_setting(self):
        company = self.env["res.company"].create({"name": "Fresh Company"})
        self.assertEqual(company.complaint_followup_days, 3)
        self.assertIn("complaint_approval_amount", self.env["res.config.settings"]._fields)
        self.assertIn("complaint_followup_days", self.env["res.config.settings"]._fields)

    def test_escalation_job_runs_every_15_minutes(self):
        cron = self.env.ref("crm_complaints.ir_cron_crm_complaint_escalate")
        self.assertEqual(cron.name, "Complaints: SLA status and escalation")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (15, "minutes"))
        with patch.object(type(self.env["crm.complaint"]), "_cron_escalate", autospec=True) as called:
            cron.ir_actions_server_id.run()
        self.assertEqual(called.call_count, 1)

    def test_a_team_without_working_hours_uses_the_company_s_else_the_clock_runs_around_the_clock(self):
        self.team.resource_calendar_id = False
        self.company.resource_calendar_id = self.calendar
        on_company_hours = self._complaint(when=datetime(2026, 6, 15, 11, 0))
        self.assertEqual(on_company_hours.response_deadline, datetime(2026, 6, 15, 16, 0), "4 h, lunch skipped")
        self.company.resource_calendar_id = False
        friday_20 = datetime(2026, 6, 19, 20, 0)
        around_the_clock = self._complaint(when=friday_20)
        self.assertEqual(around_the_clock.response_deadline, friday_20 + timedelta(hours=4))
        self.assertEqual(around_the_clock.resolve_deadline, friday_20 + timedelta(hours=16))
