"""SLA inputs at the edges of the working day and of the workflow (team: Monday-Friday 9-13 and 14-18 UTC;
policy: respond in 4 working hours, resolve in 16). Values counted by hand on the calendar."""

from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import MONDAY, ComplaintCase


@tagged("post_install", "-at_install")
class TestSlaEdgeInputs(ComplaintCase):
    def _resolve(self, complaint, when):
        self._move(complaint, "resolved", when, resolution="<p>Replaced</p>", cause_id=self.cause.id)

    def test_created_at_the_end_of_the_day_during_lunch_and_on_sunday(self):
        for label, created, response, resolve in (
            ("18:00 sharp", MONDAY + timedelta(hours=9), datetime(2026, 6, 16, 13), datetime(2026, 6, 17, 18)),
            (
                "lunch break",
                MONDAY + timedelta(hours=4, minutes=30),
                datetime(2026, 6, 15, 18),
                datetime(2026, 6, 17, 13),
            ),
            ("sunday", MONDAY - timedelta(days=1), datetime(2026, 6, 15, 13), datetime(2026, 6, 16, 18)),
        ):
            with self.subTest(label):
                complaint = self._complaint(when=created)
                self.assertEqual((complaint.response_deadline, complaint.resolve_deadline), (response, resolve))

    def test_waiting_twice_then_resolved_then_reopened_and_resolved_again(self):
        complaint = self._complaint()
        self._respond(complaint, MONDAY + timedelta(hours=1))
        self._move(complaint, "waiting", MONDAY + timedelta(hours=1))  # 10:00-11:00: 1 h
        self._move(complaint, "in_progress", MONDAY + timedelta(hours=2))
        self._move(complaint, "waiting", MONDAY + timedelta(hours=3))  # Monday 12:00 to Tuesday 9:00: 5 h
        self._move(complaint, "in_progress", MONDAY + timedelta(days=1))
        self.assertAlmostEqual(complaint.sla_paused_hours, 6.0)
        self.assertEqual(complaint.resolve_deadline, datetime(2026, 6, 17, 16))  # 22 h from Monday 9:00
        self._resolve(complaint, MONDAY + timedelta(days=1, hours=1))  # Tuesday 10:00: 9 h - 6 h paused
        self.assertAlmostEqual(complaint.resolution_hours, 3.0)
        self.assertEqual(complaint.sla_status, "met")
        # reopened on Wednesday 9:00: a new handling round counted from there (test_reopen_new_round.py)
        self._move(complaint, "in_progress", MONDAY + timedelta(days=2))
        self.assertAlmostEqual(complaint.sla_paused_hours, 0.0)
        self.assertFalse(complaint.sla_paused_since)
        self.assertEqual(complaint.response_deadline, datetime(2026, 6, 17, 13))  # 4 h from Wednesday 9:00
        self.assertEqual(complaint.resolve_deadline, datetime(2026, 6, 18, 18))  # 16 h from Wednesday 9:00
        self.assertEqual((complaint.reopen_count, complaint.sla_status), (1, "on_track"))
        self._resolve(complaint, MONDAY + timedelta(days=2, hours=1))  # Wednesday 10:00: 1 h into the round
        self.assertAlmostEqual(complaint.resolution_hours, 1.0)
        self.assertEqual(complaint.sla_status, "met")
