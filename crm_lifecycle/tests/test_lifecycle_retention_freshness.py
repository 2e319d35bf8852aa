"""The retention rate behind every lifetime value is a population-wide estimate: it is estimated again only
once it is 30 days old, and then moves (and with it every lifetime value) only when the new estimate differs
from the stored one by more than half a percentage point; it is stored with the date it was estimated, which
the customer form shows.
"""

from datetime import datetime, timedelta

from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import LifecycleCase, frozen


@tagged("post_install", "-at_install")
class TestRetentionFreshness(LifecycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_utc_company()
        # A service: confirming hundreds of orders creates no delivery.
        cls.service = cls.env["product.product"].create({"name": "Care Service", "type": "service", "list_price": 100})
        # 250 customers of the year before last; 150 of them bought again in the last year: retention 0.6.
        cls.customers = cls.env["res.partner"].create([{"name": f"Retention {i}"} for i in range(250)])
        cls._orders(cls.customers, cls.TODAY - timedelta(days=500))
        cls._orders(cls.customers[:150], cls.TODAY - timedelta(days=100))
        cls.lost = cls.customers[150:]

    @classmethod
    def _orders(cls, partners, day, amount=100.0):
        """One confirmed order (created and confirmed through the ORM, in one batch) per partner on `day`."""
        with frozen(cls.env, datetime.combine(day, datetime.min.time()) + timedelta(hours=10)):
            orders = cls.env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            Command.create({"product_id": cls.service.id, "product_uom_qty": 1, "price_unit": amount})
                        ],
                    }
                    for partner in partners
                ]
            )
            orders.action_confirm()
        return orders

    def _last_run(self):
        return self.env["crm.lifecycle.run"].search([], limit=1)

    def test_small_move_keeps_the_estimate_and_every_lifetime_value(self):
        self._run_cron()
        self.assertEqual(self.company.clv_retention_estimate, 0.6)
        self.assertEqual(self.company.clv_retention_estimate_date, self.TODAY)
        kept = self.customers[0]
        clv = kept.customer_lifetime_value
        self.assertGreater(clv, 0)

        # Next day one lost customer buys again: only that customer is written (and customers whose RFM
        # rank moved), not the 250 lifetime values.
        day_2 = self.TODAY + timedelta(days=1)
        self._orders(self.lost[0], day_2)
        self._run_cron(on=day_2)
        self.assertEqual(self.company.clv_retention_estimate, 0.6)
        self.assertEqual(kept.customer_lifetime_value, clv)
        self.assertLess(self._last_run().changed_count, 25)

        # The night after, nothing changed: nobody is written.
        self._run_cron(on=day_2 + timedelta(days=1))
        self.assertEqual(self._last_run().changed_count, 0)

        # 30 days after the estimate it is estimated again: 151 / 250 = 0.604 is within half a percentage
        # point of 0.6, so the estimate in use, its date and every lifetime value stay.
        due = self.TODAY + timedelta(days=30)
        self._run_cron(on=due)
        self.assertEqual(self.company.clv_retention_estimate, 0.6, "within the precision: the estimate stays")
        self.assertEqual(self.company.clv_retention_estimate_date, self.TODAY, "and so does its date")
        self.assertEqual(kept.customer_lifetime_value, clv, "no lifetime value moves for it")

    def test_move_beyond_the_precision_waits_for_the_estimate_to_be_due(self):
        self._run_cron()
        kept = self.customers[0]
        clv = kept.customer_lifetime_value
        # Two days later three lost customers bought again: 153 / 250 = 0.612, beyond the precision, but the
        # estimate in use is two days old: it stays until it is 30 days old.
        later = self.TODAY + timedelta(days=2)
        self._orders(self.lost[:3], later)
        self._run_cron(on=later)
        self.assertEqual(self.company.clv_retention_estimate, 0.6)
        self.assertEqual(kept.customer_lifetime_value, clv)

        due = self.TODAY + timedelta(days=30)
        self._run_cron(on=due)
        self.assertEqual(self.company.clv_retention_estimate, 0.612)
        self.assertEqual(self.company.clv_retention_estimate_date, due)
        q = 0.612 / 1.1
        self.assertAlmostEqual(kept.customer_lifetime_value, 100 * 0.3 * sum(q**t for t in range(5)), places=2)
        self.assertGreater(kept.customer_lifetime_value, clv)
        self.assertGreaterEqual(self._last_run().changed_count, 153, "every customer's lifetime value moved")

    def test_customer_form_says_how_fresh_the_lifetime_value_is(self):
        self._run_cron()
        salesman = self.salesman
        form = Form(self.customers[0].with_user(salesman))
        self.assertEqual(form.clv_retention_date, str(self.TODAY))
        self.assertEqual(form.clv_retention_used, 0.6)
        # A rate set by hand is not an estimate: no date.
        self.company.clv_retention_rate = 0.7
        form = Form(self.customers[0].with_user(salesman))
        self.assertFalse(form.clv_retention_date)
        self.assertEqual(form.clv_retention_used, 0.7)
