from datetime import datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ComplaintCase

RESOLVED_AT = datetime(2026, 6, 16, 10, 0)


@tagged("post_install", "-at_install")
class TestResolution(ComplaintCase):
    def _resolved(self):
        complaint = self._complaint()
        self._respond(complaint, datetime(2026, 6, 15, 10, 0))
        self._move(complaint, "resolved", RESOLVED_AT, resolution="<p>We sent a new vase.</p>", cause_id=self.cause.id)
        return complaint

    def _followups(self, complaint):
        return complaint.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("crm_complaints.mail_activity_type_complaint_followup")
        )

    def test_resolving_needs_a_resolution_and_a_cause(self):
        complaint = self._complaint()
        with self.assertRaisesRegex(ValidationError, "describe the resolution"):
            self._move(complaint, "resolved", RESOLVED_AT, cause_id=self.cause.id)
        with self.assertRaisesRegex(ValidationError, "root cause"):
            self._move(complaint, "resolved", RESOLVED_AT, resolution="<p>Done</p>")
        with self.assertRaises(ValidationError):
            self._move(complaint, "closed", RESOLVED_AT, resolution="<p><br></p>", cause_id=self.cause.id)
        self.assertEqual(complaint.state, "new")

    def test_the_customer_gets_the_resolution_and_a_rating_request(self):
        complaint = self._resolved()
        self.assertEqual(complaint.resolved_date, RESOLVED_AT)
        request = complaint.message_ids.filtered(lambda m: "is resolved" in (m.subject or ""))
        self.assertEqual(len(request), 1)
        self.assertIn(self.customer, request.partner_ids)
        self.assertIn("We sent a new vase.", str(request.body))
        token = complaint._rating_get_access_token()
        for score in (5, 3, 1):
            self.assertIn(f"/rate/{token}/{score}", str(request.body))

    def test_follow_up_visit_is_planned_and_its_result_recorded(self):
        complaint = self._resolved()
        followup = self._followups(complaint)
        self.assertEqual(len(followup), 1)
        self.assertEqual(str(followup.date_deadline), "2026-06-19")  # three days after the resolution
        self.assertEqual(followup.user_id, self.agent)
        self.assertEqual(str(complaint.followup_date), "2026-06-19")
        followup.with_user(self.agent).action_feedback(feedback="Happy with the new vase")
        self.assertEqual(complaint.followup_result, "Happy with the new vase")

    def test_a_low_rating_reopens_for_the_team_leader(self):
        complaint = self._resolved()
        token = complaint._rating_get_access_token()
        with self.mock_datetime_and_now(datetime(2026, 6, 17, 9, 0)):
            complaint.sudo().rating_apply(1, token=token, feedback="Still broken")
            self.env.flush_all()
        self.assertEqual(complaint.state, "in_progress")
        self.assertEqual(complaint.reopen_count, 1)
        self.assertEqual(complaint.user_id, self.leader)
        self.assertFalse(complaint.resolved_date)
        self.assertTrue(complaint.activity_ids.filtered(lambda a: a.user_id == self.leader))
        self.assertFalse(self._followups(complaint), "no follow-up visit for an unresolved complaint")
        self.assertEqual(complaint.rating_last_value, 1)
        # a new handling round: the clock counts again from the reopening (test_reopen_new_round.py)
        self.assertEqual(complaint.sla_start_date, datetime(2026, 6, 17, 9, 0))
        self.assertFalse(complaint.sla_paused_hours)

    def test_a_good_rating_keeps_it_resolved(self):
        complaint = self._resolved()
        complaint.sudo().rating_apply(5, token=complaint._rating_get_access_token())
        self.assertEqual(complaint.state, "resolved")
        self.assertEqual(complaint.reopen_count, 0)

    def test_a_customer_reply_within_seven_days_reopens(self):
        complaint = self._resolved()
        self._customer_reply(complaint, datetime(2026, 6, 22, 10, 0))
        self.assertEqual(complaint.state, "in_progress")
        self.assertEqual(complaint.reopen_count, 1)
        self.assertEqual(complaint.user_id, self.agent, "the owner keeps it")

    def test_a_customer_reply_after_seven_days_does_not_reopen(self):
        complaint = self._resolved()
        self._customer_reply(complaint, datetime(2026, 6, 23, 10, 1))
        self.assertEqual(complaint.state, "resolved")
        self.assertEqual(complaint.reopen_count, 0)

    def test_a_customer_reply_resumes_a_waiting_complaint(self):
        complaint = self._complaint()
        self._move(complaint, "waiting", datetime(2026, 6, 15, 10, 0))
        self._customer_reply(complaint, datetime(2026, 6, 15, 11, 0))
        self.assertEqual(complaint.state, "in_progress")
        self.assertAlmostEqual(complaint.sla_paused_hours, 1.0)

    def test_resolved_complaints_close_after_seven_days(self):
        complaint = self._resolved()
        with self.mock_datetime_and_now(datetime(2026, 6, 23, 11, 0)), self._no_commit():
            self.env["crm.complaint"]._cron_close_resolved()
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.closed_date, datetime(2026, 6, 23, 11, 0))
        self.assertEqual(complaint.sla_status, "met")
