from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_confirm(self):
        result = super().action_confirm()
        # Plan the after-order touches now: they show on the order's customer before they are due.
        self.env["crm.care.campaign"].sudo()._plan_orders(self)
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self.env["crm.care.touch"].sudo()._cancel_for_orders(self.filtered(lambda order: order.state == "cancel"))
        return result
