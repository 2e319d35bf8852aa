"""A team's working hours changed while complaints are open: their deadlines follow the new hours, the ones the
hours used are counted on at resolution."""

from datetime import timedelta

from odoo.fields import Command
from odoo.tests import tagged

from .common import MONDAY, ComplaintCase


@tagged("post_install", "-at_install")
class TestSlaTeamCalendarChange(ComplaintCase):
    def test_open_complaints_follow_the_team_s_new_working_hours(self):
        early = self.env["resource.calendar"].create(
            {
                "name": "Early shift",
                "tz": "UTC",
                "attendance_ids": [
                    Command.create({"name": f"Day {day}", "dayofweek": str(day), "hour_from": 7, "hour_to": 15})
                    for day in range(5)
                ],
            }
        )
        open_complaint = self._complaint()
        done = self._complaint()
        self._move(done, "resolved", MONDAY + timedelta(hours=1), resolution="<p>ok</p>", cause_id=self.cause.id)
        self.assertEqual(open_complaint.resolve_deadline, MONDAY + timedelta(days=1, hours=9))  # Tue 18:00
        done_deadline = done.resolve_deadline
        with self.mock_datetime_and_now(MONDAY + timedelta(hours=2)):
            self.team.with_user(self.manager).resource_calendar_id = early
            self.env.flush_all()
        # Monday 9:00-15:00 (6 h), Tuesday 8 h, Wednesday 7:00-9:00 (2 h): 16 working hours
        self.assertEqual(open_complaint.resolve_deadline, MONDAY + timedelta(days=2))  # Wed 09:00
        self.assertEqual(open_complaint.response_deadline, MONDAY + timedelta(hours=4))
        self.assertEqual(done.resolve_deadline, done_deadline, "a resolved complaint keeps its deadlines")
        # resolved at Wednesday 10:00: 17 working hours on the same (new) hours, late as its deadline says
        self._move(
            open_complaint,
            "resolved",
            MONDAY + timedelta(days=2, hours=1),
            resolution="<p>ok</p>",
            cause_id=self.cause.id,
        )
        self.assertAlmostEqual(open_complaint.resolution_hours, 17.0)
        self.assertEqual(open_complaint.sla_status, "breached")
