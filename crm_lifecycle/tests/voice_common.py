from datetime import datetime, timedelta

from .care_common import CareCase
from .common import frozen


class VoiceCase(CareCase):
    """The shipped NPS survey sent by a care campaign's survey step the day after an order, and answered by the
    customer the way the survey page does it (validate each answer, save it, complete the answer)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nps_survey = cls.env.ref("crm_lifecycle.survey_nps")
        cls.nps_question = cls.env.ref("crm_lifecycle.survey_nps_question_score")
        cls.reason_question = cls.env.ref("crm_lifecycle.survey_nps_question_reason")
        cls.nps_campaign = cls._campaign(
            "after_order",
            steps=[{"action": "survey", "survey_id": cls.nps_survey.id, "delay_days": 1}],
            name="NPS after an order",
        )

    def _send_nps(self, partner, on=None):
        """An order on day `on` (TODAY), the campaign's survey step the day after: the touch."""
        on = on or self.TODAY
        self._order(partner, on)
        self._run_care(on + timedelta(days=1))
        touch = self._touches(self.nps_campaign).filtered(lambda t: t.partner_id == partner)[-1:]
        self.assertEqual(touch.state, "done", touch.error_message)
        return touch

    def _answer(self, user_input, score, reason="", at=None):
        """The customer answers the invitation (as the survey controller: sudo, validate, save, complete) at
        `at` (a naive UTC datetime; default: TODAY + 2 days 10:00 UTC). Returns the validation errors."""
        at = at or datetime.combine(self.TODAY + timedelta(days=2), datetime.min.time()) + timedelta(hours=10)
        answer = user_input.sudo()
        with frozen(self.env, at):
            errors = {}
            score = str(score)  # as the survey page posts it
            for question, value in ((self.nps_question, score), (self.reason_question, reason)):
                errors.update(question.validate_question(value))
            if errors:
                return errors
            answer._save_lines(self.nps_question, score)
            answer._save_lines(self.reason_question, reason)
            answer._mark_done()
            self.env.flush_all()
        self.env.invalidate_all()
        return errors
