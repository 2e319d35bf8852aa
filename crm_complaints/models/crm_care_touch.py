from odoo import fields, models


class CrmCareTouch(models.Model):
    _inherit = "crm.care.touch"

    reason = fields.Selection(
        selection_add=[("open_complaint", "Open complaint")], ondelete={"open_complaint": "set null"}
    )
    complaint_ids = fields.One2many("crm.complaint", "care_touch_id", string="Complaints")

    def action_log_complaint(self):
        """The outcome of a follow-up (a call, a visit, a survey) is a complaint: log it from the touch."""
        self.ensure_one()
        return self.env["crm.complaint"]._action_log_complaint(
            partner_id=self.partner_id.id,
            care_touch_id=self.id,
            sale_order_id=self.order_id.id,
            company_id=(self.company_id or self.env.company).id,
        )

    def _care_veto_reasons(self):
        """While a customer has an open complaint, care and marketing touches leave them alone; service
        messages (steps that do not respect contact pressure) still go."""
        reasons = super()._care_veto_reasons()
        candidates = self.filtered(lambda touch: touch.id not in reasons and touch.step_id.respect_pressure)
        blocked = candidates.partner_id._get_open_complaint_partners()
        for touch in candidates:
            if touch.partner_id in blocked:
                reasons[touch.id] = "open_complaint"
        return reasons
