import logging
from datetime import datetime, time

from odoo.tests import tagged

from .common import LifecycleCase, frozen

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestLifecyclePerformance(LifecycleCase):
    """Order confirmation adds a constant, small number of queries, whatever the customer's history.

    Every confirmation and refresh runs at a frozen moment (TODAY 10:00 UTC), never on the machine's date."""

    MAX_ADDED_QUERIES = 20

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})

    def _customer_with_history(self, name, orders):
        partner = self._customer(name)
        template = self._order(partner, self._days_ago(800))
        if orders > 1:
            self._copy_order(template, orders - 1)
        self._run_cron()
        self.assertEqual(partner.order_count, orders)
        self.assertEqual(partner.lifecycle_stage_id, self.stage["churned"])
        return partner

    def _count_confirm_queries(self, partner, **context):
        order = self._order(partner, self.TODAY, confirm=False).with_context(**context)
        self.env.flush_all()
        self.env.invalidate_all()
        with self._at_today():
            before = self.env.cr.sql_log_count
            order.action_confirm()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

    def _at_today(self):
        return frozen(self.env, datetime.combine(self.TODAY, time(10)))

    def test_confirm_query_count_is_constant_and_small(self):
        one = self._customer_with_history("One Order", 1)
        many = self._customer_with_history("Thousand Orders", 1000)
        baseline_partner = self._customer_with_history("Baseline", 1)
        # warm the caches on the same path (a churned customer won back), so that only history can differ
        self._count_confirm_queries(self._customer_with_history("Warm Up", 1))
        with_one = self._count_confirm_queries(one)
        with_many = self._count_confirm_queries(many)
        without = self._count_confirm_queries(baseline_partner, crm_lifecycle_no_refresh=True)
        _logger.info(
            "order confirmation: %s queries (1 or 1,000 past orders), %s without the lifecycle hook", with_one, without
        )
        self.assertEqual(with_one, with_many, "a customer's history must not change the query count")
        self.assertLessEqual(with_one - without, self.MAX_ADDED_QUERIES)
        self.assertEqual(one.lifecycle_stage_id, self.stage["won_back"])
        self.assertEqual(many.lifecycle_stage_id, self.stage["won_back"])
        self.assertEqual(many.order_count, 1001)

    def test_refresh_query_count(self):
        partner = self._customer_with_history("Refreshed", 1000)
        with self._at_today():
            partner._lifecycle_refresh()  # warm the caches (company settings, stages)
            self.env.flush_all()
            self.env.cr.execute("UPDATE res_partner SET order_count = 0 WHERE id = %s", [partner.id])
            # One statement computes and writes the metrics; no stage change, so nothing else.
            with self.assertQueryCount(1):
                partner._lifecycle_refresh()
        self.assertEqual(partner.order_count, 1000)
