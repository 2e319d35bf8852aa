import importlib.util
from pathlib import Path
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.crm_lifecycle.tests.purchase_common import PurchaseLedgerMixin
from odoo.addons.crm_loyalty.models.sale_order import SaleOrder

from .common import LoyaltyCase

MIGRATION = Path(__file__).parents[1] / "migrations" / "19.0.1.0.2" / "post-migrate.py"


@tagged("post_install", "-at_install")
class TestLoyaltyOneCardPerCustomer(PurchaseLedgerMixin, LoyaltyCase):
    """One membership card per customer: the commercial entity's card collects the points of every contact's
    orders and stays with the company when a contact leaves; the migration merges the cards sale_loyalty
    made per ordering contact."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._membership_program()
        cls.acme = cls.env["res.partner"].create({"name": "Acme One Card", "is_company": True})
        cls.alice = cls.env["res.partner"].create({"name": "Alice Acme", "parent_id": cls.acme.id})
        cls.bob = cls.env["res.partner"].create({"name": "Bob Acme", "parent_id": cls.acme.id})

    def _cards(self, partners):
        return (
            self.env["loyalty.card"]
            .with_context(active_test=False)
            .search([("partner_id", "in", partners.ids), ("program_id", "=", self.program.id)])
        )

    def test_every_contacts_points_land_on_the_company_card(self):
        first = self._order(self.alice, self._day(-10), amount=1000)
        second = self._order(self.bob, self._day(-5), amount=500)
        card = self.acme.loyalty_member_card_id
        self.assertEqual(card.partner_id, self.acme, "the card is the company's, not the first contact's")
        self.assertEqual(self._cards(self.alice | self.bob), self.env["loyalty.card"], "no card per contact")
        earned = first.coupon_point_ids.points + second.coupon_point_ids.points
        self.assertEqual(first.coupon_point_ids.coupon_id | second.coupon_point_ids.coupon_id, card)
        self.assertEqual(card.points, earned)
        self.assertEqual(earned, 1500 * first.amount_total / first.amount_untaxed, "1 point per unit paid, both orders")
        self.assertEqual(len(card.history_ids), 2)
        self.assertEqual((self.alice.loyalty_member_card_id, self.bob.loyalty_member_card_id), (card, card))

    def test_a_refund_of_a_contacts_order_takes_points_from_the_company_card(self):
        order = self._order(self.alice, self._day(-10), amount=1000)
        card = self.acme.loyalty_member_card_id
        self.assertEqual(card.points, order.coupon_point_ids.points)
        self._refund(self._invoice(order, self._day(-9)), self._day(-5))
        self.assertEqual(card.points, 0)

    def test_a_contact_leaving_takes_nothing_the_company_keeps_its_card(self):
        self._order(self.alice, self._day(-10), amount=1000)
        self._order(self.bob, self._day(-5), amount=500)
        card = self.acme.loyalty_member_card_id
        points = card.points
        self.alice.parent_id = False
        self.assertEqual(self.acme.loyalty_member_card_id, card)
        self.assertEqual((card.partner_id, card.points), (self.acme, points), "the company keeps card and points")
        self.assertEqual(self.bob.loyalty_member_card_id, card, "a remaining colleague sees the company's points")
        self.assertFalse(self.alice.loyalty_member_card_id, "the leaver takes no card with her")
        self.assertFalse(self._cards(self.alice))

    def test_migration_merges_the_cards_made_per_contact(self):
        # Before this version, sale_loyalty's choice: a card per ordering contact.
        with patch.object(SaleOrder, "_loyalty_points_to_member_card", lambda order: None):
            first = self._order(self.alice, self._day(-10), amount=1000)
            second = self._order(self.bob, self._day(-5), amount=500)
        old_cards = self._cards(self.alice | self.bob)
        self.assertEqual(len(old_cards), 2)
        points = sum(old_cards.mapped("points"))
        self.assertEqual(points, first.coupon_point_ids.points + second.coupon_point_ids.points)
        spec = importlib.util.spec_from_file_location("crm_loyalty_post_migrate_10102", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        with patch.object(migration._logger, "info") as log:
            migration.migrate(self.env.cr, "19.0.1.0.1")
        self.env.invalidate_all()
        card = self.acme.loyalty_member_card_id
        self.assertEqual((card.partner_id, card.points, card.active), (self.acme, points, True))
        self.assertEqual(len(card.history_ids), 2, "the history of both cards, on one card")
        absorbed = old_cards - card
        self.assertEqual(absorbed, old_cards, "merged into the company's own card (made when it enrolled)")
        self.assertEqual((set(absorbed.mapped("active")), set(absorbed.mapped("points"))), ({False}, {0}))
        self.assertEqual((self.alice | self.bob).mapped("loyalty_member_card_id"), card)
        self.assertEqual((first | second).coupon_point_ids.coupon_id, card, "a later refund finds the points")
        logged = [call.args[0] % call.args[1:] for call in log.call_args_list]
        self.assertIn(f"cards {absorbed.ids} merged into card {card.id} ({points:g} points moved)", logged[0])
        # Run again: nothing left to merge.
        self.assertEqual(self.env["loyalty.card"]._crm_loyalty_consolidate_member_cards(), [])


@tagged("post_install", "-at_install")
class TestLoyaltyOneCardPortal(LoyaltyCase, HttpCase):
    """My membership of a colleague who stays shows the company's points after a contact left."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._membership_program()
        cls.acme = cls.env["res.partner"].create({"name": "Acme Portal Card", "is_company": True})
        cls.alice = cls.env["res.partner"].create({"name": "Alice Leaves", "parent_id": cls.acme.id})
        cls.bob_user = new_test_user(cls.env, "bob_stays", groups="base.group_portal", name="Bob Stays")
        cls.bob_user.partner_id.parent_id = cls.acme

    def test_colleague_sees_the_company_points_after_a_contact_left(self):
        first = self._order(self.alice, self._day(-10), amount=1000)
        second = self._order(self.bob_user.partner_id, self._day(-5), amount=500)
        points = first.coupon_point_ids.points + second.coupon_point_ids.points
        self.alice.parent_id = False
        self.authenticate("bob_stays", "bob_stays")
        page = self.url_open("/my/membership").text
        self.assertIn(f'o_membership_points">{points:g}<', page, "both contacts' points, on the company's card")
