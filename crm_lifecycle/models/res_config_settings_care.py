from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    care_max_touches = fields.Integer(related="company_id.care_max_touches", readonly=False)
    care_window_days = fields.Integer(related="company_id.care_window_days", readonly=False)
    care_min_gap_days = fields.Integer(related="company_id.care_min_gap_days", readonly=False)
    care_attribution_days = fields.Integer(related="company_id.care_attribution_days", readonly=False)
