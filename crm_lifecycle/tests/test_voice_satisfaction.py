from datetime import date, datetime, timedelta

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import frozen
from .voice_common import VoiceCase


@tagged("post_install", "-at_install")
class TestVoiceSatisfaction(VoiceCase):
    """Satisfaction and NPS on the customer from the shipped NPS survey sent by a care campaign."""

    def test_nps_answer_sets_nps_satisfaction_and_day_on_the_customer_and_its_contacts(self):
        company = self._customer("Voice Ltd", is_company=True)
        contact = self._customer("Vera Voice", parent_id=company.id)
        touch = self._send_nps(contact)
        answer = touch.survey_user_input_id
        self.assertEqual(answer.survey_id, self.nps_survey, "the step sends the shipped NPS survey")
        self.assertEqual(answer.partner_id, contact, "the answer is linked to the customer")
        # 20:00 UTC on 16 June is 04:00 on 17 June in the company's business time zone (Shanghai)
        self.assertFalse(self._answer(answer, 9, "Fast delivery", at=datetime(2026, 6, 16, 20, 0)))
        self.assertEqual(answer.state, "done")
        for partner in (company, contact):
            self.assertEqual(partner.nps_score, 9)
            self.assertEqual(partner.nps_category, "promoter")
            self.assertEqual(partner.satisfaction_score, 90.0, "NPS 0-10 x 10")
            self.assertEqual(partner.satisfaction_count, 1)
            self.assertEqual(partner.date_last_feedback, date(2026, 6, 17))
        lines = answer.user_input_line_ids
        self.assertEqual(
            lines.filtered(lambda line: line.question_id == self.reason_question).value_text_box, "Fast delivery"
        )

    def test_nps_categories_at_6_7_8_9(self):
        expected = {6: "detractor", 7: "passive", 8: "passive", 9: "promoter", 0: "detractor", 10: "promoter"}
        for score, category in expected.items():
            partner = self._customer(f"Scorer {score}")
            self._answer(self._send_nps(partner).survey_user_input_id, score)
            self.assertEqual((partner.nps_score, partner.nps_category), (score, category), score)
            self.assertEqual(partner.satisfaction_score, score * 10.0)

    def test_last_answer_sets_the_nps_and_all_answers_the_satisfaction(self):
        partner = self._customer("Twice Asked")
        self._answer(self._send_nps(partner).survey_user_input_id, 4)
        later = self.TODAY + timedelta(days=10)
        touch = self._send_nps(partner, on=later)
        self._answer(touch.survey_user_input_id, 8, at=datetime.combine(later, datetime.min.time()) + timedelta(days=2))
        self.assertEqual((partner.nps_score, partner.nps_category), (8, "passive"), "the last answer")
        self.assertEqual(partner.satisfaction_score, 60.0, "(40 + 80) / 2")
        self.assertEqual(partner.satisfaction_count, 2)

    def test_nps_answer_outside_0_10_is_refused_with_a_message(self):
        partner = self._customer("Out Of Range")
        answer = self._send_nps(partner).survey_user_input_id
        for value in ("11", "-1", "7.5", "ten"):
            errors = self._answer(answer, value)
            self.assertEqual(errors, {self.nps_question.id: "Please answer with a whole number from 0 to 10."}, value)
        self.assertEqual(answer.state, "new", "nothing saved")
        # Through the ORM (RPC) too: the answer line is refused, nothing is counted.
        with self.assertRaises(ValidationError) as catcher:
            answer.sudo()._save_lines(self.nps_question, 11)
        self.assertIn("must be between 0 and 10", str(catcher.exception))
        self.assertFalse(partner.nps_category)
        self.assertEqual(partner.satisfaction_count, 0)

    def test_a_survey_completed_twice_is_counted_once(self):
        partner = self._customer("Double Submit")
        answer = self._send_nps(partner).survey_user_input_id
        self._answer(answer, 3)
        with frozen(self.env, datetime(2026, 6, 20, 10, 0)):
            answer.sudo()._mark_done()  # the customer submits the completed answer again
            self.env["res.partner"]._crm_care_refresh_satisfaction()
        self.assertEqual((partner.satisfaction_count, partner.satisfaction_score), (1, 30.0))

    def test_a_deleted_answer_leaves_the_nps_at_once(self):
        partner = self._customer("Deleted Answer")
        answer = self._send_nps(partner).survey_user_input_id
        self._answer(answer, 9)
        self.assertEqual(partner.nps_category, "promoter")
        with frozen(self.env, datetime(2026, 6, 20, 10, 0)):
            answer.unlink()  # the survey manager deletes the answer (Surveys > Participations)
        self.env.invalidate_all()
        self.assertFalse(partner.nps_category)
        self.assertEqual(partner.satisfaction_count, 0)

    def test_an_answer_outside_care_touches_is_not_counted(self):
        partner = self._customer("Direct Link")
        answer = self.nps_survey.sudo()._create_answer(partner=partner, check_attempts=False)
        self._answer(answer, 10)
        self.assertEqual(answer.state, "done")
        self.assertFalse(partner.nps_category, "only answers to care campaigns are the customer's feedback")

    def test_nightly_run_drops_feedback_older_than_365_days_and_keeps_the_last_nps(self):
        partner = self._customer("Old Voice")
        self._answer(self._send_nps(partner).survey_user_input_id, 2)
        self.assertEqual((partner.satisfaction_count, partner.satisfaction_score), (1, 20.0))
        # Day 365 after the answer (17 June 2026, Shanghai) is 16 June 2027: still in the window ...
        self._run_cron(on=datetime(2027, 6, 16, 3, 0))
        self.assertEqual(partner.satisfaction_count, 1)
        # ... the next day, no longer
        self._run_cron(on=datetime(2027, 6, 17, 3, 0))
        self.assertEqual((partner.satisfaction_count, partner.satisfaction_score), (0, 0.0))
        self.assertEqual((partner.nps_score, partner.nps_category), (2, "detractor"), "the last answer stays")
        self.assertEqual(partner.date_last_feedback, date(2026, 6, 17))

    def test_nps_question_must_be_a_0_to_10_scale(self):
        with self.assertRaises(ValidationError) as catcher:
            self.env["survey.survey"].create(
                {
                    "title": "Bad NPS",
                    "question_and_page_ids": [
                        Command.create({"title": "NPS?", "question_type": "scale", "scale_max": 5, "is_nps": True})
                    ],
                }
            )
        self.assertIn("must be a scale from 0 to 10", str(catcher.exception))
