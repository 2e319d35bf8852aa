from datetime import date, datetime, time
from unittest import SkipTest

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_lifecycle.tests.care_common import CareCase
from odoo.addons.crm_lifecycle.tests.common import LifecycleCase


class PosCaseMixin:
    """A point of sale with Odoo's default payment methods, a cashier, and orders paid with Odoo's backend
    payment wizard (pos.make.payment); refunds made with the order's Refund action."""

    @classmethod
    def _setup_pos(cls):
        cls.cashier = new_test_user(
            cls.env, "care_cashier", groups="point_of_sale.group_pos_manager,sales_team.group_sale_salesman"
        )
        cls.pos_config = cls.env["pos.config"].create({"name": "Counter"})
        cls.pos_config._create_journal_and_payment_methods()
        cls.cash = cls.pos_config.payment_method_ids.filtered("is_cash_count")[:1]
        cls.till_product = cls.env["product.product"].create(
            {"name": "Counter Item", "list_price": 100.0, "available_in_pos": True, "taxes_id": [Command.clear()]}
        )

    def _moment(self, on=None):
        return datetime.combine(on or self.TODAY, time(10))

    def _pay(self, order):
        context = {"active_ids": order.ids, "active_id": order.id}
        wizard = self.env["pos.make.payment"].with_user(self.cashier).with_context(**context)
        wizard.create({"payment_method_id": self.cash.id}).with_context(**context).check()

    def _pos_order(self, partner, amount, on=None, qty=1):
        """A POS order of `qty` items at `amount` each, paid in cash on day `on` by the cashier."""
        with freeze_time(self._moment(on)):
            config = self.pos_config.with_user(self.cashier)
            if not config.current_session_id:
                config.open_ui()
            order = (
                self.env["pos.order"]
                .with_user(self.cashier)
                .create(
                    {
                        "session_id": config.current_session_id.id,
                        "partner_id": partner.id if partner else False,
                        "amount_total": 0,
                        "amount_paid": 0,
                        "amount_tax": 0,
                        "amount_return": 0,
                        "lines": [
                            Command.create(
                                {
                                    "product_id": self.till_product.id,
                                    "qty": qty,
                                    "price_unit": amount,
                                    "price_subtotal": amount * qty,
                                    "price_subtotal_incl": amount * qty,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                )
            )
            order.lines._onchange_amount_line_all()
            order._compute_prices()
            self._pay(order)
        return order

    def _pos_refund(self, order, on=None, qty=None):
        """Refund the POS order with its Refund action (all of it, or `qty` items) and pay the refund."""
        with freeze_time(self._moment(on)):
            refund = self.env["pos.order"].browse(order.with_user(self.cashier).refund()["res_id"])
            if qty is not None:
                refund.lines.qty = -qty
                refund.lines._onchange_amount_line_all()
                refund._compute_prices()
            self._pay(refund)
        return refund


@tagged("post_install", "-at_install")
class TestPosPurchases(PosCaseMixin, LifecycleCase):
    """Point of Sale orders in the purchase ledger: counted when paid (refreshed at the till), refunds
    netted on the order they refund, an invoiced POS order counted once, no customer no purchase."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})
        cls._setup_pos()

    def _ledger(self, partner):
        return self.env["crm.purchase"].search([("partner_id", "=", partner.id)], order="id")

    def test_paid_pos_order_counts_at_once_and_refunds_net(self):
        partner = self._customer("Walk In Regular")
        order = self._pos_order(partner, 100, on=self._days_ago(3), qty=3)
        self.assertEqual(order.state, "paid")
        self.assertEqual((partner.order_count, partner.total_revenue), (1, 300), "refreshed at payment")
        self.assertEqual(partner.first_order_date, self._days_ago(3))
        self.assertEqual(partner.lifecycle_stage_id, self.stage["new"])
        row = self._ledger(partner)
        self.assertEqual((row.source, row.res_model, row.res_id, row.amount), ("pos_order", "pos.order", order.id, 300))
        partial = self._pos_refund(order, on=self._days_ago(2), qty=1)
        self.assertEqual((partner.order_count, partner.total_revenue), (1, 200))
        refund_row = self._ledger(partner).filtered(lambda r: r.res_id == partial.id)
        self.assertEqual(
            (refund_row.amount, refund_row.purchase_model, refund_row.purchase_id), (-100, "pos.order", order.id)
        )
        self._pos_refund(order, on=self._days_ago(1), qty=2)
        self.assertEqual((partner.order_count, partner.total_revenue), (0, 0), "refunded in full: no purchase")
        self._run_cron()
        self.assertEqual((partner.order_count, partner.total_revenue), (0, 0))

    def test_pos_order_without_customer_counts_for_nobody(self):
        order = self._pos_order(False, 80)
        self.assertEqual(order.state, "paid")
        self.assertFalse(self.env["crm.purchase"].search([("res_model", "=", "pos.order"), ("res_id", "=", order.id)]))

    def test_invoiced_pos_order_counts_once(self):
        partner = self._customer("Invoice Please")
        order = self._pos_order(partner, 250, on=self._days_ago(2))
        with freeze_time(self._moment(self._days_ago(2))):
            order.with_user(self.cashier).action_pos_order_invoice()
        self.assertTrue(order.account_move)
        self.assertEqual(order.account_move.state, "posted")
        self.assertEqual((partner.order_count, partner.total_revenue), (1, 250))
        self.assertEqual(self._ledger(partner).mapped("source"), ["pos_order"])


@tagged("post_install", "-at_install")
class TestPosTierAtTheTill(PosCaseMixin, LifecycleCase):
    """With crm_loyalty: a purchase paid at the till upgrades the tier in the same transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "crm.loyalty.tier" not in cls.env:
            raise SkipTest("crm_loyalty is not installed")
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})
        cls.env["crm.loyalty.run"].create({"date": cls.TODAY, "state": "done"})
        cls.company.write({"loyalty_window_days": 365, "loyalty_program_id": False})
        Tier = cls.env["crm.loyalty.tier"]
        Tier.search([]).action_archive()
        cls.gold = Tier.create({"name": "Till Gold", "sequence": 20, "min_spend": 20000})
        cls._setup_pos()

    def test_upgrade_at_payment_and_refund_lowers_spend(self):
        partner = self._customer("Big Spender")
        order = self._pos_order(partner, 25000)
        self.assertEqual(partner.loyalty_tier_id, self.gold)
        self.assertEqual(partner.loyalty_qualifying_spend, 25000)
        self._pos_refund(order, qty=1)
        self.assertEqual(partner.loyalty_qualifying_spend, 0)
        self.assertEqual(partner.loyalty_tier_id, self.gold, "a downgrade waits for the review date")


@tagged("post_install", "-at_install")
class TestPosCareConversion(PosCaseMixin, CareCase):
    """Care conversions read the purchase ledger: a POS order paid after a care message converts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_pos()

    def test_pos_order_after_a_birthday_message_converts(self):
        partner = self._customer("Shop Visitor", birthday=date(1990, 6, 15))
        campaign = self._campaign("birthday")
        self._run_care(self.TODAY)
        self.assertEqual(campaign.touched_count, 1)
        order = self._pos_order(partner, 90, on=self._days_ago(-2))
        campaign.invalidate_recordset()
        self.assertEqual((campaign.conversion_count, campaign.revenue), (1, 90))
        conversion = self.env["crm.care.conversion"].search([("campaign_id", "=", campaign.id)])
        self.assertEqual((conversion.purchase_model, conversion.purchase_id), ("pos.order", order.id))
