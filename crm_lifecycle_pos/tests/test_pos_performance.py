import logging
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.common import LifecycleCase

from .test_pos_purchases import PosCaseMixin

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestPosPaymentQueryCount(PosCaseMixin, LifecycleCase):
    """Paying a POS order refreshes its customer at the till with a constant, small number of queries,
    whatever the customer's purchase history (1 or 1,000 past purchases)."""

    # crm_lifecycle's refresh, plus, when installed (as in setup/test), crm_loyalty's tier evaluation.
    MAX_ADDED_QUERIES = 45

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})
        cls._setup_pos()

    def _unpaid_pos_order(self, past_purchases):
        """A customer with `past_purchases` confirmed sale orders and a new POS order, not paid yet. The past
        orders are a month old, so the customer is New before and after the payment (no stage change)."""
        partner = self._customer(f"Till History {past_purchases}")
        old = self._order(partner, self._days_ago(30))
        if past_purchases > 1:
            self._copy_order(old, past_purchases - 1)
        self._pos_order(partner, 10.0)  # opens the session, warms the till
        with patch.object(PosCaseMixin, "_pay", lambda self, order: None):
            order = self._pos_order(partner, 50.0)  # rung up, not paid yet
        return partner, order

    def _count_pay_queries(self, order, **context):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        with freeze_time(self._moment()):
            context = {"active_ids": order.ids, "active_id": order.id, **context}
            wizard = self.env["pos.make.payment"].with_user(self.cashier).with_context(**context)
            wizard.create({"payment_method_id": self.cash.id}).with_context(**context).check()
            self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_paying_a_pos_order_is_constant_in_queries(self):
        warm_ups = [self._unpaid_pos_order(1)[1] for __ in range(2)]
        one_partner, one = self._unpaid_pos_order(1)
        many_partner, many = self._unpaid_pos_order(1000)
        __, baseline = self._unpaid_pos_order(1)
        for warm_up in warm_ups:  # warm the caches (sequences, company settings, stages)
            self._count_pay_queries(warm_up)
        with_one = self._count_pay_queries(one)
        with_many = self._count_pay_queries(many)
        without = self._count_pay_queries(baseline, crm_lifecycle_no_refresh=True)
        _logger.info("POS payment: %s queries (1 or 1,000 past purchases), %s without the refresh", with_one, without)
        self.assertEqual(with_one, with_many, "a customer's history must not change the query count")
        self.assertLessEqual(with_one - without, self.MAX_ADDED_QUERIES)
        self.assertEqual(one_partner.order_count, 1 + 2, "the past order and the two POS orders count")
        self.assertEqual(many_partner.order_count, 1000 + 2)
