from odoo import api, fields, models


class LoyaltyHistory(models.Model):
    _inherit = "loyalty.history"

    crm_loyalty_expiry_date = fields.Date(
        string="Expired On",
        readonly=True,
        help="Set on the lines written by the points expiry: the day the points expired.",
    )

    crm_loyalty_refund_order_id = fields.Many2one(
        "sale.order",
        string="Refunded Order",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="Set on the lines written when a credit note takes back points: the sale order it refunds.",
    )
    crm_loyalty_points_reversed = fields.Float(
        string="Points Taken Back",
        readonly=True,
        help="Points a credit note took back from the order's points (points): those taken from the card "
        "(Used) plus those the card no longer had (its shortfall).",
    )

    # One expiry line per card and day: the nightly job can run again without expiring twice.
    _crm_loyalty_expiry_unique = models.UniqueIndex(
        "(card_id, crm_loyalty_expiry_date) WHERE crm_loyalty_expiry_date IS NOT NULL"
    )

    @api.model_create_multi
    def create(self, vals_list):
        # sale.order's confirmation passes the tier multiplier of the points it issues, per card.
        notes = self.env.context.get("crm_loyalty_history_notes") or {}
        for vals in vals_list:
            note = notes.get(vals.get("card_id"))
            if note and vals.get("issued"):
                vals["description"] = f"{vals.get('description') or ''} ({note})".strip()
        return super().create(vals_list)
