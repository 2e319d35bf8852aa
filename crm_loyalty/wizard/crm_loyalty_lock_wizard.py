from odoo import fields, models


class CrmLoyaltyLockWizard(models.TransientModel):
    _name = "crm.loyalty.lock.wizard"
    _description = "Set Membership Tier"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    tier_id = fields.Many2one("crm.loyalty.tier", required=True)
    reason = fields.Char(required=True, help="Why this customer gets this tier; kept in the tier history.")
    lock_until = fields.Date(
        string="Locked Until",
        help="On this date the lock lapses and the normal rules apply again. Empty: until a manager unlocks.",
    )

    def action_apply(self):
        self.ensure_one()
        self.partner_id._loyalty_set_tier_manually(self.tier_id, self.reason, self.lock_until)
        return {"type": "ir.actions.act_window_close"}
