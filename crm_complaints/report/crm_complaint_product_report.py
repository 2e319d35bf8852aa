from odoo import fields, models
from odoo.tools import SQL


class CrmComplaintProductReport(models.Model):
    """Complaints by product (a query): one row per product and company, with its complaints and the confirmed
    orders of it, and the complaint rate per 100 orders.

    Complaints: those with the product (`product_id`), not cancelled, archived ones included (they were filed).
    Orders of a product: the purchases of the purchase ledger (crm.purchase) whose document has a line of the
    product: confirmed sale orders, net of refunds (an order refunded in full is no purchase); a bridge adds its
    documents' lines by overriding `_get_product_order_sqls`. Figures of all time: the rate of a product is exact
    per row; grouped over several products (by category) it is the average of their rates."""

    _name = "crm.complaint.product.report"
    _description = "Complaints by Product"
    _auto = False
    _order = "complaint_count desc, id"
    _rec_name = "product_id"
    # Flushed before the query reads them.
    _depends = {
        "crm.complaint": ["product_id", "company_id", "state"],
        "sale.order": ["state", "partner_id", "company_id", "date_order", "amount_untaxed"],
        "sale.order.line": ["order_id", "product_id", "display_type"],
        "account.move": ["state", "move_type", "invoice_date", "reversed_entry_id"],
        "account.move.line": ["move_id", "price_subtotal", "display_type"],
    }

    product_id = fields.Many2one("product.product", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", string="Product Template", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True, aggregator="sum")
    order_count = fields.Integer(
        string="Orders", readonly=True, aggregator="sum", help="Confirmed orders with the product, net of refunds."
    )
    complaint_rate = fields.Float(
        string="Complaints per 100 Orders",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Complaints x 100 / Orders of the product; empty without orders. Grouped over several products: the "
        "average of their rates.",
    )

    def _get_product_order_sqls(self):
        """SELECTs of (product_id, company_id, purchase_model, purchase_id): a purchase with a line of the product
        (one row per product and purchase). Bridges append theirs (POS order lines)."""
        return [
            SQL(
                """SELECT DISTINCT sol.product_id, so.company_id, 'sale.order'::varchar, so.id
                     FROM sale_order_line sol
                     JOIN sale_order so ON so.id = sol.order_id
                    WHERE so.state = 'sale' AND sol.product_id IS NOT NULL AND sol.display_type IS NULL"""
            )
        ]

    @property
    def _table_query(self):
        return SQL(
            """
            WITH counted AS (
                SELECT t.purchase_model, t.purchase_id FROM (%(totals)s) t WHERE t.counted
            ), orders AS (
                SELECT po.product_id, po.company_id, COUNT(*) AS order_count
                  FROM (%(product_orders)s) po (product_id, company_id, purchase_model, purchase_id)
                  JOIN counted ON counted.purchase_model = po.purchase_model AND counted.purchase_id = po.purchase_id
                 GROUP BY po.product_id, po.company_id
            ), complaints AS (
                SELECT c.product_id, c.company_id, COUNT(*) AS complaint_count
                  FROM crm_complaint c
                 WHERE c.product_id IS NOT NULL AND c.state != 'cancelled'
                 GROUP BY c.product_id, c.company_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY x.product_id, x.company_id) AS id, x.product_id, pp.product_tmpl_id,
                   pt.categ_id, x.company_id, x.complaint_count, x.order_count,
                   ROUND(x.complaint_count * 100.0 / NULLIF(x.order_count, 0), 1) AS complaint_rate
              FROM (
                SELECT COALESCE(o.product_id, k.product_id) AS product_id,
                       COALESCE(o.company_id, k.company_id) AS company_id,
                       COALESCE(k.complaint_count, 0) AS complaint_count, COALESCE(o.order_count, 0) AS order_count
                  FROM orders o
                  FULL JOIN complaints k ON k.product_id = o.product_id AND k.company_id = o.company_id
              ) x
              JOIN product_product pp ON pp.id = x.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
            """,
            totals=self.env["crm.purchase"]._get_purchase_totals_sql(),
            product_orders=SQL(" UNION ALL ").join(self._get_product_order_sqls()),
        )
