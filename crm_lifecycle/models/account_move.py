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
        changed = was_posted | moves.filtered(lambda move: move.state == "posted")
        if changed:
            changed._crm_care_refresh_customers(changed.commercial_partner_id.sudo())
        return result

    def _crm_care_refresh_customers(self, customers):
        """Customers (sudo) whose purchases changed because these customer invoices or credit notes were
        posted, reset to draft or cancelled: refresh what CRM Care derives from their purchases, in this
        transaction. Other addons extend it (after super)."""
        customers._lifecycle_refresh(reason="order")
