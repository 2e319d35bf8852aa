"""The membership tier and its lock cannot be set at creation through default_* context keys either."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyLockDefaults(LoyaltyCase):
    def test_default_context_keys_cannot_set_the_tier_of_a_new_partner(self):
        Partner = self.env["res.partner"].with_user(self.salesman)
        for context in (
            {"default_loyalty_tier_id": self.gold.id},
            {"default_loyalty_tier_locked": True, "default_loyalty_lock_reason": "VIP"},
        ):
            with self.subTest(context=context), self.assertRaises(AccessError):
                Partner.with_context(**context).create({"name": "Defaulted"})
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Defaulted")]))
        self.assertFalse(Partner.create({"name": "Plain"}).loyalty_tier_id)
