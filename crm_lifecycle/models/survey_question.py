from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    is_nps = fields.Boolean(
        string="NPS Question",
        help="The Net Promoter Score question (\"How likely are you to recommend us?\"), a scale from 0 to 10: the "
        "customer's last answer sets their NPS answer and category (Promoter 9-10, Passive 7-8, Detractor 0-6).",
    )

    @api.constrains("is_nps", "question_type", "scale_min", "scale_max")
    def _check_nps_scale(self):
        for question in self.filtered("is_nps"):
            if question.question_type != "scale" or (question.scale_min, question.scale_max) != (0, 10):
                raise ValidationError(
                    self.env._(
                        "The NPS question \"%(question)s\" must be a scale from 0 to 10.", question=question.title
                    )
                )

    def _validate_scale(self, answer):
        """An NPS answer must be a whole number from 0 to 10: the survey page shows the message, nothing is saved."""
        errors = super()._validate_scale(answer)
        if errors or not self.is_nps or answer in (None, False, ""):
            return errors
        try:
            value = int(answer)
        except (TypeError, ValueError):
            value = None
        if value is None or str(value) != str(answer).strip() or not 0 <= value <= 10:
            return {self.id: self.env._("Please answer with a whole number from 0 to 10.")}
        return {}


class SurveyUserInputLine(models.Model):
    _inherit = "survey.user_input.line"

    @api.constrains("value_scale", "question_id", "answer_type")
    def _check_nps_answer(self):
        for line in self.filtered(lambda line: line.question_id.is_nps and line.answer_type == "scale"):
            if not 0 <= line.value_scale <= 10:
                raise ValidationError(
                    self.env._(
                        "An answer to the NPS question \"%(question)s\" must be between 0 and 10 (got %(value)s).",
                        question=line.question_id.title,
                        value=line.value_scale,
                    )
                )


class SurveyQuestionAnswer(models.Model):
    _inherit = "survey.question.answer"

    churn_reason_id = fields.Many2one(
        "crm.churn.reason",
        ondelete="set null",
        groups="base.group_user",
        help="Choosing this answer (in a care campaign's survey, such as the exit survey) records this churn reason "
        "on a churned customer and in their stage history.",
    )
