from datetime import date, datetime

from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_lifecycle.tests.common import frozen

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyTimeZone(LoyaltyCase):
    """Tier windows and points expiry count days of the company's business time zone (Asia/Shanghai here),
    whoever confirms the order (a Californian salesperson) and whoever runs the job (the bot, in UTC)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._membership_program()
        cls.company.loyalty_points_validity_months = 12
        cls.us_user = new_test_user(
            cls.env, "loy_tz_us", groups="sales_team.group_sale_salesman", name="US Sales", tz="America/Los_Angeles"
        )

    def _confirm_as_us_user(self, partner, moment, amount):
        with frozen(self.env, moment):
            order = (
                self.env["sale.order"]
                .with_user(self.us_user)
                .create(
                    {
                        "partner_id": partner.id,
                        "order_line": [Command.create({"product_id": self.product.id, "price_unit": amount})],
                    }
                )
            )
            order.action_confirm()
            self.env.flush_all()
        self.env.invalidate_all()
        return order

    def _expire(self, moment):
        with frozen(self.env, moment), self._no_commit():
            self.env["loyalty.card"]._cron_expire_loyalty_points()
        self.env.invalidate_all()

    def test_tier_window_starts_on_the_company_day(self):
        partner = self._customer("Window Edge")
        # 23:30 UTC on 16 June 2025: 17 June in Shanghai, 16 June for the salesperson in California.
        self._confirm_as_us_user(partner, datetime(2025, 6, 16, 23, 30), 6000)
        self.assertEqual(partner.loyalty_tier_id, self.silver)
        # On 16 June 2026 (08:00 in Shanghai) the 365-day window starts on 17 June 2025: the order counts.
        self._evaluate(date(2026, 6, 16))
        self.assertEqual(partner.loyalty_qualifying_spend, 6000, "untaxed spend")
        self._evaluate(date(2026, 6, 17))
        self.assertEqual(partner.loyalty_qualifying_spend, 0, "out of the window from 17 June 2026")

    def test_tier_window_in_a_utc_company(self):
        self._use_utc_company()
        partner = self._customer("Window Edge UTC")
        self._confirm_as_us_user(partner, datetime(2025, 6, 16, 23, 30), 6000)
        # In UTC the order is of 16 June 2025: out of the window that starts on 17 June 2025.
        self._evaluate(date(2026, 6, 16))
        self.assertEqual(partner.loyalty_qualifying_spend, 0)

    def test_points_expire_on_the_company_day(self):
        partner = self._customer("Late Saver")
        self._confirm_as_us_user(partner, datetime(2026, 3, 1, 23, 30), 100)  # 2 March in Shanghai
        card = partner.loyalty_member_card_id
        self.assertEqual(card.points, 115, "a point per unit paid, tax included")
        self.assertEqual(card._loyalty_get_next_expiry(self.company), (date(2027, 3, 2), 115))
        self._expire(datetime(2027, 3, 1, 15, 0))  # 23:00 on 1 March in Shanghai
        self.assertEqual(card.points, 115, "earned on 2 March: not expired on 1 March")
        self._expire(datetime(2027, 3, 1, 16, 30))  # 00:30 on 2 March in Shanghai
        self.assertEqual(card.points, 0)

    def test_points_expire_on_the_utc_day_in_a_utc_company(self):
        self._use_utc_company()
        partner = self._customer("Late Saver UTC")
        self._confirm_as_us_user(partner, datetime(2026, 3, 1, 23, 30), 100)
        card = partner.loyalty_member_card_id
        self.assertEqual(card._loyalty_get_next_expiry(self.company), (date(2027, 3, 1), 115))
        self._expire(datetime(2027, 3, 1, 15, 0))
        self.assertEqual(card.points, 0, "earned on 1 March (UTC): expired on 1 March")
