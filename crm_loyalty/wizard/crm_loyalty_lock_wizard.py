from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmLoyaltyLockWizard(models.TransientModel):
    _name = "crm.loyalty.lock.wizard"
    _description = "Set Membership Tier"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", help="Whose tier ladder applies: the customer's company."
    )
    tier_id = fields.Many2one("crm.loyalty.tier", required=True, domain="[('company_id', 'in', [company_id, False])]")
    reason = fields.Char(required=True, help="Why this customer gets this tier; kept in the tier history.")
    lock_until = fields.Date(
        string="Locked Until",
        help="On this date the lock lapses and the normal rules apply again. Empty: until a manager unlocks.",
    )

    @api.depends("partner_id")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.partner_id.commercial_partner_id.company_id or self.env.company

    def action_apply(self):
        self.ensure_one()
        if self.tier_id not in self.env["crm.loyalty.tier"]._get_ranked_tiers(self.company_id):
            raise UserError(
                self.env._(
                    "Tier %(tier)s belongs to another company than %(customer)s: choose a tier of %(company)s.",
                    tier=self.tier_id.display_name,
                    customer=self.partner_id.display_name,
                    company=self.company_id.display_name,
                )
            )
        self.partner_id._loyalty_set_tier_manually(self.tier_id, self.reason, self.lock_until)
        return {"type": "ir.actions.act_window_close"}
