from datetime import date, timedelta

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.care_common import CareCase


@tagged("post_install", "-at_install")
class TestLoyaltyCouponStep(CareCase):
    """A campaign step `issue_coupon` gives each customer it reaches a coupon of the chosen program."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coupons = cls.env["loyalty.program"].create({"name": "Birthday Coupons", "program_type": "coupons"})

    def test_issue_coupon_step_gives_each_customer_a_coupon(self):
        first = self._customer("Coupon One", birthday=date(1990, 6, 15))
        second = self._customer("Coupon Two", birthday=date(1985, 6, 15))
        campaign = self._campaign(
            "birthday",
            steps=[
                {
                    "action": "issue_coupon",
                    "coupon_program_id": self.coupons.id,
                    "coupon_points": 2,
                    "coupon_validity_days": 30,
                }
            ],
        )
        self._run_care(self.TODAY)
        touches = self._touches(campaign)
        self.assertEqual(set(touches.mapped("state")), {"done"})
        cards = touches.loyalty_card_id
        self.assertEqual(cards.partner_id, first + second)
        self.assertEqual(set(cards.mapped("program_id")), {self.coupons})
        self.assertEqual(set(cards.mapped("points")), {2})
        self.assertEqual(set(cards.mapped("expiration_date")), {self.TODAY + timedelta(days=30)})
        self._run_care(self.TODAY + timedelta(days=1))
        self.assertEqual(self.env["loyalty.card"].search_count([("program_id", "=", self.coupons.id)]), 2)

    def test_issue_coupon_step_needs_a_program_and_a_positive_value(self):
        with self.assertRaises(ValidationError):
            self._campaign("birthday", steps=[{"action": "issue_coupon"}])
        with self.assertRaises(ValidationError):
            self._campaign(
                "birthday", steps=[{"action": "issue_coupon", "coupon_program_id": self.coupons.id, "coupon_points": 0}]
            )
