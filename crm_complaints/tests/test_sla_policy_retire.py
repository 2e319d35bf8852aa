"""Retiring (archiving) an SLA policy: open complaints keep the hours they were promised; new and
re-evaluated complaints get the best active policy; nothing is sent to customers."""

from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import MONDAY, ComplaintCase


@tagged("post_install", "-at_install")
class TestSlaPolicyRetire(ComplaintCase):
    def test_archiving_a_policy_keeps_the_deadlines_of_open_complaints(self):
        complaint = self._complaint()  # Standard: 4 h / 16 h, resolve by Tuesday 18:00
        self._move(complaint, "waiting", MONDAY + timedelta(hours=1))
        messages = complaint.message_ids
        self.policy.action_archive()
        successor = self.env["crm.complaint.sla"].create(
            {"name": "Standard 2027", "team_id": self.team.id, "response_hours": 2, "resolve_hours": 8}
        )
        self.assertEqual(complaint.sla_policy_id, self.policy)
        self.assertEqual(complaint.resolve_deadline, datetime(2026, 6, 16, 18, 0))
        self.assertEqual(complaint.message_ids, messages, "no message, to the customer or anyone")

        # resumed: the archived policy's 16 h, pushed by the paused hours (Monday 10:00 to Tuesday 10:00: 8 h)
        self._move(complaint, "in_progress", MONDAY + timedelta(days=1, hours=1))
        self.assertEqual(complaint.sla_policy_id, self.policy)
        self.assertEqual(complaint.resolve_deadline, datetime(2026, 6, 17, 18, 0))

        # a new complaint gets the active successor
        new = self._complaint(MONDAY + timedelta(days=1, hours=1))
        self.assertEqual(new.sla_policy_id, successor)

        # re-evaluated (its category changes): the best active policy, counted from creation
        with self.mock_datetime_and_now(MONDAY + timedelta(days=1, hours=2)):
            complaint.with_user(self.agent).category_id = self.env["crm.complaint.category"].create({"name": "Billing"})
            self.env.flush_all()
        self.assertEqual(complaint.sla_policy_id, successor)
        # 8 h + 8 paused hours from Monday 9:00
        self.assertEqual(complaint.resolve_deadline, datetime(2026, 6, 16, 18, 0))

    def test_a_retired_policy_still_judges_what_it_promised(self):
        complaint = self._complaint()
        self._respond(complaint, MONDAY + timedelta(hours=1))
        self.policy.action_archive()
        self._move(
            complaint,
            "resolved",
            MONDAY + timedelta(days=1, hours=8),  # Tuesday 17:00: 16 h allowed, 15 h used
            resolution="<p>Replaced</p>",
            cause_id=self.cause.id,
        )
        self.assertAlmostEqual(complaint.resolution_hours, 15.0)
        self.assertEqual(complaint.sla_status, "met")
