from odoo import models

# States of a POS order that count as a purchase (crm.purchase).
COUNTED_STATES = ("paid", "done")


class PosOrder(models.Model):
    _inherit = "pos.order"

    def write(self, vals):
        if not {"state", "partner_id"} & vals.keys() or self.env.context.get("crm_lifecycle_no_refresh"):
            return super().write(vals)
        # Customers whose counted POS orders change: paid at the till (a tier upgrade happens there, in the
        # same transaction), posted, or given another customer.
        customers = self.filtered(lambda order: order.state in COUNTED_STATES).partner_id
        result = super().write(vals)
        customers |= self.filtered(lambda order: order.state in COUNTED_STATES).partner_id
        if customers:
            customers.sudo()._crm_care_refresh_purchases()
        return result
