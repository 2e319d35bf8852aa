"""A portal member opens "My membership" in headless Chromium, in English and in Chinese
(tour crm_loyalty/static/tests/tours/crm_loyalty_portal_tour.js)."""

from odoo.tests import HttpCase, new_test_user, tagged

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyPortalTour(LoyaltyCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["crm_lifecycle", "crm_loyalty"], ["zh_CN"], overwrite=True)
        cls._membership_program(portal_point_name="Stars")

    def _member(self, login, lang):
        user = new_test_user(self.env, login, groups="base.group_portal", name=f"Member {login}", lang=lang)
        self._order(user.partner_id, self.TODAY, amount=25000)
        self.assertEqual(user.partner_id.loyalty_tier_id, self.gold)
        return user

    def test_member_reads_their_membership_in_english(self):
        self.start_tour("/my", "crm_loyalty_portal_tour_en", login=self._member("tour_member_en", "en_US").login)

    def test_member_reads_their_membership_in_chinese(self):
        self.start_tour("/my", "crm_loyalty_portal_tour_zh", login=self._member("tour_member_zh", "zh_CN").login)
