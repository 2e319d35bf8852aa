from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.purchase_common import PurchaseLedgerMixin

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyPointsFollowReturns(PurchaseLedgerMixin, LoyaltyCase):
    """Points follow returns: a credit note made with Odoo's wizard takes back, pro rata, the membership
    points its order earned, with a history line naming the credit note; a card never goes below zero, the
    shortfall is kept on the card and shown on the customer. Odoo's loyalty rule earns a point per unit of the
    amount paid, the 15 % tax of the test product included: an order of 1,000 untaxed earns 1,150 points."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._membership_program()

    def _taken_back(self, card, credit_note):
        return card.history_ids.filtered(lambda h: h.order_model == "account.move" and h.order_id == credit_note.id)

    def test_full_refund_takes_back_every_point(self):
        partner = self._customer("Buy And Return")
        order = self._order(partner, self._day(-10), amount=25000)
        card = partner.loyalty_member_card_id
        self.assertEqual((card.points, partner.loyalty_tier_id), (28750, self.gold))
        credit_note = self._refund(self._invoice(order, self._day(-9)), self._day(-5))
        self.assertEqual(card.points, 0)
        line = self._taken_back(card, credit_note)
        self.assertEqual((line.used, line.issued, line.crm_loyalty_refund_order_id), (28750, 0, order))
        self.assertIn(credit_note.name, line.description)
        self.assertEqual(card.crm_loyalty_points_shortfall, 0)
        self.assertEqual(partner.loyalty_qualifying_spend, 0, "the spend drops at once")
        self.assertEqual(partner.loyalty_tier_id, self.gold, "the tier waits for its review date")

    def test_partial_refunds_take_back_pro_rata_and_never_more_than_earned(self):
        partner = self._customer("Partial Returner")
        order = self._order(partner, self._day(-10), amount=1000)
        card = partner.loyalty_member_card_id
        invoice = self._invoice(order, self._day(-9))
        first = self._refund(invoice, self._day(-5), price_unit=400)
        self.assertEqual(card.points, 690, "400 of 1,000 refunded: 40 % of the 1,150 points")
        self.assertEqual(self._taken_back(card, first).used, 460)
        # Refunding more than what is left of the order takes back only what is left.
        second = self._refund(invoice, self._day(-4), price_unit=900)
        self.assertEqual(card.points, 0)
        self.assertEqual(self._taken_back(card, second).used, 690)
        # Reset to draft and posted again: nothing is taken back twice.
        second.button_draft()
        second.action_post()
        self.assertEqual(len(self._taken_back(card, second)), 1)
        self.assertEqual((card.points, card.crm_loyalty_points_shortfall), (0, 0))

    def test_redeemed_points_leave_a_shortfall_on_card_and_customer(self):
        partner = self._customer("Spent Already")
        order = self._order(partner, self._day(-10), amount=1000)
        card = partner.loyalty_member_card_id
        # 850 of the 1,150 points redeemed (Odoo's balance update wizard): 300 left on the card.
        self.env["loyalty.card.update.balance"].create(
            {"card_id": card.id, "new_balance": 300, "description": "Redeemed at the counter"}
        ).action_update_card_point()
        credit_note = self._refund(self._invoice(order, self._day(-9)), self._day(-5))
        self.assertEqual(card.points, 0, "a card never goes below zero")
        self.assertEqual(card.crm_loyalty_points_shortfall, 850)
        line = self._taken_back(card, credit_note)
        self.assertEqual((line.used, line.crm_loyalty_points_reversed), (300, 1150))
        self.assertIn("850", line.description)
        self.assertEqual(partner.loyalty_points_shortfall, 850)

    def test_credit_note_of_another_customer_takes_nothing_back(self):
        buyer = self._customer("Card Owner")
        other = self._customer("Stranger")
        order = self._order(buyer, self._day(-10), amount=1000)
        card = buyer.loyalty_member_card_id
        self._refund(self._invoice(order, self._day(-9)), self._day(-5), price_unit=500, partner=other)
        self.assertEqual((card.points, card.crm_loyalty_points_shortfall), (1150, 0))
