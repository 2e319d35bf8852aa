from datetime import datetime

from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestEscalation(ComplaintCase):
    def _escalation_activities(self, complaint):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "crm.complaint"),
                ("res_id", "=", complaint.id),
                ("activity_type_id", "=", self.env.ref("crm_complaints.mail_activity_type_complaint_escalation").id),
            ]
        )

    def _manager_notifications(self, complaint):
        return self.env["mail.message"].search(
            [
                ("model", "=", "crm.complaint"),
                ("res_id", "=", complaint.id),
                ("partner_ids", "in", self.manager.partner_id.ids),
            ]
        )

    def test_each_escalation_level_happens_once(self):
        complaint = self._complaint()  # response due Monday 13:00, twice over at 18:00
        on_time = self._complaint()
        with self.mock_datetime_and_now(datetime(2026, 6, 15, 10, 0)):
            on_time.with_user(self.agent).message_post(
                body="Hello", message_type="comment", subtype_xmlid="mail.mt_comment"
            )

        self._run_escalation(datetime(2026, 6, 15, 12, 59))
        self.assertEqual(complaint.escalation_level, 0)

        self._run_escalation(datetime(2026, 6, 15, 13, 5))
        self.assertEqual(complaint.escalation_level, 1)
        self.assertEqual(complaint.priority, "1", "priority up")
        self.assertEqual(complaint.sla_status, "breached")
        activity = self._escalation_activities(complaint)
        self.assertEqual(activity.user_id, self.leader)
        self.assertFalse(self._manager_notifications(complaint))
        self.assertEqual(on_time.escalation_level, 0, "responded in time")

        self._run_escalation(datetime(2026, 6, 15, 14, 0))  # again: nothing new
        self.assertEqual(len(self._escalation_activities(complaint)), 1)
        self.assertEqual(complaint.priority, "1")

        self._run_escalation(datetime(2026, 6, 15, 18, 5))  # late by the allowed 4 hours again
        self.assertEqual(complaint.escalation_level, 2)
        self.assertEqual(complaint.priority, "1", "only level 1 raises the priority")
        notification = self._manager_notifications(complaint)
        self.assertEqual(len(notification), 1)
        self.assertIn(self.manager_2.partner_id, notification.partner_ids)
        self.assertNotIn(self.agent.partner_id, notification.partner_ids)

        self._run_escalation(datetime(2026, 6, 16, 18, 5))
        self.assertEqual(complaint.escalation_level, 2)
        self.assertEqual(len(self._manager_notifications(complaint)), 1)
        self.assertEqual(len(self._escalation_activities(complaint)), 1)

    def test_a_long_outage_escalates_both_levels_in_one_run(self):
        complaint = self._complaint()
        self._run_escalation(datetime(2026, 6, 17, 9, 30))
        self.assertEqual(complaint.escalation_level, 2)
        self.assertEqual(len(self._escalation_activities(complaint)), 1)
        self.assertEqual(len(self._manager_notifications(complaint)), 1)

    def test_resolution_breach_escalates_after_the_response(self):
        complaint = self._complaint()
        with self.mock_datetime_and_now(datetime(2026, 6, 15, 10, 0)):
            complaint.with_user(self.agent).message_post(
                body="On it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self._run_escalation(datetime(2026, 6, 16, 17, 0))
        self.assertEqual(complaint.escalation_level, 0)
        self._run_escalation(datetime(2026, 6, 16, 18, 5))  # resolve deadline Tuesday 18:00
        self.assertEqual(complaint.escalation_level, 1)

    def test_resolved_and_waiting_complaints_do_not_escalate(self):
        resolved = self._complaint()
        self._move(resolved, "resolved", datetime(2026, 6, 15, 10, 0), resolution="<p>Done</p>", cause_id=self.cause.id)
        waiting = self._complaint()
        self._move(waiting, "waiting", datetime(2026, 6, 15, 10, 0))
        self._run_escalation(datetime(2026, 6, 20, 10, 0))
        self.assertEqual((resolved | waiting).mapped("escalation_level"), [0, 0])
        self.assertEqual(resolved.sla_status, "met")
