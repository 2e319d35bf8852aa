from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import format_amount

# Tier ladders offered by the "Set up membership" wizard: (name, minimum spend over the qualifying window in the
# company currency, minimum orders, points multiplier), lowest tier first. The names are translated when the
# wizard fills its lines (see `_get_preset_lines`).
PRESETS = {
    "four": [
        ("Member", 0.0, 0, 1.0),
        ("Silver", 5000.0, 0, 1.2),
        ("Gold", 20000.0, 3, 1.5),
        ("Platinum", 80000.0, 6, 2.0),
    ],
    "three": [
        ("Member", 0.0, 0, 1.0),
        ("Silver", 3000.0, 0, 1.2),
        ("Gold", 10000.0, 3, 1.5),
    ],
}


class CrmLoyaltySetupWizard(models.TransientModel):
    """Guided set-up of the membership: creates the company's membership program (a loyalty card program of
    Odoo's Loyalty app, from its own "Loyalty Cards" template) and the tier ladder, from a preset that the
    manager edits in the wizard's lines before confirming."""

    _name = "crm.loyalty.setup.wizard"
    _description = "Set Up Membership"

    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    program_name = fields.Char(
        required=True,
        default=lambda self: self.env._("Membership Card"),
        help="Name of the loyalty card program created in the Loyalty app.",
    )
    points_per_unit = fields.Float(
        string="Points per Unit Spent",
        default=1.0,
        digits=(16, 2),
        help="Points earned per unit of currency spent (untaxed), before the tier's multiplier.",
    )
    points_validity_months = fields.Integer(
        string="Points Validity (months)",
        default=24,
        help="Points expire this many months after they were earned, oldest first. 0: they never expire.",
    )
    preset = fields.Selection(
        [("four", "Member, Silver, Gold, Platinum"), ("three", "Member, Silver, Gold")],
        string="Tier Ladder",
        required=True,
        default="four",
        help="Fills the tiers below; edit them before confirming.",
    )
    line_ids = fields.One2many(
        "crm.loyalty.setup.wizard.line",
        "wizard_id",
        string="Tiers",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
        precompute=True,
    )
    existing_program_id = fields.Many2one(related="company_id.loyalty_program_id", string="Current Program")

    @api.depends("preset", "company_id")
    def _compute_line_ids(self):
        for wizard in self:
            wizard.line_ids = [Command.clear()] + [Command.create(vals) for vals in wizard._get_preset_lines()]

    def _get_preset_lines(self):
        """Line values of the chosen preset (names in the user's language). The tiers the company's ladder
        already has (e.g. the shipped Member tier) are reused in order, so that the ladder is not doubled."""
        self.ensure_one()
        names = {
            "Member": self.env._("Member"),
            "Silver": self.env._("Silver"),
            "Gold": self.env._("Gold"),
            "Platinum": self.env._("Platinum"),
        }
        existing = self.env["crm.loyalty.tier"]._get_ranked_tiers(self.company_id)
        lines = []
        for index, (name, spend, orders, multiplier) in enumerate(PRESETS.get(self.preset, [])):
            tier = existing[index] if index < len(existing) else existing.browse()
            lines.append(
                {
                    "sequence": index * 10,
                    "name": names[name],
                    "min_spend": spend,
                    "min_orders": orders,
                    "points_multiplier": multiplier,
                    "tier_id": tier.id,
                }
            )
        for index, tier in enumerate(existing[len(lines) :], start=len(lines)):
            lines.append(
                {
                    "sequence": index * 10,
                    "name": tier.name,
                    "min_spend": tier.min_spend,
                    "min_orders": tier.min_orders,
                    "points_multiplier": tier.points_multiplier,
                    "tier_id": tier.id,
                }
            )
        return lines

    def action_confirm(self):
        """Create the membership program and the tier ladder of the lines, make it the company's membership
        program, and open the tiers.

        The lines linked to an existing tier update it (a tier without company is shared by every company's
        ladder); the company's existing tiers left out of the lines are archived (their members move down, as
        when a manager archives a tier); the other lines become tiers of the company.

        :raises UserError: the company already has a membership program, there is no tier, a spend is negative,
            does not increase from one tier to the next, or a multiplier is below 1, or the user may not create
            loyalty programs and their reward products (Sales administrators with Products: Create may).
        """
        self.ensure_one()
        company = self.company_id
        if company.loyalty_program_id:
            raise UserError(
                self.env._(
                    "%(company)s already has a membership program, %(program)s: a company has one. Change its tiers "
                    "in Customer Care > Loyalty > Tiers, or choose another program in Settings.",
                    company=company.name,
                    program=company.loyalty_program_id.name,
                )
            )
        self._check_lines()
        # Odoo's Loyalty app needs both: the program, and the discount product of its reward
        if not (self.env["loyalty.program"].has_access("create") and self.env["product.product"].has_access("create")):
            raise UserError(
                self.env._(
                    "Creating the membership program needs the rights of Odoo's Loyalty app: Sales administrator "
                    "and Products: Create."
                )
            )
        lines = self.line_ids.sorted(lambda line: (line.sequence, line.min_spend))
        Tier = self.env["crm.loyalty.tier"]
        left_out = Tier._get_ranked_tiers(company) - lines.tier_id
        shared = left_out.filtered(lambda tier: not tier.company_id)
        if shared:
            raise UserError(
                self.env._(
                    "Tier %s is shared by every company: keep it in the ladder, or archive it in Customer Care > "
                    "Loyalty > Tiers first.",
                    shared[0].name,
                )
            )
        left_out.write({"active": False})
        for index, line in enumerate(lines):
            vals = {
                "name": line.name,
                "sequence": index * 10,
                "min_spend": line.min_spend,
                "min_orders": line.min_orders,
                "points_multiplier": line.points_multiplier,
            }
            if line.tier_id:
                line.tier_id.write(vals)
            else:
                Tier.create({**vals, "company_id": company.id})
        program = self._create_program()
        # sudo: the membership settings of the company are Customer Care configuration that its managers own;
        # only the two membership fields of the wizard's own (current) company are written.
        company.sudo().write(
            {"loyalty_program_id": program.id, "loyalty_points_validity_months": self.points_validity_months}
        )
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_loyalty.crm_loyalty_tier_action")
        action["target"] = "main"
        return action

    def _check_lines(self):
        lines = self.line_ids.sorted(lambda line: (line.sequence, line.min_spend))
        if not lines:
            raise UserError(self.env._("Add at least one tier to the membership."))
        for line in lines:
            if line.min_spend < 0 or line.min_orders < 0:
                raise UserError(self.env._("The minimum spend and orders of tier %s cannot be negative.", line.name))
            if line.points_multiplier < 1:
                raise UserError(self.env._("The points multiplier of tier %s must be at least 1.", line.name))
        for lower, higher in zip(lines, lines[1:], strict=False):
            if higher.min_spend <= lower.min_spend:
                raise UserError(
                    self.env._(
                        "Each tier must ask for more spend than the one before: %(higher)s (%(higher_spend)s) comes "
                        "after %(lower)s (%(lower_spend)s).",
                        higher=higher.name,
                        higher_spend=format_amount(self.env, higher.min_spend, self.currency_id),
                        lower=lower.name,
                        lower_spend=format_amount(self.env, lower.min_spend, self.currency_id),
                    )
                )
        if self.points_per_unit <= 0:
            raise UserError(self.env._("Members must earn more than zero points per unit spent."))
        if self.points_validity_months < 0:
            raise UserError(self.env._("The points validity cannot be negative."))

    def _create_program(self):
        """The membership program: Odoo's own "Loyalty Cards" template (points on money spent, a discount
        reward), named by the manager, of the wizard's company, earning `points_per_unit` per unit spent."""
        Program = self.env["loyalty.program"].with_company(self.company_id)
        vals = dict(Program._get_template_values()["loyalty"])
        vals["rule_ids"] = [
            Command.clear(),
            Command.create({"reward_point_mode": "money", "reward_point_amount": self.points_per_unit}),
        ]
        return Program.create({**vals, "name": self.program_name, "company_id": self.company_id.id})


class CrmLoyaltySetupWizardLine(models.TransientModel):
    """One tier of the ladder the "Set up membership" wizard creates."""

    _name = "crm.loyalty.setup.wizard.line"
    _description = "Set Up Membership: Tier"
    _order = "sequence, min_spend, id"

    wizard_id = fields.Many2one(
        "crm.loyalty.setup.wizard", string="Set Up Membership", required=True, ondelete="cascade"
    )
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Tier", required=True)
    min_spend = fields.Monetary(
        string="Minimum Spend", help="Untaxed spend over the qualifying window (company currency) that earns the tier."
    )
    min_orders = fields.Integer(string="Minimum Orders", help="Confirmed orders also needed (0: no minimum).")
    points_multiplier = fields.Float(default=1.0, digits=(16, 2), help="Points earned are multiplied by this.")
    tier_id = fields.Many2one(
        "crm.loyalty.tier",
        string="Existing Tier",
        readonly=True,
        help="The existing tier this line updates (empty: a new tier of the company is created).",
    )
