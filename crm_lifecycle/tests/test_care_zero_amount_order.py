from odoo.tests import tagged

from .care_common import CareCase


@tagged("post_install", "-at_install")
class TestCareZeroAmountOrder(CareCase):
    """A zero-amount order (a free replacement after a complaint) is not a purchase: no "thank you for your
    order" touch, neither at confirmation nor by the cron that catches up orders."""

    def test_free_replacement_plans_no_after_order_touch(self):
        partner = self._customer("Replacement Receiver")
        campaign = self._campaign(
            "after_order", steps=[{"action": "email", "mail_template_id": self.thank_you_template.id, "delay_days": 1}]
        )
        replacement = self._order(partner, self.TODAY, amount=0)
        paid = self._order(partner, self.TODAY, amount=120)
        self.assertEqual(self._touches(campaign).order_id, paid)
        self._run_care(self._days_ago(-1))
        self.assertNotIn(replacement, self._touches(campaign).order_id)
        self.assertEqual(self._touches(campaign).order_id, paid)
