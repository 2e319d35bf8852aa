from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import frozen
from .voice_common import VoiceCase


@tagged("post_install", "-at_install")
class TestVoiceChurnReasons(VoiceCase):
    """A churn reason recorded the three ways, each on the customer and on the stage history line: Mark as Lost (a
    manager), the outcome of a win-back call (the caller, a Customer Care user) and the shipped exit survey sent by a
    win-back campaign (the customer)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.price = cls.env.ref("crm_lifecycle.churn_reason_price")
        cls.competitor = cls.env.ref("crm_lifecycle.churn_reason_competitor")
        cls.service = cls.env.ref("crm_lifecycle.churn_reason_service")
        cls.exit_survey = cls.env.ref("crm_lifecycle.survey_exit")
        cls.exit_question = cls.env.ref("crm_lifecycle.survey_exit_question_reason")
        cls.exit_note = cls.env.ref("crm_lifecycle.survey_exit_question_note")

    def _lost_wizard(self, action, user, reason, note=None):
        wizard = Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))
        wizard.churn_reason_id = reason
        if note:
            wizard.churn_reason_note = note
        return wizard.save()

    def _last_churn_line(self, partner):
        return self.env["crm.lifecycle.history"].search(
            [("partner_id", "=", partner.id), ("to_stage_id", "=", self.stage["churned"].id)], limit=1
        )

    def test_win_back_call_outcome_records_the_reason(self):
        call = self.env.ref("mail.mail_activity_data_call")
        win_back = self._campaign(
            "stage_entry",
            steps=[{"action": "activity", "activity_type_id": call.id, "activity_summary": "Win-back call"}],
            stage_id=self.stage["at_risk"].id,
            name="Win-back call",
        )
        partner = self._customer("Called Back")
        self._order(partner, self.TODAY - timedelta(days=200))
        self._run_cron()
        self.assertEqual(partner.lifecycle_stage_id, self.stage["at_risk"])
        self._run_care(self.TODAY)
        touch = self._touches(win_back)
        self.assertEqual((touch.state, touch.action), ("done", "activity"), touch.error_message)

        # An internal user who is not in Customer Care cannot record it.
        outsider = new_test_user(self.env, "voice_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            touch.with_user(outsider).action_record_lost()

        # The caller (a salesperson: Customer Care user, not manager) records the outcome of the call.
        with frozen(self.env, self.TODAY + timedelta(days=1)):
            action = touch.with_user(self.salesman).action_record_lost()
            self._lost_wizard(action, self.salesman, self.price, "Found it cheaper online").action_mark_lost()
        self.env.invalidate_all()
        self.assertEqual(partner.lifecycle_stage_id, self.stage["churned"])
        self.assertTrue(partner.lifecycle_locked)
        self.assertEqual((partner.churn_reason_id, partner.churn_reason_note), (self.price, "Found it cheaper online"))
        self.assertEqual(touch.churn_reason_id, self.price, "the outcome of the call")
        line = self._last_churn_line(partner)
        self.assertEqual(
            (line.from_stage_id, line.churn_reason_id, line.churn_reason_source, line.churn_reason_note, line.user_id),
            (self.stage["at_risk"], self.price, "win_back_call", "Found it cheaper online", self.salesman),
        )
        report = self.env["crm.churn.report"].search([("partner_id", "=", partner.id)])
        self.assertEqual((report.churn_reason_id, report.churn_reason_source), (self.price, "win_back_call"))
        # Once per call; a touch that is no call made cannot record it.
        with self.assertRaisesRegex(UserError, "already recorded"):
            touch.with_user(self.salesman).action_record_lost()
        survey_touch = self._send_nps(self._customer("Only Surveyed"))
        with self.assertRaisesRegex(UserError, "call or visit that was made"):
            survey_touch.with_user(self.salesman).action_record_lost()

    def _exit_campaign(self):
        return self._campaign(
            "stage_entry",
            steps=[{"action": "survey", "survey_id": self.exit_survey.id}],
            stage_id=self.stage["churned"].id,
            name="Win-back: exit survey",
        )

    def _churned_with_exit_survey(self, name, campaign):
        partner = self._customer(name)
        self._order(partner, self.TODAY - timedelta(days=400))
        self._run_cron()
        self.assertEqual(partner.lifecycle_stage_id, self.stage["churned"])
        self._run_care(self.TODAY)
        touch = self._touches(campaign).filtered(lambda t: t.partner_id == partner)
        self.assertEqual(touch.state, "done", touch.error_message)
        return partner, touch.survey_user_input_id

    def _answer_exit(self, user_input, reason, note):
        """The customer answers as the survey page does (sudo, validate, save, complete)."""
        choice = self.exit_question.suggested_answer_ids.filtered(lambda a: a.churn_reason_id == reason)
        answer = user_input.sudo()
        with frozen(self.env, datetime.combine(self.TODAY + timedelta(days=2), datetime.min.time())):
            self.assertFalse(self.exit_question.validate_question(choice.id))
            answer._save_lines(self.exit_question, choice.id)
            answer._save_lines(self.exit_note, note)
            answer._mark_done()
            self.env.flush_all()
        self.env.invalidate_all()

    def test_exit_survey_answer_records_the_reason(self):
        campaign = self._exit_campaign()
        partner, user_input = self._churned_with_exit_survey("Gone Away", campaign)
        self._answer_exit(user_input, self.competitor, "The new mall has everything")
        self.assertEqual(
            (partner.churn_reason_id, partner.churn_reason_note), (self.competitor, "The new mall has everything")
        )
        line = self._last_churn_line(partner)
        self.assertEqual(
            (line.churn_reason_id, line.churn_reason_source, line.churn_reason_note),
            (self.competitor, "exit_survey", "The new mall has everything"),
            "the line of the customer's move to Churned keeps it",
        )
        lines = self.env["crm.lifecycle.history"].search_count([("partner_id", "=", partner.id)])
        # Completed again (the answer's state written again): nothing recorded twice.
        user_input.sudo()._mark_done()
        self.assertEqual(self.env["crm.lifecycle.history"].search_count([("partner_id", "=", partner.id)]), lines)

    def test_exit_survey_of_a_customer_won_back_meanwhile_is_ignored_with_a_log(self):
        campaign = self._exit_campaign()
        partner, user_input = self._churned_with_exit_survey("Came Back", campaign)
        self._order(partner, self.TODAY + timedelta(days=1))  # won back before answering
        self.assertNotEqual(partner.lifecycle_stage_id, self.stage["churned"])
        with self.assertLogs("odoo.addons.crm_lifecycle.models.survey_user_input", "WARNING") as logs:
            self._answer_exit(user_input, self.service, "")
        self.assertIn("not churned", logs.output[0])
        self.assertFalse(partner.churn_reason_id)
        self.assertFalse(self._last_churn_line(partner).churn_reason_id)

    def test_mark_as_lost_records_its_source(self):
        partner = self._customer("Marked Lost")
        self._order(partner, self.TODAY - timedelta(days=30))
        with frozen(self.env, self.TODAY):
            action = partner.with_user(self.manager).action_mark_lost()
            self._lost_wizard(action, self.manager, self.service, "Rude staff").action_mark_lost()
        self.env.invalidate_all()
        self.assertEqual(partner.churn_reason_id, self.service)
        line = self._last_churn_line(partner)
        self.assertEqual(
            (line.churn_reason_id, line.churn_reason_source, line.churn_reason_note, line.user_id),
            (self.service, "lost", "Rude staff", self.manager),
        )
        # A Customer Care user who is not a manager cannot mark a customer lost without a call of theirs.
        with self.assertRaises(AccessError):
            self._lost_wizard(
                {"res_model": "crm.lifecycle.lost.wizard", "context": {"default_partner_id": partner.id}},
                self.salesman,
                self.price,
            ).action_mark_lost()
