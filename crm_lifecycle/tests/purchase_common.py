from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import Form


class PurchaseLedgerMixin:
    """Real accounting on top of LifecycleCase: invoices of orders, direct invoices and credit notes made
    with Odoo's credit-note wizard (account.move.reversal)."""

    def _invoice(self, order, on):
        """Invoice the confirmed order and post the invoice on day `on`."""
        with freeze_time(on):
            invoice = order._create_invoices()
            invoice.action_post()
        return invoice

    def _direct_invoice(self, partner, on, amount, invoice_date=None):
        """A customer invoice without sale order (a service billed directly) of `amount` untaxed (the product's
        15 % tax on top), posted on day `on` (dated `invoice_date`, else that day)."""
        with freeze_time(on):
            invoice = self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": invoice_date or on,
                    "invoice_line_ids": [
                        Command.create({"product_id": self.product.id, "quantity": 1, "price_unit": amount})
                    ],
                }
            )
            invoice.action_post()
        return invoice

    def _refund(self, invoice, on, price_unit=None, partner=None):
        """Refund the invoice with the credit-note wizard on day `on` and post the credit note; price_unit:
        the refunded unit price of its first line (a partial refund), partner: another customer set on the
        draft credit note before posting."""
        with freeze_time(on):
            wizard = (
                self.env["account.move.reversal"]
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"reason": "Returned", "journal_id": invoice.journal_id.id})
            )
            credit_note = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
            if price_unit is not None or partner is not None:
                with Form(credit_note) as form:
                    if partner is not None:
                        form.partner_id = partner
                    if price_unit is not None:
                        with form.invoice_line_ids.edit(0) as line:
                            line.price_unit = price_unit
            credit_note.action_post()
        return credit_note

    def _ledger(self, partner):
        return self.env["crm.purchase"].search([("partner_id", "=", partner.commercial_partner_id.id)], order="id")
