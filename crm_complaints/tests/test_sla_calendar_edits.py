"""Working hours or time off edited while complaints are open: their deadlines are planned again on the hours
their resolution will be judged on (public holidays entered late, attendances changed in place)."""

from datetime import timedelta

from odoo.fields import Command
from odoo.tests import tagged

from .common import MONDAY, ComplaintCase
from .test_sla_calendar_paths import _public_holiday

TUESDAY_18 = MONDAY + timedelta(days=1, hours=9)
WEDNESDAY_18 = MONDAY + timedelta(days=2, hours=9)


@tagged("post_install", "-at_install")
class TestSlaCalendarEdits(ComplaintCase):
    def test_a_public_holiday_entered_later_moves_the_open_deadlines(self):
        complaint = self._complaint()
        self._respond(complaint, MONDAY + timedelta(hours=1))
        resolved = self._complaint()
        self._move(resolved, "resolved", MONDAY + timedelta(hours=1), resolution="<p>ok</p>", cause_id=self.cause.id)
        self.assertEqual(complaint.resolve_deadline, TUESDAY_18)
        sister = _public_holiday(self, self.company_2, MONDAY + timedelta(days=1, hours=-9), "Sister's day")
        self.env.invalidate_all()
        self.assertEqual(complaint.resolve_deadline, TUESDAY_18, "another company's holiday changes nothing")
        with self.mock_datetime_and_now(MONDAY + timedelta(hours=2)):
            holiday = _public_holiday(self, self.company, MONDAY + timedelta(days=1, hours=-9))
            self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(complaint.resolve_deadline, WEDNESDAY_18, "Tuesday is off")
        self.assertEqual(resolved.resolve_deadline, TUESDAY_18, "a resolved complaint keeps its deadlines")
        # resolved on Wednesday 17:00: 15 working hours without the holiday, met as its deadline says
        self._move(
            complaint, "resolved", WEDNESDAY_18 - timedelta(hours=1), resolution="<p>ok</p>", cause_id=self.cause.id
        )
        self.assertAlmostEqual(complaint.resolution_hours, 15.0)
        self.assertEqual(complaint.sla_status, "met")
        # removed again (entered by mistake): an open complaint is planned back
        other = self._complaint()
        self.assertEqual(other.resolve_deadline, WEDNESDAY_18)
        holiday.unlink()
        sister.unlink()
        self.env.invalidate_all()
        self.assertEqual(other.resolve_deadline, TUESDAY_18)

    def test_attendances_edited_in_place_move_the_open_deadlines(self):
        complaint = self._complaint()
        afternoons = self.calendar.attendance_ids.filtered(lambda a: a.day_period == "afternoon")
        with self.mock_datetime_and_now(MONDAY + timedelta(hours=2)):
            self.calendar.with_user(self.manager).sudo().write(
                {"attendance_ids": [Command.update(a.id, {"hour_to": 17}) for a in afternoons]}
            )
            self.env.flush_all()
        self.env.invalidate_all()
        # 7 hours a day: Monday 7, Tuesday 7, Wednesday 9:00-11:00
        self.assertEqual(complaint.resolve_deadline, MONDAY + timedelta(days=2, hours=2))
        self.assertEqual(complaint.response_deadline, MONDAY + timedelta(hours=4))
