from datetime import date

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.sms.tests.common import MockSMS

from .care_common import CareCase


@tagged("post_install", "-at_install")
class TestCareChannels(CareCase, MockSMS):
    """Each step's outcome follows its channel's real result: survey invitations, SMS refusals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env["survey.survey"].create(
            {
                "title": "How was your order?",
                "access_mode": "token",
                "question_and_page_ids": [Command.create({"title": "Your mark", "question_type": "text_box"})],
            }
        )
        cls.sms_template = cls.env["sms.template"].create(
            {"name": "Care SMS", "model_id": cls.env["ir.model"]._get_id("res.partner"), "body": "Hi {{ object.name }}"}
        )

    def _survey_campaign(self):
        return self._campaign("after_order", steps=[{"action": "survey", "survey_id": self.survey.id, "delay_days": 1}])

    def _mail(self, touch):
        return self.env["mail.mail"].search([("mail_message_id", "=", touch.mail_message_id.id)])

    # ------------------------------------------------------------------
    # Surveys
    # ------------------------------------------------------------------

    def test_each_order_gets_a_fresh_survey_invitation(self):
        partner = self._customer("Surveyed Twice")
        campaign = self._survey_campaign()
        first_order = self._order(partner, self.TODAY)
        self._run_care(self._days_ago(-1))
        first = self._touches(campaign)
        self.assertEqual(first.state, "done")
        first.survey_user_input_id._mark_done()  # the customer answered the survey of order 1
        self._order(partner, self._days_ago(-3))
        self._run_care(self._days_ago(-4))
        second = self._touches(campaign) - first
        self.assertEqual(second.state, "done")
        self.assertNotEqual(second.order_id, first_order)
        self.assertNotEqual(second.survey_user_input_id, first.survey_user_input_id)
        self.assertEqual(second.survey_user_input_id.state, "new", "a new, unanswered link")
        self.assertEqual(second.survey_user_input_id.partner_id, partner)
        body = str(self._mail(second).body_html)
        self.assertIn(second.survey_user_input_id.access_token, body)
        self.assertNotIn(first.survey_user_input_id.access_token, body)

    def test_closed_survey_sends_nothing_and_skips_the_touch(self):
        partner = self._customer("Too Late For The Survey")
        campaign = self._survey_campaign()
        self._order(partner, self.TODAY)
        self.survey.action_archive()
        self._run_care(self._days_ago(-1))
        touch = self._touches(campaign)
        self.assertEqual((touch.state, touch.reason), ("skipped", "survey_closed"))
        self.assertTrue(touch.error_message)
        self.assertFalse(touch.survey_user_input_id)
        self.assertFalse(self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)]))
        self.assertFalse(self.env["survey.user_input"].search([("partner_id", "=", partner.id)]))

    def test_survey_without_questions_fails_the_touch(self):
        empty = self.env["survey.survey"].create({"title": "Empty", "access_mode": "token"})
        partner = self._customer("Asked Nothing", birthday=date(1990, 6, 15))
        campaign = self._campaign("birthday", steps=[{"action": "survey", "survey_id": empty.id}])
        self._run_care(self.TODAY)
        touch = self._touches(campaign)
        self.assertEqual(touch.state, "failed")
        self.assertIn("no questions", touch.error_message)
        self.assertFalse(self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)]))

    def test_survey_invitation_comes_from_the_campaign_s_company(self):
        company_b = self.env["res.company"].create({"name": "Survey Sister", "email": "survey@sister.example.com"})
        self.manager.company_ids |= company_b  # the campaign's responsible works for company B too
        self._customer("Sister Customer", birthday=date(1990, 6, 15))
        campaign = self._campaign(
            "birthday", steps=[{"action": "survey", "survey_id": self.survey.id}], company_id=company_b.id
        )
        self._run_care(self.TODAY)
        touch = self._touches(campaign)
        self.assertEqual(touch.state, "done")
        self.assertIn("survey@sister.example.com", self._mail(touch).email_from)

    # ------------------------------------------------------------------
    # SMS
    # ------------------------------------------------------------------

    def _sms_campaign(self):
        return self._campaign(
            "birthday", steps=[{"action": "sms", "sms_template_id": self.sms_template.id}], name="SMS birthday"
        )

    def _send_sms_queue(self, **gateway):
        with self.mockSMSGateway(**gateway):
            self.env["sms.sms"].sudo().search([("state", "=", "outgoing")]).send(raise_exception=False)
        self.env.invalidate_all()

    def test_sms_refused_for_lack_of_credit_fails_the_touch(self):
        partner = self._customer("Texted", birthday=date(1990, 6, 15), phone="+32456001122")
        campaign = self._sms_campaign()
        self._run_care(self.TODAY)
        touch = self._touches(campaign)
        self.assertEqual(touch.state, "done", "done once queued")
        self.assertTrue(touch.sms_uuid)
        self._send_sms_queue(sim_error="credit")
        self.assertEqual((touch.state, touch.reason), ("failed", "sms_error"))
        self.assertIn("Insufficient Credit", touch.error_message)
        self.assertFalse(touch.date_done)
        self.assertEqual((campaign.failed_count, campaign.touched_count), (1, 0))
        # A failed SMS does not count for contact pressure: tomorrow's email is not "too soon".
        email_campaign = self._campaign("birthday", lead_days=0, name="Email the day after")
        partner.birthday = date(1990, 6, 16)
        self._run_care(self._days_ago(-1))
        self.assertEqual(self._touches(email_campaign).state, "done")

    def test_sms_to_an_invalid_number_fails_the_touch(self):
        self._customer("Wrong Number", birthday=date(1990, 6, 15), phone="+32456001123")
        campaign = self._sms_campaign()
        self._run_care(self.TODAY)
        self._send_sms_queue(sim_error="wrong_number_format")
        touch = self._touches(campaign)
        self.assertEqual((touch.state, touch.reason), ("failed", "sms_error"))
        self.assertIn("Wrong Number Format", touch.error_message)

    def test_sms_accepted_by_the_service_stays_done(self):
        self._customer("Reached", birthday=date(1990, 6, 15), phone="+32456001124")
        campaign = self._sms_campaign()
        self._run_care(self.TODAY)
        self._send_sms_queue()
        touch = self._touches(campaign)
        self.assertEqual(touch.state, "done")
        self.assertTrue(touch.date_done)
