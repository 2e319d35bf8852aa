from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyConfig(LoyaltyCase):
    """Bad tier and program settings are refused with a clear message."""

    def test_min_spend_must_increase_with_the_tier_order(self):
        with self._refused(ValidationError, "must increase with the tier order"):
            self.env["crm.loyalty.tier"].create({"name": "Bronze", "sequence": 15, "min_spend": 3000})
        with self._refused(ValidationError, "must increase with the tier order"):
            self.gold.min_spend = 5000
        with self._refused(ValidationError, "must increase with the tier order"):
            self.platinum.sequence = 5
        bronze = self.env["crm.loyalty.tier"].create({"name": "Bronze", "sequence": 5, "min_spend": 1000})
        self.assertEqual(self.env["crm.loyalty.tier"]._get_ranked_tiers()[:3], self.member + bronze + self.silver)

    def test_negative_spend_and_small_multiplier_are_refused(self):
        with self._refused(ValidationError, "cannot be negative"):
            self.member.min_spend = -1
        with self._refused(ValidationError, "cannot be negative"):
            self.silver.min_orders = -2
        with self._refused(ValidationError, "must be at least 1"):
            self.gold.points_multiplier = 0.5

    def test_a_tier_with_members_cannot_be_deleted(self):
        partner = self._customer("Blocker")
        self._order(partner, self.TODAY, amount=6000)
        self.assertEqual(self.silver.member_count, 1)
        with self._refused(UserError, "still has 1 members"):
            self.silver.unlink()
        self.platinum.unlink()  # no member: fine
        self.assertFalse(self.platinum.exists())

    def test_membership_program_must_be_a_loyalty_program(self):
        coupons = self.env["loyalty.program"].create({"name": "Coupons", "program_type": "coupons"})
        with self._refused(ValidationError, "must be a loyalty card program"):
            self.company.loyalty_program_id = coupons
        card = self.env["loyalty.program"].create({"name": "Card", "program_type": "loyalty"})
        self.company.loyalty_program_id = card
        with self._refused(ValidationError, "must stay a loyalty card program"):
            card.program_type = "promotion"

    def test_settings_are_validated_and_saved(self):
        card = self.env["loyalty.program"].create({"name": "Card", "program_type": "loyalty"})
        settings = Form(self.env["res.config.settings"])
        settings.loyalty_program_id = card
        settings.loyalty_window_days = 180
        settings.loyalty_points_validity_months = 12
        settings.loyalty_auto_enroll = False
        settings.save().execute()
        self.assertEqual(self.company.loyalty_program_id, card)
        self.assertEqual(self.company.loyalty_window_days, 180)
        self.assertEqual(self.company.loyalty_points_validity_months, 12)
        self.assertFalse(self.company.loyalty_auto_enroll)
        with self._refused(ValidationError, "at least one day"):
            self.company.loyalty_window_days = 0
        with self._refused(ValidationError, "cannot be negative"):
            self.company.loyalty_points_validity_months = -1

    def test_window_setting_drives_qualifying_spend(self):
        self.company.loyalty_window_days = 30
        partner = self._customer("Short Window")
        self._order(partner, self.TODAY, amount=3000)
        self._order(partner, self._day(29), amount=3000)
        self.assertEqual(partner.loyalty_tier_id, self.silver)
        self._order(partner, self._day(30), amount=1)
        self.assertEqual(partner.loyalty_qualifying_spend, 3001, "the first order left the 30-day window")
        self.assertEqual(partner.loyalty_review_date, self._day(29 + 30))

    def test_tier_stat_and_views_load(self):
        company = self._customer("Member Company", is_company=True)
        contact = self._customer("Member Contact", parent_id=company.id)
        self._order(contact, self.TODAY, amount=6000)
        self.assertEqual((company | contact).mapped("loyalty_tier_id"), self.silver, "the contact carries the tier")
        self.assertEqual(self.silver.member_count, 1, "a member is a commercial entity, not each of its contacts")
        action = self.silver.action_view_members()
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(self.env["res.partner"].search(action["domain"]), company)
        for xmlid in (
            "crm_loyalty.crm_loyalty_member_action",
            "crm_loyalty.crm_loyalty_tier_action",
            "crm_loyalty.crm_loyalty_tier_history_action",
            "crm_loyalty.crm_loyalty_tier_history_analysis_action",
            "crm_loyalty.crm_loyalty_tier_migration_action",
            "crm_loyalty.crm_loyalty_revenue_action",
        ):
            action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
            model = self.env[action["res_model"]]
            for view_id, view_type in action["views"]:
                model.get_views([(view_id, view_type)])
        self.assertEqual(
            self.env.ref("crm_loyalty.crm_loyalty_member_menu").parent_id,
            self.env.ref("crm_lifecycle.crm_care_menu_loyalty"),
        )
