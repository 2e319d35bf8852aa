from odoo import fields, models, tools
from odoo.tools import SQL


class CrmCareConversion(models.Model):
    """Confirmed orders won by a care campaign (SQL view).

    An order converts for a campaign when it is confirmed within the company's care_attribution_days after
    a done touch to the same customer (commercial entity). An order follows several touches: it counts once,
    for the campaign of the latest touch before it (last-touch attribution), so revenues add up.
    """

    _name = "crm.care.conversion"
    _description = "Care Campaign Conversion"
    _auto = False
    _order = "date_order desc"
    _rec_name = "order_id"

    order_id = fields.Many2one("sale.order", readonly=True)
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
        amount = self.env["crm.lifecycle.run"]._get_order_amount_sql(SQL("c.currency_id"))
        return SQL(
            """
            SELECT DISTINCT ON (so.id)
                   so.id AS id,
                   so.id AS order_id,
                   t.id AS touch_id,
                   t.campaign_id,
                   t.step_id,
                   op.commercial_partner_id AS partner_id,
                   so.company_id,
                   c.currency_id,
                   t.date_done AS date_touch,
                   so.date_order,
                   EXTRACT(DAY FROM so.date_order - t.date_done)::int AS days_to_convert,
                   COALESCE(%(amount)s, 0) AS amount
              FROM sale_order so
              JOIN res_company c ON c.id = so.company_id
              JOIN res_partner op ON op.id = so.partner_id
              JOIN res_partner tp ON tp.commercial_partner_id = op.commercial_partner_id
              JOIN crm_care_touch t ON t.partner_id = tp.id AND t.state = 'done'
                                   AND t.company_id = so.company_id
                                   AND so.date_order >= t.date_done
                                   AND so.date_order < t.date_done + make_interval(days => c.care_attribution_days)
             WHERE so.state = 'sale'
             ORDER BY so.id, t.date_done DESC, t.id DESC
            """,
            amount=amount,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
