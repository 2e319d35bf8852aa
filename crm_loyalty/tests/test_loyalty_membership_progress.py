from odoo.tests import Form, tagged

from odoo.addons.crm_lifecycle.tests.common import frozen

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyMembershipProgress(LoyaltyCase):
    """The Membership tab's progress: a customer without a tier is "Not a member yet" (no full bar, no
    "0.00 more to reach Member"); members see their way to the next tier."""

    def _set_tier(self, partner, tier):
        with frozen(self.env, self.TODAY):
            self.env["crm.loyalty.lock.wizard"].with_user(self.manager).create(
                {"partner_id": partner.id, "tier_id": tier.id, "reason": "Joined at the counter"}
            ).action_apply()
        self.env.invalidate_all()

    def test_contact_without_orders_is_not_a_member_yet(self):
        partner = self._customer("No Orders Yet")
        form = Form(partner.with_user(self.salesman))
        self.assertFalse(form.loyalty_tier_id)
        self.assertEqual(form.loyalty_progress, 0.0, "no bar filled towards a tier the contact is not on")
        self.assertEqual(form.loyalty_progress_label, "Not a member yet")
        self.assertEqual(form.loyalty_next_tier_id, self.member, "the entry tier is what comes next")
        self.assertEqual(form.loyalty_spend_to_next_tier, 0.0, "the entry tier asks no spend")

    def test_non_member_of_a_paid_entry_tier_is_not_a_member_yet(self):
        self.member.min_spend = 500
        partner = self._customer("Below The Entry Tier")
        self._order(partner, self.TODAY, amount=200)
        self.assertFalse(partner.loyalty_tier_id)
        self.assertEqual(partner.loyalty_progress, 0.0)
        self.assertEqual(partner.loyalty_progress_label, "Not a member yet")
        self.assertEqual(partner.loyalty_spend_to_next_tier, 300.0, "what the entry tier still asks")

    def test_member_without_spend_starts_at_zero_towards_silver(self):
        partner = self._customer("Member Without Spend")
        self._set_tier(partner, self.member)
        self.assertEqual(partner.loyalty_tier_id, self.member)
        self.assertEqual(partner.loyalty_qualifying_spend, 0.0)
        self.assertEqual(partner.loyalty_next_tier_id, self.silver)
        self.assertEqual(partner.loyalty_spend_to_next_tier, 5000.0)
        self.assertEqual(partner.loyalty_progress, 0.0)
        self.assertIn("5,000.00", partner.loyalty_progress_label)
        self.assertTrue(partner.loyalty_progress_label.endswith("more to reach Silver"))

    def test_member_halfway_to_silver(self):
        partner = self._customer("Halfway")
        self._order(partner, self.TODAY, amount=2500)
        self.assertEqual(partner.loyalty_tier_id, self.member)
        self.assertEqual(partner.loyalty_next_tier_id, self.silver)
        self.assertEqual(partner.loyalty_spend_to_next_tier, 2500.0)
        self.assertAlmostEqual(partner.loyalty_progress, 50.0)
        self.assertIn("2,500.00", partner.loyalty_progress_label)
        self.assertTrue(partner.loyalty_progress_label.endswith("more to reach Silver"))

    def test_top_tier_is_full(self):
        partner = self._customer("Top")
        self._set_tier(partner, self.platinum)
        self.assertFalse(partner.loyalty_next_tier_id)
        self.assertEqual(partner.loyalty_progress, 100.0)
        self.assertEqual(partner.loyalty_progress_label, "Top tier reached")

    def test_not_a_member_yet_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        partner = self._customer("Chinese Reader")
        self.assertEqual(partner.with_context(lang="zh_CN").loyalty_progress_label, "尚未成为会员")
