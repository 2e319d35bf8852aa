from odoo import models


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
