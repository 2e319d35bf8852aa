from odoo.tests import tagged

from .common import LifecycleCase


@tagged("post_install", "-at_install")
class TestLifecycleRfmWindow(LifecycleCase):
    """Frequency and monetary scores count only the orders of the RFM window (730 days by default); the
    lifetime figures count every order."""

    def test_orders_older_than_the_window_do_not_score(self):
        old_spender = self._customer("Old Spender")
        for age in (1000, 900, 800):  # three big orders, all older than 730 days
            self._order(old_spender, self._days_ago(age), amount=1000)
        self._order(old_spender, self._days_ago(10), amount=100)
        regular = self._customer("Recent Regular")
        for age in (20, 10):
            self._order(regular, self._days_ago(age), amount=100)
        self._run_cron()
        self.assertEqual(old_spender.order_count, 4, "every order counts for the lifetime figures")
        self.assertEqual(old_spender.total_revenue, 3100, "untaxed, all orders")
        # In the window: 1 order of 100 against 2 orders of 200. cume_dist 1/2 -> score 3, 2/2 -> score 5.
        self.assertEqual((old_spender.rfm_frequency_score, old_spender.rfm_monetary_score), (3, 3))
        self.assertEqual((regular.rfm_frequency_score, regular.rfm_monetary_score), (5, 5))

    def test_window_is_the_company_setting(self):
        self.company.rfm_window_days = 5000
        old_spender = self._customer("Old Spender")
        for age in (1000, 900, 800):
            self._order(old_spender, self._days_ago(age), amount=1000)
        self._order(old_spender, self._days_ago(10), amount=100)
        regular = self._customer("Recent Regular")
        for age in (20, 10):
            self._order(regular, self._days_ago(age), amount=100)
        self._run_cron()
        self.assertEqual((old_spender.rfm_frequency_score, old_spender.rfm_monetary_score), (5, 5))
        self.assertEqual((regular.rfm_frequency_score, regular.rfm_monetary_score), (3, 3))
