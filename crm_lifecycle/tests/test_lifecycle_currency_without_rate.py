from odoo.tests import tagged

from .common import LifecycleCase


@tagged("post_install", "-at_install")
class TestLifecycleCurrencyWithoutRate(LifecycleCase):
    """An order in a currency without exchange rate, through Odoo's own order path (a pricelist in that
    currency): Odoo stores currency_rate = 1.0 on it; CRM Care counts the order but adds no amount until a
    rate at or before the order date exists, then the next refresh converts it with that rate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})
        jpy = cls.env.ref("base.JPY")
        cls.foreign = jpy if cls.company.currency_id != jpy else cls.env.ref("base.EUR")
        cls.foreign.active = True
        cls.foreign.rate_ids.unlink()

    def _add_rate(self, on, rate):
        self.env["res.currency.rate"].create(
            {"currency_id": self.foreign.id, "name": on, "rate": rate, "company_id": self.company.id}
        )

    def test_order_without_rate_counts_without_amount_until_a_rate_is_added(self):
        partner = self._customer("Tanaka Trading")
        self._order(partner, self._days_ago(20), amount=100)
        order = self._order(partner, self._days_ago(10), amount=30000, currency=self.foreign)
        self.assertEqual(order.currency_rate, 1.0, "Odoo's fallback when the currency has no rate")
        self.assertTrue(order.is_currency_rate_missing)
        # At confirmation (order-time refresh) and in the nightly run: two orders, 100 of revenue.
        self.assertEqual((partner.order_count, partner.total_revenue), (2, 100))
        self._run_cron()
        self.assertEqual((partner.order_count, partner.total_revenue, partner.revenue_last_year), (2, 100, 100))
        self.assertEqual(partner.average_order_value, 50)
        self.assertEqual(partner.lifecycle_missing_rate_count, 1, "the customer form warns")
        self.assertIn(order, self.env["sale.order"].search([("is_currency_rate_missing", "=", True)]))
        self.assertNotIn(order, self.env["sale.order"].search([("is_currency_rate_missing", "=", False)]))
        action = partner.action_view_orders_without_rate()
        self.assertEqual(self.env["sale.order"].search(action["domain"]), order)

        # A rate dated after the order is not its rate.
        self._add_rate(self._days_ago(5), 150.0)
        self._run_cron()
        self.assertEqual(partner.total_revenue, 100)
        self.assertTrue(order.is_currency_rate_missing)

        # The accountant adds the rate of the order date: the next refresh converts 30,000 at 150 = 200.
        self._add_rate(self._days_ago(10), 150.0)
        self._run_cron()
        self.assertEqual(order.currency_rate, 1.0, "the order's stored rate stays stale")
        self.assertFalse(order.is_currency_rate_missing)
        self.assertEqual(partner.lifecycle_missing_rate_count, 0)
        self.assertEqual((partner.order_count, partner.total_revenue), (2, 300))
        self.assertNotIn(order, self.env["sale.order"].search([("is_currency_rate_missing", "=", True)]))

    def test_orders_in_company_currency_are_never_without_rate(self):
        partner = self._customer("Home Market")
        order = self._order(partner, self._days_ago(3), amount=250)
        self.assertFalse(order.is_currency_rate_missing)
        self.assertEqual(partner.total_revenue, 250)
