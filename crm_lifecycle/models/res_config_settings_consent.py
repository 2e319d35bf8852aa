from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    care_consent_mode = fields.Selection(related="company_id.care_consent_mode", readonly=False)
    care_retention_months = fields.Integer(related="company_id.care_retention_months", readonly=False)
