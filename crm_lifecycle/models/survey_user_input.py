import logging

from odoo import models

_logger = logging.getLogger(__name__)


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def write(self, vals):
        newly_done = self.filtered(lambda answer: answer.state != "done") if vals.get("state") == "done" else None
        result = super().write(vals)
        if newly_done:
            newly_done._crm_care_feedback_received()
        return result

    def unlink(self):
        # A deleted answer leaves the customer's feedback at once (not only at the nightly run).
        touches = self.env["crm.care.touch"].sudo().search([("survey_user_input_id", "in", self.ids)])
        partners = touches.partner_id
        result = super().unlink()
        self.env["res.partner"]._crm_care_feedback_received(partners, "deleted survey answer")
        return result

    def _crm_care_feedback_received(self):
        """Refresh the satisfaction and NPS of the customers of these answers linked to care touches.

        Only a first completion triggers it; an answer completed again is still one feedback item (the refresh
        recomputes from the answers, it never adds to a total)."""
        touches = self.env["crm.care.touch"].sudo().search([("survey_user_input_id", "in", self.ids)])
        self.env["res.partner"]._crm_care_feedback_received(touches.partner_id, "survey answer")
        self._crm_care_record_exit_reasons(touches)

    def _crm_care_record_exit_reasons(self, touches):
        """An answer of a care touch choosing an answer linked to a churn reason (the exit survey's "why did you
        leave?") records that reason, with the answer's text answers as note, on the churned customer and in the
        stage history (source: exit survey). A customer who is not churned any more (won back before answering) is
        left alone, with a log line: the answer stays in Surveys. Runs as superuser: the customer answers as a
        portal or public user."""
        lines = self.sudo().user_input_line_ids
        for touch in touches.sudo():
            answer = touch.survey_user_input_id
            own = lines.filtered(lambda line, answer=answer: line.user_input_id == answer)
            reason = own.suggested_answer_id.churn_reason_id[:1]
            if not reason:
                continue
            partner = touch.partner_id.commercial_partner_id
            if partner.lifecycle_stage_id.code != "churned":
                _logger.warning(
                    "Exit survey answer %s of %s: the customer is not churned (%s), churn reason %s not recorded",
                    answer.id,
                    partner.id,
                    partner.lifecycle_stage_id.code,
                    reason.name,
                )
                continue
            note = "\n".join(
                line.value_text_box or line.value_char_box
                for line in own
                if line.answer_type in ("text_box", "char_box") and (line.value_text_box or line.value_char_box)
            )
            partner._crm_care_record_churn_reason(reason, note, "exit_survey")
