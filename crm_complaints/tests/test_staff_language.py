"""What a job, a customer or a colleague writes for one staff member comes in that person's language: the SLA
escalation's activity (the cron has no language) for the team leader, the managers' escalation notification
(one per language), the follow-up visit planned when someone else resolves the complaint and the to-do of a
complaint the customer reopens by mail, for its owner."""

from datetime import datetime

from odoo.tests import tagged

from . import test_resolution
from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestStaffLanguage(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        (cls.leader | cls.agent | cls.manager).write({"lang": "zh_CN"})
        cls.manager_2.lang = "en_US"

    _customer_reply = test_resolution.TestResolution._customer_reply

    def _activities(self, complaint, user):
        return complaint.activity_ids.filtered(lambda activity: activity.user_id == user)

    def test_escalations_reach_each_reader_in_their_language(self):
        complaint = self._complaint()
        self._run_escalation(datetime(2026, 6, 15, 13, 5))
        self.assertEqual(self._activities(complaint, self.leader).summary, "SLA 已违约：升级处理")
        self._run_escalation(datetime(2026, 6, 15, 18, 5))
        notifications = self.env["mail.message"].search(
            [("model", "=", "crm.complaint"), ("res_id", "=", complaint.id), ("message_type", "=", "user_notification")]
        )
        by_reader = {partner: message for message in notifications for partner in message.partner_ids}
        chinese, english = by_reader[self.manager.partner_id], by_reader[self.manager_2.partner_id]
        self.assertEqual(chinese.subject, f"投诉 {complaint.name} 已升级至经理")
        self.assertIn("已超时", str(chinese.body))
        self.assertEqual(english.subject, f"Complaint {complaint.name} escalated to managers")
        self.assertIn("has been late by its allowed time again", str(english.body))

    def test_follow_up_visit_and_reopening_to_do_in_the_owners_language(self):
        complaint = self._complaint()
        self._respond(complaint, datetime(2026, 6, 15, 10, 0))
        # an English-speaking manager resolves the Chinese-speaking agent's complaint
        self._move(
            complaint.with_context(lang="en_US"),
            "resolved",
            test_resolution.RESOLVED_AT,
            user=self.manager_2,
            resolution="<p>We sent a new vase.</p>",
            cause_id=self.cause.id,
        )
        self.assertEqual(self._activities(complaint, self.agent).summary, f"回访：{complaint.name}")
        self._customer_reply(complaint, datetime(2026, 6, 22, 10, 0))
        self.assertEqual(complaint.state, "in_progress")
        self.assertIn("投诉已重新打开：请联系客户", self._activities(complaint, self.agent).mapped("summary"))
