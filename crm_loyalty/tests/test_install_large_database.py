from collections import deque
from unittest.mock import patch

from odoo.tests import tagged

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyInstallLargeDatabase(LoyaltyCase):
    """Installing on a database with millions of orders: the new order column is not filled row by row."""

    def _ctid(self, order):
        self.env.flush_all()
        self.env.cr.execute("SELECT ctid::text FROM sale_order WHERE id = %s", [order.id])
        return self.env.cr.fetchone()[0]

    def test_points_multiplier_column_filled_without_rewriting_orders(self):
        """loyalty_points_multiplier, created at installation: 1.0 on every existing order, without Odoo's
        UPDATE of every row (minutes on millions of orders); new orders get the field's default."""
        customer = self._customer("Existing Customer")
        order = self._order(customer, self._days_ago(10))
        before = self._ctid(order)
        self.env.cr.execute("ALTER TABLE sale_order DROP COLUMN loyalty_points_multiplier")
        with patch.object(self.registry, "_post_init_queue", deque(), create=True):  # as during installation
            self.env["sale.order"]._auto_init()
        self.env.invalidate_all()
        self.assertEqual(order.loyalty_points_multiplier, 1.0)
        self.assertEqual(self._ctid(order), before, "the order row was not rewritten")
        self.env.cr.execute(
            """SELECT column_default FROM information_schema.columns
                WHERE table_name = 'sale_order' AND column_name = 'loyalty_points_multiplier'"""
        )
        self.assertIsNone(self.env.cr.fetchone()[0])
        self.assertEqual(self._order(customer, self.TODAY, confirm=False).loyalty_points_multiplier, 1.0)
