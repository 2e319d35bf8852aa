from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    complaint_approval_amount = fields.Monetary(
        string="Compensation Approval Above",
        currency_field="currency_id",
        default=100.0,
        help="Compensations above this amount need a Customer Care Manager's approval.",
        groups="base.group_user",
    )
    complaint_followup_days = fields.Integer(
        string="Follow-up Visit After (days)",
        default=3,
        help="A follow-up visit is planned this many days after a complaint is resolved.",
        groups="base.group_user",
    )

    @api.constrains("complaint_approval_amount", "complaint_followup_days")
    def _check_complaint_settings(self):
        for company in self:
            if company.complaint_approval_amount < 0:
                raise ValidationError(self.env._("The compensation approval amount cannot be negative."))
            if company.complaint_followup_days < 0:
                raise ValidationError(self.env._("The follow-up visit delay cannot be negative."))
