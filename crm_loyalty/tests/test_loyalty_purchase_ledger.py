from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.purchase_common import PurchaseLedgerMixin

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyPurchaseLedger(PurchaseLedgerMixin, LoyaltyCase):
    """Tier spend reads the purchase ledger: credit notes made with Odoo's wizard lower it at once (the tier
    itself waits for its review date), direct invoices raise it."""

    def test_partial_then_full_refund_lower_the_spend(self):
        partner = self._customer("Refunding Member")
        order = self._order(partner, self._day(-10), amount=25000)
        self.assertEqual(partner.loyalty_tier_id, self.gold)
        self.assertEqual((partner.loyalty_qualifying_spend, partner.loyalty_qualifying_orders), (25000, 1))
        invoice = self._invoice(order, self._day(-9))
        self._refund(invoice, self._day(-5), price_unit=10000)
        self.assertEqual((partner.loyalty_qualifying_spend, partner.loyalty_qualifying_orders), (15000, 1))
        self.assertEqual(partner.total_revenue, 15000)
        self.assertEqual(partner.loyalty_tier_id, self.gold, "a downgrade waits for the review date")
        self._refund(invoice, self._day(-4), price_unit=15000)
        self.assertEqual((partner.loyalty_qualifying_spend, partner.loyalty_qualifying_orders), (0, 0))
        self._evaluate()
        self.assertEqual((partner.loyalty_qualifying_spend, partner.loyalty_qualifying_orders), (0, 0))
        self._evaluate(self._day(self.WINDOW))
        self.assertEqual(partner.loyalty_tier_id, self.silver, "one tier down at the review date")

    def test_direct_invoice_counts_in_the_spend(self):
        partner = self._customer("Service Member")
        self._direct_invoice(partner, self._day(-3), 6000)
        self.assertEqual((partner.loyalty_qualifying_spend, partner.loyalty_qualifying_orders), (6000, 1))
        self.assertEqual(partner.loyalty_tier_id, self.silver)
