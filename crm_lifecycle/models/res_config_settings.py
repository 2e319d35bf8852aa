from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    crm_care_tz = fields.Selection(related="company_id.crm_care_tz", readonly=False)
    lifecycle_new_days = fields.Integer(related="company_id.lifecycle_new_days", readonly=False)
    lifecycle_active_days = fields.Integer(related="company_id.lifecycle_active_days", readonly=False)
    lifecycle_churn_days = fields.Integer(related="company_id.lifecycle_churn_days", readonly=False)
    lifecycle_loyal_min_orders = fields.Integer(related="company_id.lifecycle_loyal_min_orders", readonly=False)
    rfm_window_days = fields.Integer(related="company_id.rfm_window_days", readonly=False)
    rfm_cut_points_date = fields.Date(related="company_id.rfm_cut_points_date")
    rfm_cut_points_check_date = fields.Date(related="company_id.rfm_cut_points_check_date")
    clv_margin_rate = fields.Float(related="company_id.clv_margin_rate", readonly=False)
    clv_discount_rate = fields.Float(related="company_id.clv_discount_rate", readonly=False)
    clv_horizon_years = fields.Integer(related="company_id.clv_horizon_years", readonly=False)
    clv_retention_rate = fields.Float(related="company_id.clv_retention_rate", readonly=False)
    clv_retention_estimate = fields.Float(related="company_id.clv_retention_estimate")
    clv_retention_estimate_date = fields.Date(related="company_id.clv_retention_estimate_date")

    care_max_touches = fields.Integer(related="company_id.care_max_touches", readonly=False)
    care_window_days = fields.Integer(related="company_id.care_window_days", readonly=False)
    care_min_gap_days = fields.Integer(related="company_id.care_min_gap_days", readonly=False)
    care_attribution_days = fields.Integer(related="company_id.care_attribution_days", readonly=False)
