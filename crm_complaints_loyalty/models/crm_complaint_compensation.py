from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

# Loyalty program types a compensation can give a coupon of
COUPON_PROGRAM_TYPES = ("coupons", "gift_card", "ewallet")
# ... and those whose cards carry the compensation's amount as points rather than one use
AMOUNT_PROGRAM_TYPES = ("gift_card", "ewallet")


class CrmComplaintCompensation(models.Model):
    _inherit = "crm.complaint.compensation"

    coupon_program_id = fields.Many2one(
        "loyalty.program",
        check_company=True,
        domain="[('program_type', 'in', ('coupons', 'gift_card', 'ewallet')), '|', ('company_id', '=', False),"
        " ('company_id', '=', company_id)]",
        help="Loyalty program of the coupon (coupons: one use; gift card, eWallet: the amount as points), of the "
        "complaint's company.",
    )

    @api.model
    def _get_draft_only_fields(self):
        return super()._get_draft_only_fields() | {"coupon_program_id"}

    def _create_coupon(self):
        """Issue the coupon through Odoo's coupon generation (loyalty.generate.wizard): the card reserved to the
        complaint's customer and its "issued" history line, and the program's mail on creation if it has one.
        A UserError when the program is missing, of another company or of the wrong type."""
        self.ensure_one()
        program = self.coupon_program_id
        if not program:
            raise UserError(self.env._("Choose the loyalty program of the coupon."))
        if not self.partner_id:
            raise UserError(self.env._("A coupon needs a customer on the complaint."))
        # checked again here, whatever was stored: a coupon of another company is never issued
        if program.company_id and program.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "The loyalty program %(program)s belongs to %(company)s, not to the complaint's company.",
                    program=program.name,
                    company=program.company_id.name,
                )
            )
        if program.program_type not in COUPON_PROGRAM_TYPES or not program.active:
            raise UserError(self.env._("The loyalty program %(program)s cannot give coupons.", program=program.name))
        points = self.amount if program.program_type in AMOUNT_PROGRAM_TYPES else 1.0
        # sudo: coupons are issued by sales administrators in the Loyalty app; the compensation was approved
        wizard = (
            self.env["loyalty.generate.wizard"]
            .sudo()
            .with_company(self.company_id)
            .create(self._prepare_coupon_wizard_values(program, points))
        )
        return wizard.generate_coupons()

    def _prepare_coupon_wizard_values(self, program, points):
        """Values of the loyalty.generate.wizard that issues this compensation's coupon (dict)."""
        self.ensure_one()
        return {
            "program_id": program.id,
            "mode": "selected",
            "customer_ids": [Command.set(self.partner_id.ids)],
            "points_granted": points,
            "description": self.env._("Compensation for complaint %(complaint)s", complaint=self.complaint_id.name),
        }
