from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import LifecycleCase
from .purchase_common import PurchaseLedgerMixin


@tagged("post_install", "-at_install")
class TestPurchaseLedgerBadInput(PurchaseLedgerMixin, LifecycleCase):
    """Bad input of the purchase ledger (issue 10): a credit note larger than its order, a credit note dated
    in the future. Nothing is lost, nothing is counted twice, the accountant is told."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})

    def _note(self, credit_note, text):
        return credit_note.message_ids.filtered(lambda m: text in (m.body or ""))

    def test_credit_note_larger_than_the_order(self):
        partner = self._customer("Over Refunded")
        self._order(partner, self._days_ago(200), amount=300)
        order = self._order(partner, self._days_ago(20), amount=1000)
        invoice = self._invoice(order, self._days_ago(19))
        first = self._refund(invoice, self._days_ago(10), price_unit=400)
        self.assertFalse(self._note(first, "more than its untaxed amount"), "within the order: no note")
        # A second credit note (a compensation on top of the return) brings the refunds to 1,500 > 1,000.
        second = self._refund(invoice, self._days_ago(3), price_unit=1100)
        # The order is refunded in full: no longer a purchase; the whole 1,500 refunded lowers the revenue
        # (nothing dropped, nothing counted twice).
        self.assertEqual((partner.order_count, partner.total_revenue), (1, 300 - 500))
        self.assertEqual(partner.purchase_refund_amount, 1500)
        rows = self._ledger(partner).filtered(lambda r: r.sale_order_id == order)
        self.assertEqual(sorted(rows.mapped("amount")), [-1100, -400, 1000])
        self.assertEqual(set(rows.mapped("purchase_id")), {order.id})
        note = self._note(second, "more than its untaxed amount")
        self.assertTrue(note, "the accountant is told how the over-refund counts")
        self.assertIn(order.name, str(note.body))
        self.assertIn("Over Refunded", str(note.body))
        self._run_cron()
        self.assertEqual((partner.order_count, partner.total_revenue), (1, -200))

    def test_credit_note_dated_in_the_future_lowers_from_its_day(self):
        partner = self._customer("Refund Ahead")
        order = self._order(partner, self._days_ago(20), amount=1000)
        invoice = self._invoice(order, self._days_ago(19))
        future = self._days_ago(-10)
        with freeze_time(self.TODAY):
            wizard = (
                self.env["account.move.reversal"]
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"reason": "Returned", "journal_id": invoice.journal_id.id})
            )
            credit_note = self.env["account.move"].browse(wizard.refund_moves()["res_id"])
            with Form(credit_note) as form:
                form.invoice_date = future
            credit_note.action_post()
        self.assertEqual(credit_note.state, "posted")
        self.assertEqual((partner.order_count, partner.total_revenue), (1, 1000), "not before its date")
        row = self._ledger(partner).filtered(lambda r: r.move_id == credit_note)
        self.assertEqual((row.date, row.amount), (future, -1000), "but listed in the ledger")
        self._run_cron()
        self.assertEqual((partner.order_count, partner.total_revenue), (1, 1000))
        self._run_cron(future)
        self.assertEqual((partner.order_count, partner.total_revenue), (0, 0))
