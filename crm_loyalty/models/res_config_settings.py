from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    loyalty_program_id = fields.Many2one(related="company_id.loyalty_program_id", readonly=False)
    loyalty_window_days = fields.Integer(related="company_id.loyalty_window_days", readonly=False)
    loyalty_auto_enroll = fields.Boolean(related="company_id.loyalty_auto_enroll", readonly=False)
    loyalty_points_validity_months = fields.Integer(related="company_id.loyalty_points_validity_months", readonly=False)
