from datetime import date
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.base.models.ir_cron import IrCron

from .care_common import CareCase
from .common import frozen


@tagged("post_install", "-at_install")
class TestCareExecution(CareCase):
    """Due touches are carried out by their step's action; failures stay with their touch."""

    def _birthday_customer(self, name, **vals):
        return self._customer(name, birthday=date(1990, 6, 15), **vals)

    def test_email_is_queued_in_the_partner_s_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.birthday_template.with_context(lang="zh_CN").subject = "{{ object.name }}，生日快乐！"
        chinese = self._birthday_customer("Li Lei", lang="zh_CN")
        english = self._birthday_customer("John", lang="en_US")
        campaign = self._campaign("birthday")
        self._run_care(self.TODAY)
        touches = self._touches(campaign)
        self.assertEqual(set(touches.mapped("state")), {"done"})
        mails = self.env["mail.mail"].search([("mail_message_id", "in", touches.mail_message_id.ids)])
        subjects = {mail.recipient_ids.id: mail.subject for mail in mails}
        self.assertEqual(subjects[chinese.id], "Li Lei，生日快乐！")
        self.assertEqual(subjects[english.id], "Happy birthday, John!")
        self.assertEqual(set(mails.mapped("state")), {"outgoing"}, "queued, not sent by the cron")

    def test_render_failure_fails_one_touch_and_the_batch_goes_on(self):
        template = self.birthday_template.copy(
            {"subject": "{{ object.name if object.name != 'Broken' else object.no_such_field }}"}
        )
        broken = self._birthday_customer("Broken")
        fine = self._birthday_customer("Fine")
        campaign = self._campaign("birthday", steps=[{"action": "email", "mail_template_id": template.id}])
        self._run_care(self.TODAY)
        touches = self._touches(campaign)
        failed = touches.filtered(lambda t: t.partner_id == broken)
        self.assertEqual((failed.state, failed.reason), ("failed", "render_error"))
        self.assertIn("no_such_field", failed.error_message)
        done = touches.filtered(lambda t: t.partner_id == fine)
        self.assertEqual(done.state, "done")
        self.assertEqual(done.mail_message_id.subject, "Fine")

    def test_activity_goes_to_the_salesperson_or_the_campaign_responsible(self):
        followed = self._birthday_customer("Followed", user_id=self.salesman.id)
        orphan = self._birthday_customer("Orphan")
        campaign = self._campaign(
            "birthday",
            steps=[{"action": "activity", "activity_type_id": self.visit_type.id, "activity_summary": "Call"}],
        )
        self._run_care(self.TODAY)
        touches = self._touches(campaign)
        by_partner = {touch.partner_id: touch.activity_id for touch in touches}
        self.assertEqual(by_partner[followed].user_id, self.salesman)
        self.assertEqual(by_partner[orphan].user_id, self.manager)
        self.assertEqual(by_partner[orphan].summary, "Call")
        self.assertEqual(by_partner[orphan].res_id, orphan.id)

    def test_tags_salesperson_and_opportunity(self):
        partner = self._birthday_customer("Handled")
        remove = self.env["res.partner.category"].create({"name": "Sleeping"})
        add = self.env["res.partner.category"].create({"name": "Celebrated"})
        partner.category_id = remove
        campaign = self._campaign(
            "birthday",
            steps=[
                {"action": "add_tag", "tag_id": add.id},
                {"action": "remove_tag", "tag_id": remove.id},
                {"action": "assign_salesperson", "user_id": self.salesman.id},
                {"action": "create_opportunity", "activity_summary": "Birthday offer"},
            ],
        )
        self._run_care(self.TODAY)
        self.assertEqual(set(self._touches(campaign).mapped("state")), {"done"})
        self.assertEqual(partner.category_id, add)
        self.assertEqual(partner.user_id, self.salesman)
        lead = self._touches(campaign).lead_id
        self.assertEqual((lead.partner_id, lead.type, lead.name), (partner, "opportunity", "Birthday offer - Handled"))

    def test_survey_invitation(self):
        survey = self.env["survey.survey"].create(
            {
                "title": "How was it?",
                "access_mode": "token",
                "question_and_page_ids": [Command.create({"title": "Your mark", "question_type": "text_box"})],
            }
        )
        partner = self._birthday_customer("Surveyed")
        campaign = self._campaign("birthday", steps=[{"action": "survey", "survey_id": survey.id}])
        self._run_care(self.TODAY)
        touch = self._touches(campaign)
        self.assertEqual(touch.state, "done")
        self.assertEqual(touch.survey_user_input_id.partner_id, partner)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", touch.mail_message_id.id)])
        self.assertIn(touch.survey_user_input_id.access_token, str(mail.body_html))
        self.assertEqual(mail.recipient_ids, partner)

    def test_execution_resumes_after_a_stop(self):
        for index in range(3):
            self._birthday_customer(f"Chunked {index}")
        campaign = self._campaign("birthday")
        campaign._plan_day(self.TODAY, "UTC")

        def out_of_time(cron, processed=0, **kwargs):
            return 0 if processed else float("inf")

        with patch.object(IrCron, "_commit_progress", out_of_time), frozen(self.env, self.TODAY):
            finished = self.env["crm.care.touch"]._execute_due(self.company, self.TODAY, chunk_size=1)
        self.env.invalidate_all()
        self.assertFalse(finished)
        self.assertEqual(sorted(self._touches(campaign).mapped("state")), ["done", "planned", "planned"])
        self._run_care(self.TODAY, chunk_size=1)
        self.assertEqual(set(self._touches(campaign).mapped("state")), {"done"})
        self.assertEqual(len(self._touches(campaign)), 3)

    def test_conversion_within_the_attribution_window(self):
        converted = self._birthday_customer("Converted")
        late = self._birthday_customer("Late")
        campaign = self._campaign("birthday")
        self._run_care(self.TODAY)
        self._order(converted, self._days_ago(-13), amount=300)
        self._order(late, self._days_ago(-15), amount=500)
        campaign.invalidate_recordset()
        self.assertEqual(campaign.touched_count, 2)
        self.assertEqual(campaign.conversion_count, 1)
        self.assertEqual(campaign.revenue, 300)
        self.assertEqual(campaign.conversion_rate, 50)
        conversion = self.env["crm.care.conversion"].search([("campaign_id", "=", campaign.id)])
        self.assertEqual(conversion.partner_id, converted)

    def test_an_order_converts_for_the_latest_touch_only(self):
        partner = self._birthday_customer("Twice Touched")
        first = self._campaign("birthday", name="First")
        self._run_care(self.TODAY)
        second = self._campaign(
            "after_order",
            name="Second",
            steps=[{"action": "email", "mail_template_id": self.thank_you_template.id, "delay_days": 0}],
        )
        self._order(partner, self._days_ago(-3), amount=100)
        self._run_care(self._days_ago(-4))
        self._order(partner, self._days_ago(-5), amount=70)
        (first | second).invalidate_recordset()
        self.assertEqual((first.conversion_count, first.revenue), (1, 100))
        self.assertEqual((second.conversion_count, second.revenue), (1, 70))

    def test_statistics(self):
        self._birthday_customer("Counted")
        self._birthday_customer("Skipped", care_opt_out=True)
        campaign = self._campaign("birthday")
        self._run_care(self.TODAY)
        self.assertEqual((campaign.touched_count, campaign.skipped_count, campaign.touch_count), (1, 1, 2))
        self.assertEqual(campaign.audience_count, 2)

    def test_send_test_to_me(self):
        campaign = self._campaign("birthday")
        self.env.user.partner_id.email = "me@example.com"
        action = campaign.action_send_test()
        self.assertEqual(action["params"]["type"], "success")
        mail = self.env["mail.mail"].search([("subject", "like", "[Test] Happy birthday")])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.env.user.partner_id)
        no_email = self._campaign(
            "birthday",
            steps=[{"action": "add_tag", "tag_id": self.env["res.partner.category"].create({"name": "t"}).id}],
        )
        with self.assertRaisesRegex(UserError, "no email step"):
            no_email.action_send_test()
