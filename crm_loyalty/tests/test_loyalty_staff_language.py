"""The to-do a customer's salesperson gets when the customer reaches the top membership tier (made by the order's
confirmation or the nightly evaluation, in whatever language they run) is written in the salesperson's
language, the tier named as they read it."""

from odoo.tests import tagged

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyStaffLanguage(LoyaltyCase):
    def test_top_tier_to_do_in_the_salesperson_s_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.salesman.lang = "zh_CN"
        self.platinum.with_context(lang="zh_CN").name = "白金卡"
        partner = self._customer("Wang Fang", user_id=self.salesman.id)
        for day, amount in ((0, 6000), (1, 40000), (2, 40000)):
            self._order(partner.with_context(lang="en_US"), self._day(day), amount=amount)
        self.assertEqual(partner.loyalty_tier_id, self.platinum)
        activity = partner.activity_ids
        self.assertEqual(activity.user_id, self.salesman)
        self.assertEqual(activity.summary, "Wang Fang 已升级为白金卡")
        self.assertIn("Wang Fang 已升至最高会员等级", str(activity.note))
