from odoo import fields, models


class CrmCareTouch(models.Model):
    _inherit = "crm.care.touch"

    reason = fields.Selection(
        selection_add=[("open_complaint", "Open complaint")], ondelete={"open_complaint": "set null"}
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
