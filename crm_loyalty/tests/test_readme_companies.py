"""README known limit: a tier is evaluated with the settings of the customer's company; tiers without
company are shared."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestReadmeLoyaltyCompanySettings(LoyaltyCase):
    def test_a_customer_of_company_b_is_evaluated_with_company_b_s_window(self):
        company_b = self.env["res.company"].create({"name": "Company B", "loyalty_window_days": 60})
        company_b.partner_id.tz = "UTC"
        self.assertFalse(self.silver.company_id, "a shared tier")
        customer_a = self._customer("Customer Of A", company_id=self.company.id)
        self._order(customer_a, self._day(-100), amount=6000)
        customer_b = self._customer("Customer Of B", company_id=company_b.id)
        with freeze_time(datetime.combine(self._day(-100), datetime.min.time()) + timedelta(hours=10)):
            self.env["sale.order"].with_company(company_b).create(
                {
                    "partner_id": customer_b.id,
                    "company_id": company_b.id,
                    "order_line": [Command.create({"product_id": self.product.id, "price_unit": 6000})],
                }
            ).action_confirm()
        self.assertEqual((customer_a.loyalty_tier_id, customer_b.loyalty_tier_id), (self.silver, self.silver))
        self._evaluate(self._day(0))
        self.assertEqual(customer_a.loyalty_qualifying_spend, 6000, "100 days ago: in company A's 365 days")
        self.assertEqual(customer_b.loyalty_qualifying_spend, 0, "100 days ago: out of company B's 60 days")
