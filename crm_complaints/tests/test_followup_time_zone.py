from datetime import date, datetime

from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestFollowupTimeZone(ComplaintCase):
    """The follow-up visit is planned from the day of the resolution in the company's business time zone
    (crm_lifecycle's rule), not the UTC day and not the day of the user who resolves."""

    def _resolve_at(self, moment, user):
        complaint = self._complaint()
        self._respond(complaint, datetime(2026, 6, 15, 10, 0))
        self._move(complaint, "resolved", moment, user=user, resolution="<p>New vase sent</p>", cause_id=self.cause.id)
        return complaint

    def test_resolved_late_utc_evening_is_the_next_day_in_shanghai(self):
        # 17:00 UTC on Tuesday 16 June: 01:00 on Wednesday 17 June in Shanghai, 19:00 on Tuesday for the agent.
        complaint = self._resolve_at(datetime(2026, 6, 16, 17, 0), self.agent)
        self.assertEqual(complaint.followup_date, date(2026, 6, 20), "three days after Wednesday 17 June")

    def test_resolved_late_utc_evening_in_a_utc_company(self):
        self.company.partner_id.tz = False
        self.company.crm_care_tz = "UTC"
        complaint = self._resolve_at(datetime(2026, 6, 16, 17, 0), self.manager)  # the manager is in Shanghai
        self.assertEqual(complaint.followup_date, date(2026, 6, 19), "three days after Tuesday 16 June")
