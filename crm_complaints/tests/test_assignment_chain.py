from datetime import datetime

from odoo.fields import Command
from odoo.tests import tagged

from .common import ComplaintCase

RESOLVED_AT = datetime(2026, 6, 16, 10, 0)


@tagged("post_install", "-at_install")
class TestComplaintAssignmentChain(ComplaintCase):
    """Escalations, follow-up visits and reopened complaints go to people who are still here: active and
    allowed in the complaint's company, along CRM Care's assignment chain."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Sister Company"})
        cls.managers = cls.env.ref("crm_lifecycle.group_crm_care_manager").all_user_ids

    def _move_to_company_b(self, user):
        user.write({"company_ids": [Command.set(self.company_b.ids)], "company_id": self.company_b.id})

    def _activities(self, complaint, xmlid):
        return complaint.activity_ids.filtered(lambda a: a.activity_type_id == self.env.ref(xmlid))

    def _escalated(self):
        complaint = self._complaint()
        self._run_escalation(datetime(2026, 6, 15, 13, 5))
        return self._activities(complaint, "crm_complaints.mail_activity_type_complaint_escalation")

    def _resolved(self):
        complaint = self._complaint()
        self._respond(complaint, datetime(2026, 6, 15, 10, 0))
        self._move(complaint, "resolved", RESOLVED_AT, resolution="<p>We sent a new vase.</p>", cause_id=self.cause.id)
        return complaint

    def assertStillHereManager(self, user):  # noqa: N802 - unittest style
        self.assertEqual(len(user), 1)
        self.assertIn(user, self.managers)
        self.assertTrue(user.active)
        self.assertIn(self.company, user.company_ids)

    def test_escalation_skips_an_archived_leader_for_the_owner(self):
        self.leader.action_archive()
        self.assertEqual(self._escalated().user_id, self.agent)

    def test_escalation_skips_a_leader_of_another_company(self):
        self._move_to_company_b(self.leader)
        self.assertEqual(self._escalated().user_id, self.agent)

    def test_escalation_reaches_a_manager_when_leader_and_owner_left(self):
        complaint = self._complaint()
        self.leader.action_archive()
        self.agent.action_archive()
        self._run_escalation(datetime(2026, 6, 15, 13, 5))
        activity = self._activities(complaint, "crm_complaints.mail_activity_type_complaint_escalation")
        self.assertStillHereManager(activity.user_id)
        self.assertNotIn(activity.user_id, self.leader | self.agent)

    def test_follow_up_visit_skips_an_archived_owner(self):
        complaint = self._complaint()
        self._respond(complaint, datetime(2026, 6, 15, 10, 0))
        self.agent.action_archive()
        self._move(
            complaint,
            "resolved",
            RESOLVED_AT,
            user=self.leader,
            resolution="<p>We sent a new vase.</p>",
            cause_id=self.cause.id,
        )
        visit = self._activities(complaint, "crm_complaints.mail_activity_type_complaint_followup")
        self.assertEqual(visit.user_id, self.leader)

    def test_follow_up_visit_skips_an_owner_of_another_company(self):
        complaint = self._complaint()
        self._respond(complaint, datetime(2026, 6, 15, 10, 0))
        self._move_to_company_b(self.agent)
        self.leader.action_archive()
        complaint.with_user(self.manager).write(
            {"stage_id": self.stage["resolved"].id, "resolution": "<p>Done</p>", "cause_id": self.cause.id}
        )
        visit = self._activities(complaint, "crm_complaints.mail_activity_type_complaint_followup")
        self.assertStillHereManager(visit.user_id)

    def test_low_rating_with_an_archived_leader_stays_with_the_owner(self):
        complaint = self._resolved()
        self.leader.action_archive()
        with self.mock_datetime_and_now(datetime(2026, 6, 17, 9, 0)):
            complaint.sudo().rating_apply(1, token=complaint._rating_get_access_token(), feedback="Still broken")
            self.env.flush_all()
        self.assertEqual(complaint.state, "in_progress")
        self.assertEqual(complaint.user_id, self.agent)
        todo = self._activities(complaint, "mail.mail_activity_data_todo")
        self.assertEqual(todo.user_id, self.agent)

    def test_low_rating_with_a_leader_of_another_company_stays_with_the_owner(self):
        complaint = self._resolved()
        self._move_to_company_b(self.leader)
        with self.mock_datetime_and_now(datetime(2026, 6, 17, 9, 0)):
            complaint.sudo().rating_apply(1, token=complaint._rating_get_access_token(), feedback="Still broken")
            self.env.flush_all()
        self.assertEqual(complaint.user_id, self.agent)
        self.assertEqual(self._activities(complaint, "mail.mail_activity_data_todo").user_id, self.agent)

    def test_reopened_by_a_reply_goes_to_the_leader_when_the_owner_left(self):
        complaint = self._resolved()
        self.agent.action_archive()
        with self.mock_datetime_and_now(datetime(2026, 6, 17, 9, 0)):
            complaint.sudo().message_post(
                body="It is still not right",
                author_id=self.customer.id,
                message_type="email",
                subtype_xmlid="mail.mt_comment",
            )
            self.env.flush_all()
        self.assertEqual(complaint.state, "in_progress")
        self.assertEqual(self._activities(complaint, "mail.mail_activity_data_todo").user_id, self.leader)
