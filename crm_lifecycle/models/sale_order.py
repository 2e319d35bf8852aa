from odoo import fields, models
from odoo.tools import SQL


class SaleOrder(models.Model):
    _inherit = "sale.order"

    partner_lifecycle_stage_id = fields.Many2one(
        groups="crm_lifecycle.group_crm_care_user",
        related="partner_id.commercial_partner_id.lifecycle_stage_id",
        string="Customer Stage",
    )
    is_currency_rate_missing = fields.Boolean(
        string="Without Exchange Rate",
        compute="_compute_is_currency_rate_missing",
        search="_search_is_currency_rate_missing",
        groups="sales_team.group_sale_salesman",
        help="In a currency other than the company's, with no exchange rate at or before the order date: "
        "Odoo then converts it at 1.0, so Customer Care counts the order but adds no amount to the customer's "
        "revenue and tier spend until a rate for that date is added (the next refresh then counts it).",
    )

    def _compute_is_currency_rate_missing(self):
        ids = set(self._get_ids_without_rate(self.ids)) if self.ids else set()
        for order in self:
            order.is_currency_rate_missing = order.id in ids

    def _search_is_currency_rate_missing(self, operator, value):
        if operator != "in":
            return NotImplemented  # the ORM negates "in" for "not in"
        if True in value and False in value:
            return []
        return [("id", "in" if True in value else "not in", self._get_ids_without_rate())]

    def _get_ids_without_rate(self, order_ids=None):
        """Ids of the orders (all, or among `order_ids`) in a foreign currency without a rate at their date."""
        self.env["res.currency.rate"].flush_model()
        self.flush_model(["currency_id", "company_id", "date_order"])
        rows = self.env.execute_query(
            SQL(
                "SELECT so.id FROM sale_order so JOIN res_company c ON c.id = so.company_id WHERE %s %s",
                self.env["crm.lifecycle.run"]._get_order_without_rate_sql("so", SQL("c.currency_id")),
                SQL("AND so.id IN %s", tuple(order_ids)) if order_ids is not None else SQL(),
            )
        )
        return [order_id for (order_id,) in rows]

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
