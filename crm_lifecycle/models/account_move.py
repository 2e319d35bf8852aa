from odoo import models
from odoo.tools import SQL, format_amount


class AccountMove(models.Model):
    _inherit = "account.move"

    def write(self, vals):
        if "state" not in vals or self.env.context.get("crm_lifecycle_no_refresh"):
            return super().write(vals)
        # Customer invoices and credit notes are purchase ledger sources while posted (crm.purchase):
        # posting one, resetting it to draft or cancelling it changes its customer's purchases.
        moves = self.filtered(lambda move: move.move_type in ("out_invoice", "out_refund"))
        was_posted = moves.filtered(lambda move: move.state == "posted")
        result = super().write(vals)
        posted = moves.filtered(lambda move: move.state == "posted")
        (posted - was_posted)._crm_care_note_foreign_refunds()
        (posted - was_posted)._crm_care_note_refunds_beyond_orders()
        changed = was_posted | posted
        if changed:
            changed._crm_care_refresh_customers(changed.commercial_partner_id.sudo())
        return result

    def _crm_care_refresh_customers(self, customers):
        """Customers (sudo) whose purchases changed because these customer invoices or credit notes were
        posted, reset to draft or cancelled: refresh what CRM Care derives from their purchases, in this
        transaction. Other addons extend it."""
        customers._crm_care_refresh_purchases()

    def _crm_care_note_foreign_refunds(self):
        """Tell, in the chatter of each of these posted credit notes that refunds a sale order of another
        customer (commercial entity), how Customer Care counts it: as a refund of its own customer, not on
        that order (crm.purchase)."""
        for move in self.filtered(lambda m: m.move_type == "out_refund"):
            orders = move.invoice_line_ids.sale_line_ids.order_id.filtered(
                lambda order, customer=move.commercial_partner_id: order.partner_id.commercial_partner_id != customer
            )
            if orders:
                move.message_post(
                    body=self.env._(
                        "This credit note refunds %(orders)s of another customer: Customer Care counts it as a "
                        "refund of %(customer)s, not on that order (whose purchase stays whole).",
                        orders=", ".join(orders.mapped("name")),
                        customer=move.commercial_partner_id.display_name,
                    ),
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )

    def _crm_care_note_refunds_beyond_orders(self):
        """Tell, in the chatter of each of these posted credit notes, when the posted credit notes of one of
        the sale orders it refunds (same customer) now refund more than the order's untaxed amount: the
        order no longer counts as a purchase and the whole refunded amount lowers its customer's revenue
        and spend (crm.purchase), nothing is dropped. One query for all the credit notes."""
        refunds = self.filtered(lambda m: m.move_type == "out_refund")
        if not refunds:
            return
        rows = self.env.execute_query(
            SQL(
                """
                WITH refunded AS (
                    SELECT DISTINCT am.id AS move_id, so.id AS order_id
                      FROM account_move am
                      JOIN account_move_line aml ON aml.move_id = am.id AND aml.display_type = 'product'
                      JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
                      JOIN sale_order_line sol ON sol.id = rel.order_line_id
                      JOIN sale_order so ON so.id = sol.order_id AND so.state = 'sale'
                      JOIN res_partner sp ON sp.id = so.partner_id
                     WHERE am.id IN %(ids)s AND sp.commercial_partner_id = am.commercial_partner_id
                )
                SELECT r.move_id, r.order_id, t.amount
                  FROM refunded r
                  JOIN sale_order so ON so.id = r.order_id
                 CROSS JOIN LATERAL (
                      SELECT SUM(aml.price_subtotal) AS amount
                        FROM account_move_line aml
                        JOIN account_move cn ON cn.id = aml.move_id
                       WHERE cn.move_type = 'out_refund' AND cn.state = 'posted'
                         AND cn.commercial_partner_id = (SELECT commercial_partner_id FROM account_move
                                                          WHERE id = r.move_id)
                         AND aml.display_type = 'product'
                         AND aml.id IN (SELECT rel.invoice_line_id
                                          FROM sale_order_line_invoice_rel rel
                                          JOIN sale_order_line sol ON sol.id = rel.order_line_id
                                         WHERE sol.order_id = r.order_id)
                 ) t
                 WHERE t.amount > so.amount_untaxed
                """,
                ids=tuple(refunds.ids),
            )
        )
        for move_id, order_id, amount in rows:
            move = self.browse(move_id)
            order = self.env["sale.order"].browse(order_id)
            move.message_post(
                body=self.env._(
                    "The credit notes of %(order)s now refund %(refunded)s, more than its untaxed amount "
                    "(%(amount)s): Customer Care counts the order as refunded in full (no longer a purchase) "
                    "and the whole refunded amount lowers the revenue and spend of %(customer)s.",
                    order=order.name,
                    refunded=format_amount(self.env, amount, move.currency_id),
                    amount=format_amount(self.env, order.amount_untaxed, order.currency_id),
                    customer=move.commercial_partner_id.display_name,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
