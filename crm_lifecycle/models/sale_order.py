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

    def action_confirm(self):
        result = super().action_confirm()
        # Plan the after-order touches now: they show on the order's customer before they are due.
        self.env["crm.care.campaign"].sudo()._plan_orders(self)
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self.env["crm.care.touch"].sudo()._cancel_for_orders(self.filtered(lambda order: order.state == "cancel"))
        return result
