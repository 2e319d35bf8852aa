"""Campaign step action `issue_coupon`: a coupon of a chosen loyalty program for each customer reached."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmCareStep(models.Model):
    _inherit = "crm.care.step"
    _check_company_auto = True

    action = fields.Selection(selection_add=[("issue_coupon", "Issue a coupon")], ondelete={"issue_coupon": "cascade"})
    coupon_program_id = fields.Many2one(
        "loyalty.program",
        check_company=True,
        domain="[('program_type', 'in', ('coupons', 'next_order_coupons', 'gift_card', 'promo_code')),"
        " '|', ('company_id', '=', False), ('company_id', '=', company_id)]",
        help="Each customer the step reaches gets a coupon of this program (of the campaign's company), issued by "
        "Odoo's coupon generation; when the program emails its coupons on creation, the step is an email: it "
        "skips opted-out, blacklisted and address-less contacts.",
    )
    coupon_points = fields.Float(string="Coupon Value (points)", default=1.0)
    coupon_validity_days = fields.Integer(
        string="Coupon Validity (days)", help="Days the coupon can be used; empty: no end date."
    )

    @api.model
    def _get_required_fields(self):
        return {**super()._get_required_fields(), "issue_coupon": "coupon_program_id"}

    @api.constrains("action", "coupon_program_id", "coupon_points", "coupon_validity_days")
    def _check_issue_coupon(self):
        for step in self.filtered(lambda s: s.action == "issue_coupon"):
            if not step.coupon_program_id:
                raise ValidationError(self.env._("A step that issues coupons needs a coupon program."))
            if step.coupon_points <= 0:
                raise ValidationError(self.env._("The value of the coupons a step issues must be positive."))
            if step.coupon_validity_days < 0:
                raise ValidationError(self.env._("The validity of the coupons cannot be negative."))

    def _coupon_program_mails_on_creation(self):
        """True when the step's coupon program emails each coupon it creates (its communication plan)."""
        self.ensure_one()
        return "create" in self.coupon_program_id.communication_plan_ids.mapped("trigger")
