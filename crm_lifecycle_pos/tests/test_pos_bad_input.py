from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.common import LifecycleCase

from .test_pos_purchases import PosCaseMixin


@tagged("post_install", "-at_install")
class TestPosBadInput(PosCaseMixin, LifecycleCase):
    """Bad input at the till (issue 10): a refund given to another customer than the one who bought, a POS
    order without customer given one afterwards. Nothing lost, nothing counted twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})
        cls._setup_pos()

    def _ledger(self, partner):
        return self.env["crm.purchase"].search([("partner_id", "=", partner.id)], order="id")

    def test_refund_of_another_customers_pos_order(self):
        buyer = self._customer("Till Buyer")
        other = self._customer("Till Other")
        order = self._pos_order(buyer, 100, on=self._days_ago(3), qty=3)
        refund = self.env["pos.order"].browse(order.with_user(self.cashier).refund()["res_id"])
        refund.lines.qty = -1
        refund.lines._onchange_amount_line_all()
        refund._compute_prices()
        refund.with_user(self.cashier).partner_id = other
        self._pay(refund)
        # The buyer's order is not lowered by a refund paid to someone else: that refund is the other
        # customer's, on its own (not a purchase), counted once.
        self.assertEqual((buyer.order_count, buyer.total_revenue), (1, 300))
        self.assertEqual((other.order_count, other.total_revenue), (0, -100))
        row = self._ledger(other)
        self.assertEqual(
            (row.res_id, row.purchase_model, row.purchase_id, row.amount), (refund.id, "pos.order", refund.id, -100)
        )
        self._run_cron()
        self.assertEqual((buyer.order_count, buyer.total_revenue), (1, 300))
        self.assertEqual((other.order_count, other.total_revenue), (0, -100))

    def test_pos_order_without_customer_counts_once_a_customer_is_set(self):
        order = self._pos_order(False, 80)
        self.assertFalse(self.env["crm.purchase"].search([("res_model", "=", "pos.order"), ("res_id", "=", order.id)]))
        partner = self._customer("Named Later")
        order.with_user(self.cashier).partner_id = partner
        self.assertEqual((partner.order_count, partner.total_revenue), (1, 80), "refreshed when the customer is set")
        self.assertEqual(self._ledger(partner).res_id, order.id)
