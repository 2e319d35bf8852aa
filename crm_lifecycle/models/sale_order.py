from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    partner_lifecycle_stage_id = fields.Many2one(
        related="partner_id.commercial_partner_id.lifecycle_stage_id", string="Customer Stage"
    )

    def write(self, vals):
        watched = {"state", "partner_id", "date_order"} & vals.keys()
        if not watched or self.env.context.get("crm_lifecycle_no_refresh"):
            return super().write(vals)
        # Customers whose confirmed orders change: before the write (partner changes) and after.
        customers = self.filtered(lambda order: order.state == "sale").partner_id
        result = super().write(vals)
        if "state" in vals:
            customers |= self.partner_id
        else:
            customers |= self.filtered(lambda order: order.state == "sale").partner_id
        if customers:
            customers.sudo()._lifecycle_refresh(reason="order", orders=self)
        return result
