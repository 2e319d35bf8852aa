from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    complaint_approval_amount = fields.Monetary(related="company_id.complaint_approval_amount", readonly=False)
    complaint_followup_days = fields.Integer(related="company_id.complaint_followup_days", readonly=False)
