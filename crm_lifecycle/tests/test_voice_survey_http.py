from datetime import datetime

from odoo.tests import HttpCase, tagged

from .common import frozen
from .voice_common import VoiceCase


@tagged("post_install", "-at_install")
class TestVoiceSurveyOverHttp(HttpCase, VoiceCase):
    """The customer answers the NPS invitation of a care campaign on Odoo's public survey page."""

    def _submit(self, answer, question, value):
        """The customer submits the page of `question` (one question per page) with `value`."""
        survey = answer.survey_id
        url = f"/survey/submit/{survey.access_token}/{answer.access_token}"
        params = {str(question.id): value, "question_id": question.id}
        response = self.url_open(url, json={"params": params})
        response.raise_for_status()
        body = response.json()
        self.assertIn("result", body, body.get("error", {}).get("data", {}).get("message"))
        return body["result"][1]

    def test_out_of_range_refused_answered_once_counted_once(self):
        partner = self._customer("Web Answer")
        answer = self._send_nps(partner).survey_user_input_id
        self.authenticate(None, None)
        with frozen(self.env, datetime(2026, 6, 17, 10, 0)):
            survey = answer.survey_id
            self.url_open(
                f"/survey/begin/{survey.access_token}/{answer.access_token}", json={"params": {"lang_code": "en_US"}}
            ).raise_for_status()
            result = self._submit(answer, self.nps_question, "11")
            self.assertEqual(
                result,
                {
                    "error": "validation",
                    "fields": {str(self.nps_question.id): "Please answer with a whole number from 0 to 10."},
                },
            )
            self.env.invalidate_all()
            self.assertNotEqual(answer.state, "done")
            self.assertFalse(partner.nps_category, "nothing counted")
            self.assertNotIn("error", self._submit(answer, self.nps_question, "9"))
            self.assertNotEqual(answer.state, "done")
            self.assertNotIn("error", self._submit(answer, self.reason_question, "Fast delivery"))
            self.env.invalidate_all()
            self.assertEqual(answer.state, "done")
            self.assertEqual((partner.nps_score, partner.satisfaction_count), (9, 1))
            # The same invitation submitted again: Odoo refuses it, the answer counts once.
            result = self._submit(answer, self.nps_question, "2")
            self.assertEqual(result, {"error": "unauthorized"})
        self.env.invalidate_all()
        self.assertEqual((partner.nps_score, partner.nps_category, partner.satisfaction_count), (9, "promoter", 1))
