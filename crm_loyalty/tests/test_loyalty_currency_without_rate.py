from odoo.tests import tagged

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyCurrencyWithoutRate(LoyaltyCase):
    """Tier spend of an order in a currency without rate, through Odoo's order path: no amount (no jump to a
    top tier at 1.0) until a rate at or before the order date is added; the next evaluation counts it."""

    def test_order_without_rate_earns_no_tier_until_the_rate_is_added(self):
        jpy = self.env.ref("base.JPY")
        foreign = jpy if self.company.currency_id != jpy else self.env.ref("base.EUR")
        foreign.active = True
        foreign.rate_ids.unlink()
        partner = self._customer("Osaka Imports")
        order = self._order(partner, self.TODAY, amount=30000, currency=foreign)
        self.assertEqual(order.currency_rate, 1.0)
        self.assertEqual(partner.loyalty_tier_id, self.member, "counted as an order: the base tier, not Gold")
        self.assertEqual((partner.loyalty_qualifying_orders, partner.loyalty_qualifying_spend), (1, 0))
        self._evaluate()
        self.assertEqual(partner.loyalty_tier_id, self.member)
        self.assertEqual(partner.loyalty_qualifying_spend, 0)

        self.env["res.currency.rate"].create(
            {"currency_id": foreign.id, "name": self.TODAY, "rate": 1.2, "company_id": self.company.id}
        )
        self._evaluate(on=self._day(1))
        self.assertEqual(partner.loyalty_qualifying_spend, 25000, "30,000 at 1.2 per company unit")
        self.assertEqual(partner.loyalty_tier_id, self.gold)
