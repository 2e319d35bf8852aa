"""The hours of an SLA policy complaints were promised cannot change in place: a successor replaces it."""

from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MONDAY, ComplaintCase


@tagged("post_install", "-at_install")
class TestSlaPolicyHoursChange(ComplaintCase):
    def test_hours_of_a_policy_in_use_cannot_change(self):
        waiting, running = self._complaint(), self._complaint()
        self._move(waiting, "waiting", MONDAY + timedelta(hours=1))
        policy = self.policy.with_user(self.manager)
        for vals in ({"resolve_hours": 8.0}, {"response_hours": 2.0}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "archive it and create a new policy"):
                policy.write(vals)
        self.assertEqual((self.policy.response_hours, self.policy.resolve_hours), (4.0, 16.0))
        # resumed later, it is still planned on the hours it was promised, as the other one
        self._move(waiting, "in_progress", MONDAY + timedelta(days=1, hours=1))
        self.assertEqual(running.resolve_deadline, MONDAY + timedelta(days=1, hours=9))  # Tuesday 18:00
        self.assertEqual(waiting.resolve_deadline, MONDAY + timedelta(days=2, hours=9))  # + 8 paused hours
        # its name, the same hours, or the hours of a policy nobody was promised may change
        policy.write({"name": "Standard (2026)", "resolve_hours": 16.0})
        unused = (
            self.env["crm.complaint.sla"]
            .with_user(self.manager)
            .create({"name": "Severe", "severity": "critical", "response_hours": 1, "resolve_hours": 4})
        )
        unused.resolve_hours = 6
        self.assertEqual(unused.resolve_hours, 6)
