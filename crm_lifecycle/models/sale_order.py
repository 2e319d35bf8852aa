from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    partner_lifecycle_stage_id = fields.Many2one(
        groups="base.group_user", related="partner_id.commercial_partner_id.lifecycle_stage_id", string="Customer Stage"
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
            self._crm_care_refresh_customers(customers.sudo(), vals)
        return result

    def _crm_care_refresh_customers(self, customers, vals):
        """Customers (sudo) whose confirmed orders changed by write(vals) of these orders: refresh what
        CRM Care derives from their orders, in this transaction. Other addons extend it (after super)."""
        customers._lifecycle_refresh(reason="order", orders=self)

    def action_confirm(self):
        result = super().action_confirm()
        # Plan the after-order touches now: they show on the order's customer before they are due.
        self.env["crm.care.campaign"].sudo()._plan_orders(self)
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self.env["crm.care.touch"].sudo()._cancel_for_orders(self.filtered(lambda order: order.state == "cancel"))
        return result
