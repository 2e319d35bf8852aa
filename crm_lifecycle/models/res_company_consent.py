from odoo import api, fields, models
from odoo.exceptions import ValidationError

CONSENT_MODES = [
    ("opt_in", "Explicit consent (opt-in)"),
    ("opt_out", "Unless withdrawn (opt-out)"),
]


class ResCompany(models.Model):
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    care_consent_mode = fields.Selection(
        CONSENT_MODES,
        string="Marketing Consent",
        compute="_compute_care_consent_mode",
        store=True,
        readonly=False,
        groups="base.group_user",
        help="What marketing care campaigns need on a channel (email, SMS, phone). Explicit consent (opt-in): the "
        "customer gave consent on that channel; unknown or withdrawn skip the touch. Unless withdrawn (opt-out): "
        "every customer who did not withdraw it. Service campaigns are not concerned. Set to opt-in when the "
        "company's country is China (PIPL), opt-out otherwise, when the country is set or changed.",
    )
    care_retention_months = fields.Integer(
        string="Care Touch Retention (months)",
        default=24,
        groups="base.group_user",
        help="Care touches older than this many months (by planned date) lose their content every night: the "
        "email or SMS sent, its text and the error message are deleted; the touch itself stays, so campaign "
        "counters and the conversions report keep their totals. 0 keeps everything forever.",
    )

    @api.depends("partner_id.country_id")
    def _compute_care_consent_mode(self):
        for company in self:
            if company.partner_id.country_id.code == "CN":
                company.care_consent_mode = "opt_in"
            else:
                company.care_consent_mode = company.care_consent_mode or "opt_out"

    @api.constrains("care_retention_months")
    def _check_care_retention_months(self):
        for company in self:
            if company.care_retention_months < 0:
                raise ValidationError(
                    self.env._("The retention of care touches cannot be negative: 0 keeps them forever.")
                )
