from datetime import date, datetime

from odoo.tests import tagged

from .common import LifecycleCase
from .purchase_common import PurchaseLedgerMixin


@tagged("post_install", "-at_install")
class TestVoiceCohorts(PurchaseLedgerMixin, LifecycleCase):
    """Repurchase and cohort retention (crm.care.cohort.report), filled by the nightly run from the purchase ledger:
    real orders, invoices and credit notes (credit-note wizard), months in the company's Business Time Zone
    (Asia/Shanghai, UTC+8)."""

    def _cells(self, user=None):
        Report = self.env["crm.care.cohort.report"]
        if user:
            Report = Report.with_user(user)
        groups = Report._read_group(
            [("company_id", "=", self.company.id)],
            ["cohort_month:month", "months_since"],
            ["customer_count:sum", "cohort_size:max", "retention:avg"],
        )
        return {(cohort, since): (bought, size, retention) for cohort, since, bought, size, retention in groups}

    def test_cohorts_by_first_purchase_month_net_of_refunds(self):
        jan, feb = date(2026, 1, 1), date(2026, 2, 1)
        a, b, c, d, e = (self._customer(f"Cohort {name}") for name in "ABCDE")
        # A: January, bought again in February and April.
        for day in (date(2026, 1, 10), date(2026, 2, 5), date(2026, 4, 20)):
            self._order(a, day)
        # B: 31 January 20:00 UTC is 1 February in Shanghai: the February cohort; again in March.
        self._order(b, datetime(2026, 1, 31, 20, 0))
        self._order(b, date(2026, 3, 3))
        # C: January; its February order refunded in full is no purchase.
        self._order(c, date(2026, 1, 15))
        refunded = self._order(c, date(2026, 2, 10))
        self._refund(self._invoice(refunded, date(2026, 2, 11)), date(2026, 2, 12))
        # D: January, again in March.
        self._order(d, date(2026, 1, 20))
        self._order(d, date(2026, 3, 5))
        # E: its December order refunded in full: first purchase in February.
        first = self._order(e, date(2025, 12, 20))
        self._refund(self._invoice(first, date(2025, 12, 21)), date(2025, 12, 22))
        self._order(e, date(2026, 2, 15))

        self._run_cron()
        self._refresh_cohorts()

        # Every month up to the run's (June 2026) is a cell, those where nobody of the cohort bought at 0 %.
        self.assertEqual(
            self._cells(),
            {
                (jan, 0): (3, 3, 100.0),
                (jan, 1): (1, 3, 33.3),
                (jan, 2): (1, 3, 33.3),
                (jan, 3): (1, 3, 33.3),
                (jan, 4): (0, 3, 0.0),
                (jan, 5): (0, 3, 0.0),
                (feb, 0): (2, 2, 100.0),
                (feb, 1): (1, 2, 50.0),
                (feb, 2): (0, 2, 0.0),
                (feb, 3): (0, 2, 0.0),
                (feb, 4): (0, 2, 0.0),
            },
        )
        # Over both cohorts, a month since the first purchase is the average of their retentions, a cohort
        # nobody of which bought again that month counting 0 %: month 2 is (33.3 + 0) / 2.
        by_month = dict(
            self.env["crm.care.cohort.report"]._read_group(
                [("company_id", "=", self.company.id)], ["months_since"], ["retention:avg"]
            )
        )
        self.assertAlmostEqual(by_month[2], 16.65)
        self.assertAlmostEqual(by_month[1], (33.3 + 50.0) / 2)
        # The share who bought again, per cohort (the pivot's rows): months after the first one.
        again = self.env["crm.care.cohort.report"]._read_group(
            [("company_id", "=", self.company.id), ("is_repurchase", "=", True)],
            ["cohort_month:month"],
            ["customer_count:sum", "cohort_size:max"],
        )
        self.assertEqual([(cohort, bought, size) for cohort, bought, size in again], [(jan, 3, 3), (feb, 1, 2)])
        # A Customer Care user (salesperson) reads the report; the nightly run replaces it, never adds to it.
        self.assertEqual(self._cells(self.salesman)[(jan, 1)], (1, 3, 33.3))
        self._run_cron()
        self._refresh_cohorts()
        self.assertEqual(len(self._cells()), 11)
