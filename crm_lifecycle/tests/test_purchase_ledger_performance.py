import logging

from freezegun import freeze_time

from odoo.tests import tagged

from .common import LifecycleCase
from .purchase_common import PurchaseLedgerMixin

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestPurchaseLedgerPerformance(PurchaseLedgerMixin, LifecycleCase):
    """Posting a credit note refreshes its customer with a constant, small number of queries, whatever the
    customer's purchase history (1 or 1,000 past orders)."""

    # crm_lifecycle's refresh, plus, when installed (as in setup/test), crm_loyalty's tier evaluation and
    # points take-back: 38 measured.
    MAX_ADDED_QUERIES = 45

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})

    def _draft_credit_note(self, past_orders):
        """A customer with `past_orders` confirmed orders, the last one invoiced and refunded by the
        credit-note wizard: the credit note, still draft."""
        partner = self._customer(f"History {past_orders}")
        old = self._order(partner, self._days_ago(300))
        if past_orders > 2:
            self._copy_order(old, past_orders - 2)
        order = self._order(partner, self._days_ago(5))
        invoice = self._invoice(order, self._days_ago(4))
        with freeze_time(self.TODAY):
            wizard = (
                self.env["account.move.reversal"]
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"reason": "Returned", "journal_id": invoice.journal_id.id})
            )
            return partner, self.env["account.move"].browse(wizard.refund_moves()["res_id"])

    def _count_post_queries(self, credit_note, **context):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        with freeze_time(self.TODAY):
            credit_note.with_context(**context).action_post()
            self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_posting_a_credit_note_is_constant_in_queries(self):
        warm_ups = [self._draft_credit_note(2)[1] for __ in range(2)]
        one_partner, one = self._draft_credit_note(2)
        many_partner, many = self._draft_credit_note(1000)
        __, baseline = self._draft_credit_note(2)
        for warm_up in warm_ups:  # warm the caches (sequences, company settings, stages)
            self._count_post_queries(warm_up)
        with_one = self._count_post_queries(one)
        with_many = self._count_post_queries(many)
        without = self._count_post_queries(baseline, crm_lifecycle_no_refresh=True)
        _logger.info("credit note posting: %s queries (2 or 1,000 past orders), %s without the hook", with_one, without)
        self.assertEqual(with_one, with_many, "a customer's history must not change the query count")
        self.assertLessEqual(with_one - without, self.MAX_ADDED_QUERIES)
        self.assertEqual(one_partner.order_count, 1, "the refunded order no longer counts")
        self.assertEqual(many_partner.order_count, 999)
