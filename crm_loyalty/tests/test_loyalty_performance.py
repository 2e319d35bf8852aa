from datetime import datetime, time
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.crm_loyalty.models.res_partner import ResPartner

from .common import LoyaltyCase, frozen


@tagged("post_install", "-at_install")
class TestLoyaltyPerformance(LoyaltyCase):
    """Confirming an order evaluates the tier with a constant number of queries, whatever the history.

    Every confirmation and refresh runs at a frozen moment (TODAY 10:00 UTC), never on the machine's date."""

    def _at_today(self):
        return frozen(self.env, datetime.combine(self.TODAY, time(10)))

    def _customer_with_history(self, name, orders):
        partner = self._customer(name)
        template = self._order(partner, self._day(-10), amount=1)
        if orders > 1:
            self._copy_order(template, orders - 1)
        self._evaluate(self._day(-1))
        self.assertEqual(partner.loyalty_qualifying_orders, orders)
        return partner

    def _confirm_queries(self, partner, refresh):
        order = self._order(partner, self.TODAY, amount=100, confirm=False)
        self.env.flush_all()
        self.env.invalidate_all()
        with self._at_today():
            before = self.env.cr.sql_log_count
            if refresh:
                order.action_confirm()
            else:
                with patch.object(ResPartner, "_loyalty_refresh", lambda self, enroll=False: None):
                    order.action_confirm()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

    def test_tier_evaluation_at_confirmation_is_constant(self):
        one = self._customer_with_history("One Past Order", 1)
        many = self._customer_with_history("Thousand Past Orders", 1000)
        baseline = self._customer_with_history("Baseline", 1)
        self._confirm_queries(self._customer("Warm Up"), refresh=True)
        with_one = self._confirm_queries(one, refresh=True)
        with_many = self._confirm_queries(many, refresh=True)
        without = self._confirm_queries(baseline, refresh=False)
        self.assertEqual(with_one, with_many, "a customer's history must not change the query count")
        self.assertLessEqual(with_one - without, 4, "the tier evaluation adds a few queries")
        self.assertEqual(many.loyalty_qualifying_orders, 1001)
        self.assertEqual(many.loyalty_qualifying_spend, 1100)
        self.assertEqual(many.loyalty_tier_id, self.member)

    def test_tier_upgrade_at_confirmation_is_constant(self):
        one = self._customer_with_history("One Before Silver", 1)
        many = self._customer_with_history("Thousand Before Silver", 1000)
        self._confirm_queries(self._customer("Warm Up"), refresh=True)
        self._order(self._customer("Warm Up Silver"), self.TODAY, amount=6000)
        counts = []
        for partner in (one, many):
            order = self._order(partner, self.TODAY, amount=6000, confirm=False)
            self.env.flush_all()
            self.env.invalidate_all()
            with self._at_today():
                before = self.env.cr.sql_log_count
                order.action_confirm()
                self.env.flush_all()
                counts.append(self.env.cr.sql_log_count - before)
            self.assertEqual(partner.loyalty_tier_id, self.silver)
        self.assertEqual(counts[0], counts[1], "an upgrade costs the same whatever the history")

    def test_refresh_query_count(self):
        partner = self._customer_with_history("Refreshed", 1000)
        with self._at_today():
            partner._loyalty_refresh()  # warm the caches (company settings, tiers)
            self.env.flush_all()
            self.env.cr.execute("UPDATE res_partner SET loyalty_qualifying_orders = 0 WHERE id = %s", [partner.id])
            # One statement computes and writes the values, one copies them to contacts; no tier change.
            with self.assertQueryCount(2):
                partner._loyalty_refresh()
        self.assertEqual(partner.loyalty_qualifying_orders, 1000)
