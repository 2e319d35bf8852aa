from datetime import datetime

from odoo.tests import tagged

from .common import ComplaintCase

# The team works Monday to Friday 9-13 and 14-18 UTC; the policy: respond in 4, resolve in 16 working hours.
CREATED = datetime(2026, 6, 15, 9, 0)  # Monday
RESOLVED_AT = datetime(2026, 6, 18, 10, 0)  # Thursday, late: both levels of escalation happened
REOPENED_AT = datetime(2026, 6, 22, 10, 0)  # the next Monday


@tagged("post_install", "-at_install")
class TestReopenNewRound(ComplaintCase):
    """A reopened complaint starts a new handling round: deadlines counted again from the reopening on the
    working hours, escalation level 0, first response and resolution markers cleared; the ended round stays
    visible in the chatter."""

    def _escalated_and_resolved(self):
        complaint = self._complaint(when=CREATED)
        self._run_escalation(datetime(2026, 6, 17, 9, 30))  # response late twice over: level 2
        self.assertEqual(complaint.escalation_level, 2)
        self.assertEqual(complaint.sla_status, "breached")
        self._respond(complaint, datetime(2026, 6, 17, 10, 0))
        self._move(complaint, "resolved", RESOLVED_AT, resolution="<p>A new vase was sent.</p>", cause_id=self.cause.id)
        self.assertEqual(complaint.sla_status, "breached")
        return complaint

    def _assert_new_round(self, complaint, reopened_at):
        self.assertEqual(complaint.state, "in_progress")
        self.assertEqual(complaint.sla_start_date, reopened_at)
        self.assertEqual(complaint.escalation_level, 0)
        self.assertFalse(complaint.first_response_date)
        self.assertFalse(complaint.first_response_hours)
        self.assertFalse(complaint.resolved_date)
        self.assertFalse(complaint.resolution_hours)
        self.assertFalse(complaint.sla_paused_hours)
        self.assertFalse(complaint.followup_date)
        self.assertEqual(complaint.sla_status, "on_track")
        # Monday 10:00 + 4 working hours (lunch 13-14) = 15:00; + 16 working hours = Wednesday 10:00
        self.assertEqual(complaint.response_deadline, datetime(2026, 6, 22, 15, 0))
        self.assertEqual(complaint.resolve_deadline, datetime(2026, 6, 24, 10, 0))
        self.assertEqual(complaint.response_escalation_date, datetime(2026, 6, 23, 10, 0))
        summary = complaint.message_ids.filtered(lambda m: "new handling round" in str(m.body))
        self.assertEqual(len(summary), 1, "the ended round is summed up once in the chatter")
        self.assertIn("escalation level 2", str(summary.body))
        self.assertIn("Breached", str(summary.body))
        self.assertIn("Resolved after", str(summary.body))

    def test_reopening_by_stage_starts_a_new_escalation_round(self):
        complaint = self._escalated_and_resolved()
        activity_type = self.env.ref("crm_complaints.mail_activity_type_complaint_escalation")
        escalations = [
            ("res_model", "=", "crm.complaint"),
            ("res_id", "=", complaint.id),
            ("activity_type_id", "=", activity_type.id),
        ]
        self.assertEqual(self.env["mail.activity"].search_count(escalations), 1, "the leader's, never done")
        priority = complaint.priority
        self._move(complaint, "in_progress", REOPENED_AT, user=self.agent)
        self._assert_new_round(complaint, REOPENED_AT)
        self.assertEqual(complaint.reopen_count, 1)
        self.assertEqual(complaint.priority, priority, "the priority raised by the escalation stays")
        self.assertEqual(self.env["mail.activity"].search_count(escalations), 0, "the ended round's escalation done")
        done = complaint.message_ids.filtered(lambda m: "The handling round it escalated has ended." in str(m.body))
        self.assertEqual(len(done), 1, "and kept in the chatter")

        # the escalation cron escalates the new round again, level by level, at the new deadlines
        self._run_escalation(datetime(2026, 6, 22, 14, 59))
        self.assertEqual(complaint.escalation_level, 0)
        self._run_escalation(datetime(2026, 6, 22, 15, 5))
        self.assertEqual(complaint.escalation_level, 1)
        self.assertEqual(complaint.sla_status, "breached")
        activity = self.env["mail.activity"].search(escalations)
        self.assertEqual((len(activity), activity.user_id), (1, self.leader), "a new escalation for the new round")
        self._run_escalation(datetime(2026, 6, 23, 11, 5))
        self.assertEqual(complaint.escalation_level, 2)
        self.assertEqual(self.env["mail.activity"].search_count(escalations), 1)

    def test_a_response_and_resolution_in_the_new_round_are_counted_from_the_reopening(self):
        complaint = self._escalated_and_resolved()
        self._move(complaint, "in_progress", REOPENED_AT)
        self._respond(complaint, datetime(2026, 6, 22, 11, 30))
        self.assertAlmostEqual(complaint.first_response_hours, 1.5)
        self._move(
            complaint,
            "resolved",
            datetime(2026, 6, 22, 16, 0),
            resolution="<p>Refunded.</p>",
            cause_id=self.cause.id,
        )
        self.assertAlmostEqual(complaint.resolution_hours, 5.0)
        self.assertEqual(complaint.sla_status, "met", "the new round was handled in time")

    def test_a_customer_reply_through_the_mail_gateway_starts_a_new_round(self):
        complaint = self._escalated_and_resolved()
        self._customer_reply(complaint, REOPENED_AT, body="The new vase is broken too")
        self._assert_new_round(complaint, REOPENED_AT)
        self.assertEqual(complaint.reopen_count, 1)

    def test_a_low_rating_starts_a_new_round(self):
        complaint = self._escalated_and_resolved()
        with self.mock_datetime_and_now(REOPENED_AT):
            complaint.sudo().rating_apply(1, token=complaint._rating_get_access_token(), feedback="Still broken")
            self.env.flush_all()
        self.env.invalidate_all()
        self._assert_new_round(complaint, REOPENED_AT)

    def test_reopened_into_waiting_starts_the_round_paused(self):
        complaint = self._escalated_and_resolved()
        self._move(complaint, "waiting", REOPENED_AT)
        self.assertEqual(complaint.escalation_level, 0)
        self.assertEqual(complaint.sla_paused_since, REOPENED_AT)
        self._move(complaint, "in_progress", datetime(2026, 6, 22, 12, 0))
        self.assertAlmostEqual(complaint.sla_paused_hours, 2.0)
        self.assertEqual(complaint.response_deadline, datetime(2026, 6, 22, 17, 0))

    def test_a_cancelled_complaint_brought_back_starts_a_new_round_without_counting_a_reopening(self):
        complaint = self._complaint(when=CREATED)
        self._run_escalation(datetime(2026, 6, 15, 13, 5))
        self.assertEqual(complaint.escalation_level, 1)
        self._move(complaint, "cancelled", datetime(2026, 6, 15, 14, 0))
        self._move(complaint, "new", REOPENED_AT, user=self.leader)
        self.assertEqual(complaint.escalation_level, 0)
        self.assertEqual(complaint.reopen_count, 0)
        self.assertEqual(complaint.response_deadline, datetime(2026, 6, 22, 15, 0))
        self.assertEqual(complaint.sla_status, "on_track")
