from odoo import models


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
