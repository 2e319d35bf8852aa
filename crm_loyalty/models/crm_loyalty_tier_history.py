from odoo import api, fields, models

TIER_CHANGE_REASONS = [
    ("upgrade", "Upgrade"),
    ("review", "Review"),
    ("manual", "Manual"),
    ("lock_expired", "Lock Expired"),
    ("tier_retired", "Tier Retired"),
]


class CrmLoyaltyTierHistory(models.Model):
    _name = "crm.loyalty.tier.history"
    _description = "Membership Tier History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="partner_id.company_id", store=True)
    from_tier_id = fields.Many2one("crm.loyalty.tier", ondelete="set null")
    to_tier_id = fields.Many2one("crm.loyalty.tier", index=True, ondelete="set null")
    date = fields.Date(required=True, default=lambda self: self.env.company._get_lifecycle_today()[0], index=True)
    reason = fields.Selection(TIER_CHANGE_REASONS, required=True, default="manual")
    direction = fields.Selection(
        [("up", "Up"), ("down", "Down"), ("same", "Same")],
        compute="_compute_direction",
        store=True,
        help="Whether the move goes to a higher or a lower tier.",
    )
    qualifying_spend = fields.Monetary(currency_field="currency_id", aggregator="avg")
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    note = fields.Char(help="The reason a manager gave for a manual tier.")
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user, ondelete="set null")

    def _compute_currency_id(self):
        for line in self:
            line.currency_id = (line.partner_id.company_id or self.env.company).currency_id

    @api.depends("from_tier_id", "to_tier_id")
    def _compute_direction(self):
        for line in self:
            old = (line.from_tier_id.sequence, line.from_tier_id.min_spend) if line.from_tier_id else (-1, -1)
            new = (line.to_tier_id.sequence, line.to_tier_id.min_spend) if line.to_tier_id else (-1, -1)
            line.direction = "up" if new > old else "down" if new < old else "same"
