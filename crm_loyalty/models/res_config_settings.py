from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_list


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    loyalty_program_id = fields.Many2one(related="company_id.loyalty_program_id", readonly=False)
    loyalty_window_days = fields.Integer(related="company_id.loyalty_window_days", readonly=False)
    loyalty_auto_enroll = fields.Boolean(related="company_id.loyalty_auto_enroll", readonly=False)
    loyalty_points_validity_months = fields.Integer(related="company_id.loyalty_points_validity_months", readonly=False)

    def set_values(self):
        """Refuse to turn Sales' Pricelists feature off while membership tiers give pricelists: Odoo would archive
        every pricelist, and the tiers' members would silently lose theirs."""
        if "group_product_pricelist" in self._fields and not self.group_product_pricelist:
            tiers = self.env["crm.loyalty.tier"].sudo().search([("pricelist_id", "!=", False)])
            if tiers and self.env["res.groups"]._is_feature_enabled("product.group_product_pricelist"):
                raise UserError(
                    self.env._(
                        "The membership tiers %(tiers)s give their members a pricelist: remove it from these tiers "
                        "before turning Pricelists off (turning it off archives every pricelist).",
                        tiers=format_list(self.env, tiers.mapped("name")),
                    )
                )
        return super().set_values()
