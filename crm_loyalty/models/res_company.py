from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    loyalty_program_id = fields.Many2one(
        "loyalty.program",
        string="Membership Program",
        domain="[('program_type', '=', 'loyalty'), ('company_id', 'in', [id, False])]",
        help="The loyalty card program that is the membership card: its points are multiplied by the tier "
        "and expire after the points validity.",
        groups="base.group_user",
    )
    loyalty_window_days = fields.Integer(
        string="Qualifying Window (days)",
        default=365,
        help="Tiers are earned with the confirmed orders of this many last days.",
    )
    loyalty_auto_enroll = fields.Boolean(
        string="Enroll Automatically",
        default=True,
        help="Create the customer's membership card at the first confirmed order.",
        groups="base.group_user",
    )
    loyalty_points_validity_months = fields.Integer(
        string="Points Validity (months)",
        help="Points expire this many months after they were earned, oldest first. Empty: they never expire.",
    )

    @api.constrains("loyalty_program_id")
    def _check_loyalty_program_type(self):
        for company in self:
            program = company.loyalty_program_id
            if program and program.program_type != "loyalty":
                raise ValidationError(
                    self.env._(
                        "The membership program must be a loyalty card program; %(program)s is of type %(type)s.",
                        program=program.name,
                        type=dict(program._fields["program_type"]._description_selection(self.env))[
                            program.program_type
                        ],
                    )
                )
            if program.company_id and program.company_id != company:
                raise ValidationError(self.env._("The membership program %s belongs to another company.", program.name))

    @api.constrains("loyalty_window_days")
    def _check_loyalty_window_days(self):
        for company in self:
            if company.loyalty_window_days <= 0:
                raise ValidationError(
                    self.env._("The qualifying window of the membership tiers must be at least one day.")
                )

    @api.constrains("loyalty_points_validity_months")
    def _check_loyalty_points_validity_months(self):
        for company in self:
            if company.loyalty_points_validity_months < 0:
                raise ValidationError(self.env._("The points validity cannot be negative."))

    @api.constrains("loyalty_program_id")
    def _check_loyalty_program_sales(self):
        for company in self:
            if company.loyalty_program_id and not company.loyalty_program_id.active:
                raise ValidationError(
                    self.env._(
                        "The membership program %s is archived: members would earn no points on their orders.",
                        company.loyalty_program_id.name,
                    )
                )
            if company.loyalty_program_id and not company.loyalty_program_id.sale_ok:
                raise ValidationError(
                    self.env._(
                        "The membership program %s is not available in Sales: members would earn no points on their "
                        "orders. Tick Sales on the program first.",
                        company.loyalty_program_id.name,
                    )
                )
