from odoo import api, models
from odoo.exceptions import ValidationError


class LoyaltyProgram(models.Model):
    _inherit = "loyalty.program"

    @api.constrains("program_type")
    def _check_membership_program_type(self):
        used = self.env["res.company"].sudo().search([("loyalty_program_id", "in", self.ids)])
        for company in used:
            if company.loyalty_program_id.program_type != "loyalty":
                raise ValidationError(
                    self.env._(
                        "%(program)s is the membership program of %(company)s: it must stay a loyalty card program.",
                        program=company.loyalty_program_id.name,
                        company=company.name,
                    )
                )

    @api.constrains("sale_ok")
    def _check_membership_program_sales(self):
        used = self.env["res.company"].sudo().search([("loyalty_program_id", "in", self.ids)])
        for company in used:
            if not company.loyalty_program_id.sale_ok:
                raise ValidationError(
                    self.env._(
                        "%(program)s is the membership program of %(company)s: it must stay available in Sales, "
                        "where members earn their points.",
                        program=company.loyalty_program_id.name,
                        company=company.name,
                    )
                )
