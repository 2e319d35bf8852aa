from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    care_max_touches = fields.Integer(
        string="Maximum Care Messages",
        default=4,
        help="At most this many care messages (steps that respect contact pressure) reach one contact in the window.",
    )
    care_window_days = fields.Integer(
        string="Contact Pressure Window (days)",
        default=30,
        help="The number of last days in which the maximum number of care messages is counted.",
    )
    care_min_gap_days = fields.Integer(
        string="Minimum Days Between Care Messages",
        default=2,
        help="A care message waits at least this many days after the previous one to the same contact.",
    )
    care_attribution_days = fields.Integer(
        string="Conversion Window (days)",
        default=14,
        help="A confirmed order within this many days after a care message counts as a conversion of its campaign.",
    )

    @api.constrains("care_max_touches", "care_window_days", "care_min_gap_days", "care_attribution_days")
    def _check_care_settings(self):
        for company in self:
            if company.care_max_touches < 1:
                raise ValidationError(self.env._("The maximum number of care messages must be at least 1."))
            if company.care_window_days < 1:
                raise ValidationError(self.env._("The contact pressure window must be at least 1 day."))
            if company.care_min_gap_days < 0:
                raise ValidationError(self.env._("The minimum number of days between care messages cannot be negative."))
            if company.care_attribution_days < 1:
                raise ValidationError(self.env._("The conversion window must be at least 1 day."))
