from odoo import api, fields, models
from odoo.tools import SQL


class CrmPurchase(models.Model):
    _inherit = "crm.purchase"

    source = fields.Selection(selection_add=[("pos_order", "Point of Sale Order")])

    @api.model
    def _get_purchase_source_sqls(self, partner_ids=None):
        return [*super()._get_purchase_source_sqls(partner_ids), self._get_purchase_source_sql_pos_order(partner_ids)]

    @api.model
    def _get_purchase_source_sql_pos_order(self, partner_ids=None):
        """Point of Sale orders with a customer, paid or posted (state paid or done), on their order date, in
        the currency of their point of sale. A POS refund (negative) belongs to the POS order of the same
        customer it refunds (through its lines' refunded lines), else to itself. Slot 3 of the row ids."""
        return SQL(
            """SELECT po.id::bigint * 8 + 3, p.commercial_partner_id, po.company_id, pc.currency_id,
                      po.date_order, NULL::date, (po.amount_total - po.amount_tax)::numeric,
                      'pos_order'::varchar, 'pos.order'::varchar, po.id, po.name::varchar,
                      NULL::int, po.account_move, 'pos.order'::varchar, COALESCE(ref.order_id, po.id)
                 FROM pos_order po
                 JOIN res_partner p ON p.id = po.partner_id
                 JOIN pos_config pc ON pc.id = po.config_id
                 LEFT JOIN (
                      -- set-based (one hash join for all refunds), not a lookup per POS order: the refunded
                      -- order of each refund per commercial entity of that order
                      SELECT l.order_id AS refund_id, rp.commercial_partner_id, MIN(ro.id) AS order_id
                        FROM pos_order_line l
                        JOIN pos_order_line rl ON rl.id = l.refunded_orderline_id
                        JOIN pos_order ro ON ro.id = rl.order_id AND ro.state IN ('paid', 'done')
                        JOIN res_partner rp ON rp.id = ro.partner_id
                       WHERE l.refunded_orderline_id IS NOT NULL %(ref_only)s
                       GROUP BY l.order_id, rp.commercial_partner_id
                 ) ref ON ref.refund_id = po.id AND ref.commercial_partner_id = p.commercial_partner_id
                WHERE po.state IN ('paid', 'done') %(only)s""",
            only=self._get_partner_filter_sql(SQL("p.commercial_partner_id"), partner_ids),
            ref_only=self._get_partner_filter_sql(SQL("rp.commercial_partner_id"), partner_ids),
        )

    @api.model
    def _get_move_of_other_source_sql(self, move):
        """An invoice or credit note of a POS order counts as the POS order: once."""
        return SQL(
            "(%s OR EXISTS (SELECT 1 FROM pos_order po WHERE po.account_move = %s))",
            super()._get_move_of_other_source_sql(move),
            SQL.identifier(move, "id"),
        )
