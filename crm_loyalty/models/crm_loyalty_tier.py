from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_amount

# Commercial entities only (companies and individuals), as crm_lifecycle's customer views count them.
MEMBER_DOMAIN = ["|", ("is_company", "=", True), ("parent_id", "=", False)]


class CrmLoyaltyTier(models.Model):
    """A membership tier: the spend (and orders) over the loyalty window that earns it, and its benefits."""

    _name = "crm.loyalty.tier"
    _description = "Membership Tier"
    _order = "sequence, min_spend, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Tiers rank by sequence: a higher tier comes later.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to use the tier in every company (amounts in each company's currency)."
    )
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    min_spend = fields.Monetary(
        string="Minimum Spend",
        help="Untaxed amount of confirmed orders over the loyalty window (company currency) that earns the tier.",
    )
    min_orders = fields.Integer(
        string="Minimum Orders", help="Confirmed orders over the loyalty window also needed (0: no minimum)."
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        help="Pricelist given to the tier's members when they reach it (leave empty to keep theirs). Setting one "
        "turns on Sales' Pricelists feature, as Settings would, since new quotations only use pricelists then.",
    )
    points_multiplier = fields.Float(
        default=1.0, digits=(16, 2), help="Points earned through the membership program are multiplied by this."
    )
    benefits = fields.Html(translate=True, sanitize=True)
    color = fields.Integer()
    member_count = fields.Integer(compute="_compute_member_count", string="Members")

    @api.depends("company_id")
    def _compute_currency_id(self):
        for tier in self:
            tier.currency_id = (tier.company_id or self.env.company).currency_id

    def _compute_member_count(self):
        counts = dict(
            self.env["res.partner"]
            .sudo()
            ._read_group([("loyalty_tier_id", "in", self.ids), *MEMBER_DOMAIN], ["loyalty_tier_id"], ["__count"])
        )
        for tier in self:
            tier.member_count = counts.get(tier._origin, 0)

    @api.model
    def _get_ranked_tiers(self, company=None):
        """Active tiers that apply to `company` (default: the current one), lowest first."""
        company = company or self.env.company
        return self.sudo().search([("company_id", "in", [company.id, False])])

    @api.constrains("min_spend", "min_orders", "points_multiplier")
    def _check_amounts(self):
        for tier in self:
            if tier.min_spend < 0:
                raise ValidationError(self.env._("The minimum spend of tier %s cannot be negative.", tier.name))
            if tier.min_orders < 0:
                raise ValidationError(self.env._("The minimum orders of tier %s cannot be negative.", tier.name))
            if tier.points_multiplier < 1:
                raise ValidationError(self.env._("The points multiplier of tier %s must be at least 1.", tier.name))

    @api.constrains("sequence", "min_spend", "active", "company_id")
    def _check_spend_increases(self):
        companies = self.company_id
        if any(not tier.company_id for tier in self):  # a shared tier belongs to every company's ladder
            companies |= self.sudo().search([("company_id", "!=", False)]).company_id | self.env.company
        for company in companies:
            tiers = self._get_ranked_tiers(company)
            for lower, higher in zip(tiers, tiers[1:], strict=False):
                if higher.min_spend <= lower.min_spend:
                    raise ValidationError(
                        self.env._(
                            "The minimum spend must increase with the tier order: %(higher)s (%(higher_spend)s)"
                            " comes after %(lower)s (%(lower_spend)s) but does not ask for more.",
                            higher=higher.name,
                            higher_spend=format_amount(self.env, higher.min_spend, company.currency_id),
                            lower=lower.name,
                            lower_spend=format_amount(self.env, lower.min_spend, company.currency_id),
                        )
                    )

    @api.constrains("pricelist_id", "active")
    def _check_pricelist_active(self):
        for tier in self.filtered(lambda tier: tier.active and tier.pricelist_id and not tier.pricelist_id.active):
            raise ValidationError(
                self.env._(
                    "The pricelist %(pricelist)s of tier %(tier)s is archived: its members would not get it.",
                    pricelist=tier.pricelist_id.name,
                    tier=tier.name,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        tiers = super().create(vals_list)
        tiers._enable_pricelist_feature()
        return tiers

    def write(self, vals):
        """Retiring a tier (archiving it, or moving it to another company) moves its members at once, as the
        nightly evaluation would: to the active tier just below it, or to the higher one their spend
        qualifies for, with history reason *Tier Retired*, their review date and lock kept, and no email.
        Giving a tier a pricelist turns Sales' Pricelists feature on (see `_enable_pricelist_feature`)."""
        members = self.env["res.partner"]
        if ("active" in vals and not vals["active"]) or "company_id" in vals:
            # sudo: whoever may edit the tiers retires one; its members are customers of every salesperson.
            members = self.env["res.partner"].sudo().search([("loyalty_tier_id", "in", self.ids), *MEMBER_DOMAIN])
        result = super().write(vals)
        if vals.get("pricelist_id"):
            self._enable_pricelist_feature()
        if members:
            members._loyalty_refresh()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_members(self):
        members = self.filtered("member_count")
        if members:
            raise UserError(
                self.env._(
                    "Tier %(tier)s still has %(count)s members: move them to another tier (or archive the tier) "
                    "before deleting it.",
                    tier=members[0].name,
                    count=members[0].member_count,
                )
            )

    def action_view_members(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_loyalty.crm_loyalty_member_action")
        action["domain"] = [("loyalty_tier_id", "=", self.id), *MEMBER_DOMAIN]
        return action

    def _enable_pricelist_feature(self):
        """Turn on Sales' Pricelists feature when one of these tiers gives a pricelist, as Settings does.

        Without the feature Odoo ignores every pricelist on new quotations, and saving Settings would archive
        them. Like Settings (and Odoo's own multi-currency activation), the feature group is implied by
        Internal User and the companies' default pricelists are activated or created.
        """
        if not self.filtered("pricelist_id"):
            return
        if self.env["res.groups"]._is_feature_enabled("product.group_product_pricelist"):
            return
        # sudo: a global feature, enabled the way product/models/res_currency.py does it for multi-currency
        group_user = self.env.ref("base.group_user").sudo()
        group_user._apply_group(self.env.ref("product.group_product_pricelist").sudo())
        self.env["res.company"].sudo()._activate_or_create_pricelists()
