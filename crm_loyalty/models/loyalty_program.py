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

    @api.constrains("active", "company_id")
    def _check_membership_program_active(self):
        """The membership program stays active and of its company's (or shared): Odoo's Sales skips an
        archived program, so members would silently earn nothing."""
        used = (
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search([("loyalty_program_id", "in", self.ids)])
        )
        for company in used:
            program = company.loyalty_program_id
            if not program.active:
                raise ValidationError(
                    self.env._(
                        "%(program)s is the membership program of %(company)s: choose another membership program "
                        "in Settings before archiving it (members would earn no points).",
                        program=program.name,
                        company=company.name,
                    )
                )
            if program.company_id and program.company_id != company:
                raise ValidationError(
                    self.env._(
                        "%(program)s is the membership program of %(company)s: it cannot move to another company.",
                        program=program.name,
                        company=company.name,
                    )
                )

    def write(self, vals):
        retiring = self.filtered("active") if vals.get("active") is False else self.browse()
        result = super().write(vals)
        if retiring:
            retiring._retire_care_steps()
        return result

    def _retire_care_steps(self):
        """The campaign steps issuing coupons of these archived programs are archived with them (a coupon of an
        archived program is refused at checkout): their planned touches are skipped as retired and a note in
        the campaign's chatter says why."""
        # sudo: whoever archives the program in the Loyalty app retires the Customer Care steps that issue it
        steps = self.env["crm.care.step"].sudo().search([("coupon_program_id", "in", self.ids)])
        for campaign, campaign_steps in steps.grouped("campaign_id").items():
            programs = campaign_steps.coupon_program_id
            campaign.message_post(
                body=self.env._(
                    "Its coupon steps were archived with their loyalty program %(programs)s.",
                    programs=", ".join(programs.mapped("name")),
                )
            )
        steps.write({"active": False})
