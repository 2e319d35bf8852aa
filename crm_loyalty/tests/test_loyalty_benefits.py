from odoo.fields import Command
from odoo.tests import Form, tagged

from odoo.addons.crm_lifecycle.tests.common import frozen

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyBenefits(LoyaltyCase):
    """Tier pricelists on new quotes, and tier points multipliers through sale_loyalty."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._membership_program()

    def test_tier_pricelist_on_tier_change_and_on_new_quotes(self):
        company = self._customer("Pricelist Corp", is_company=True)
        contact = self._customer("Pricelist Buyer", parent_id=company.id)
        default_pricelist = company.property_product_pricelist
        self._order(contact, self.TODAY, amount=6000)
        self.assertEqual(company.loyalty_tier_id, self.silver)
        self.assertEqual(company.property_product_pricelist, default_pricelist, "Silver has no pricelist: kept")
        self._order(contact, self._day(1), amount=15000)
        self.assertEqual(company.loyalty_tier_id, self.gold)
        self.assertEqual(company.property_product_pricelist, self.gold_pricelist)
        self.assertEqual(contact.property_product_pricelist, self.gold_pricelist)
        with frozen(self.env, self._day(2)):
            quote = Form(self.env["sale.order"])
            quote.partner_id = contact
            self.assertEqual(quote.pricelist_id, self.gold_pricelist, "a new quote takes the tier's pricelist")
            self.assertEqual(quote.partner_loyalty_tier_id, self.gold, "the tier shows next to the customer")
            with quote.order_line.new() as line:
                line.product_id = self.product
                self.assertEqual(line.price_unit, 90.0, "Gold members pay 10% less")
        # Down to Silver on review: Silver has no pricelist, so the customer keeps Gold's.
        self._evaluate(self._day(1 + self.WINDOW))
        self.assertEqual(company.loyalty_tier_id, self.silver)
        self.assertEqual(company.property_product_pricelist, self.gold_pricelist)

    def test_points_multiplier_on_a_sale_order(self):
        partner = self._customer("Point Collector")
        first = self._order(partner, self.TODAY, amount=21000)
        card = partner.loyalty_member_card_id
        self.assertTrue(card, "auto-enrolled at the first confirmed order")
        self.assertEqual(card.program_id, self.program)
        # Odoo's loyalty rule gives a point per unit paid, tax included: 21,000 + 15 % tax = 24,150.
        self.assertEqual(card.points, 24150, "the first order was earned as a plain member")
        self.assertEqual(first.loyalty_points_multiplier, 1.0)
        self.assertEqual(partner.loyalty_tier_id, self.gold)
        second = self._order(partner, self._day(1), amount=1000)
        self.assertEqual(second.loyalty_tier_id, self.gold)
        self.assertEqual(second.loyalty_points_multiplier, 1.5)
        entry = second.coupon_point_ids.filtered(lambda e: e.coupon_id == card)
        # 1,000 + 15 % tax = 1,150 paid, x 1.5
        self.assertEqual(entry.points, 1725, "the order's loyalty line carries multiplied points")
        self.assertEqual(entry.points_multiplier, 1.5)
        self.assertEqual(card.points, 24150 + 1725)
        line = card.history_ids.filtered(lambda h: h.order_id == second.id)
        self.assertEqual(line.issued, 1725)
        self.assertIn("×1.5", line.description, "the card history says why")
        self.assertEqual(second.loyalty_data["issued"], 1725)

    def test_other_programs_are_not_multiplied(self):
        promo = self.env["loyalty.program"].create(
            {
                "name": "Other Card",
                "program_type": "loyalty",
                "applies_on": "both",
                "trigger": "auto",
                "rule_ids": [
                    Command.clear(),
                    Command.create({"reward_point_mode": "order", "reward_point_amount": 10, "minimum_amount": 0}),
                ],
                "reward_ids": [Command.clear(), Command.create({"discount": 5, "required_points": 1000000})],
            }
        )
        partner = self._customer("Two Cards")
        self._order(partner, self.TODAY, amount=21000)
        order = self._order(partner, self._day(1), amount=100)
        other = order.coupon_point_ids.filtered(lambda e: e.coupon_id.program_id == promo)
        self.assertEqual(other.points, 10)
        self.assertEqual(other.points_multiplier, 1.0)

    def test_auto_enroll_can_be_turned_off(self):
        self.company.loyalty_auto_enroll = False
        self.program.trigger = "with_code"  # and the program itself does not hand out cards
        partner = self._customer("No Card")
        self._order(partner, self.TODAY, amount=100)
        self.assertFalse(partner.loyalty_member_card_id)
        self.assertEqual(partner.loyalty_tier_id, self.member, "tiers do not need a card")
