from odoo import fields, models, tools
from odoo.tools import SQL


class CrmCareConversion(models.Model):
    """Purchases won by a care campaign (SQL view), read from the purchase ledger (crm.purchase).

    A purchase (a confirmed order, a direct invoice, net of its refunds; a fully refunded or zero-amount
    one does not count) converts for a campaign when it is confirmed within the company's care_attribution_days after
    a done touch to the same customer (commercial entity). An order follows several touches: it counts once,
    for the campaign of the latest touch before it (last-touch attribution), so revenues add up.
    """

    _name = "crm.care.conversion"
    _description = "Care Campaign Conversion"
    _auto = False
    _order = "date_order desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", readonly=True)
    purchase_model = fields.Char(readonly=True, help="Model of the purchase converted (crm.purchase).")
    purchase_id = fields.Many2oneReference(model_field="purchase_model", readonly=True)
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True, help="The direct invoice converted.")
    touch_id = fields.Many2one("crm.care.touch", readonly=True)
    campaign_id = fields.Many2one("crm.care.campaign", readonly=True)
    step_id = fields.Many2one("crm.care.step", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_touch = fields.Datetime(string="Touched On", readonly=True)
    date_order = fields.Datetime(string="Order Date", readonly=True)
    days_to_convert = fields.Integer(string="Days to Convert", readonly=True, aggregator="avg")
    amount = fields.Monetary(string="Revenue", readonly=True, currency_field="currency_id")

    def _query(self):
        """Purchases of the ledger (crm.purchase, net of refunds; not the fully refunded or zero ones)
        converted by the latest done touch before them."""
        totals = self.env["crm.purchase"]._get_purchase_totals_sql()
        return SQL(
            """
            SELECT ROW_NUMBER() OVER (ORDER BY conv.purchase_model, conv.purchase_id) AS id, conv.*
              FROM (
                SELECT DISTINCT ON (pu.purchase_model, pu.purchase_id)
                       pu.purchase_model,
                       pu.purchase_id,
                       CASE WHEN pu.purchase_model = 'sale.order' THEN pu.purchase_id END AS order_id,
                       CASE WHEN pu.purchase_model = 'account.move' THEN pu.purchase_id END AS move_id,
                       t.id AS touch_id,
                       t.campaign_id,
                       t.step_id,
                       pu.partner_id,
                       pu.company_id,
                       c.currency_id,
                       t.date_done AS date_touch,
                       pu.date_order,
                       EXTRACT(DAY FROM pu.date_order - t.date_done)::int AS days_to_convert,
                       COALESCE(pu.amount, 0) AS amount
                  FROM (%(totals)s) pu
                  JOIN res_company c ON c.id = pu.company_id
                  JOIN res_partner tp ON tp.commercial_partner_id = pu.partner_id
                  JOIN crm_care_touch t ON t.partner_id = tp.id AND t.state = 'done'
                                       AND t.company_id = pu.company_id
                                       AND pu.date_order >= t.date_done
                                       AND pu.date_order < t.date_done + make_interval(days => c.care_attribution_days)
                 WHERE pu.counted
                 ORDER BY pu.purchase_model, pu.purchase_id, t.date_done DESC, t.id DESC
              ) conv
            """,
            totals=totals,
        )

    @property
    def _table_query(self):
        # A query, not a database view: the purchase ledger's sources are those of the addons installed now
        # (a bridge such as crm_lifecycle_pos adds one after this addon was installed).
        return self._query()

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)  # the database view of earlier versions
