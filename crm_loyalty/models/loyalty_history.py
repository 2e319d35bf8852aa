from odoo import api, fields, models


class LoyaltyHistory(models.Model):
    _inherit = "loyalty.history"

    crm_loyalty_expiry_date = fields.Date(
        string="Expired On",
        readonly=True,
        help="Set on the lines written by the points expiry: the day the points expired.",
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
