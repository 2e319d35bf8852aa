"""README promises of RFM and lifetime value: F and M score the orders of the last `rfm_window_days` (730) only;
the retention estimate falls back to 0.5; the worked example's figures are the formula's."""

import re
from pathlib import Path

from odoo.tests import tagged

from .common import LifecycleCase


@tagged("post_install", "-at_install")
class TestReadmeRfmWindow(LifecycleCase):
    def test_frequency_and_monetary_count_only_the_window(self):
        old_faithful = self._customer("Old Faithful")
        for age in (900, 850, 800, 760):
            self._order(old_faithful, self._days_ago(age), amount=1000)
        self._order(old_faithful, self._days_ago(10), amount=100)
        recent = self._customer("Recent")
        for age in (300, 10):
            self._order(recent, self._days_ago(age), amount=150)
        self._run_cron()
        self.assertEqual(old_faithful.order_count, 5, "every order still counts as an order")
        self.assertEqual(old_faithful.total_revenue, 4100)
        # In the window: Old Faithful 1 order / 100, Recent 2 orders / 300 -> cume_dist 1/2 and 2/2.
        self.assertEqual((old_faithful.rfm_frequency_score, recent.rfm_frequency_score), (3, 5))
        self.assertEqual((old_faithful.rfm_monetary_score, recent.rfm_monetary_score), (3, 5))
        self.company.rfm_window_days = 1000
        self._run_cron(self._days_ago(-1))
        self.assertEqual((old_faithful.rfm_frequency_score, recent.rfm_frequency_score), (5, 3), "a wider window")
        self.assertEqual((old_faithful.rfm_monetary_score, recent.rfm_monetary_score), (5, 3))

    def test_retention_is_one_half_without_customers_of_the_year_before_last(self):
        for name in ("Fresh 1", "Fresh 2"):
            self._order(self._customer(name), self._days_ago(30), amount=1000)
        self._run_cron()
        self.assertEqual(self.company.clv_retention_estimate, 0.5)
        fresh = self.env["res.partner"].search([("name", "=", "Fresh 1")])
        q = 0.5 / 1.1
        self.assertAlmostEqual(fresh.customer_lifetime_value, 1000 * 0.3 * sum(q**t for t in range(5)), places=2)

    def test_the_worked_example_in_the_readmes_is_the_formula(self):
        """Each README shows the terms m * q^t with 4 digits and their sum: they must be the formula's."""
        m, q = 1000 * 0.30, 0.60 / 1.10
        terms = [m * q**t for t in range(5)]
        repository = Path(__file__).resolve().parents[2]
        for readme in (repository / "README.md", repository / "crm_lifecycle" / "README.md"):
            line = re.search(r"CLV = ([0-9.+ ]+) = \*\*([0-9.]+)\*\*", readme.read_text())
            self.assertTrue(line, f"{readme} shows the worked example")
            shown = [float(term) for term in line.group(1).split("+")]
            self.assertEqual(shown, [round(term, 4) for term in terms], readme)
            self.assertEqual(float(line.group(2)), round(sum(terms), 4), readme)
