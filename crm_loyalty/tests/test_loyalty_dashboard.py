"""The Loyalty dashboard of the Customer Care group (crm_loyalty/data/files/loyalty_dashboard.json): members
and revenue by tier, tier migration and tier moves are the figures of the Revenue by Tier and Tier Migration
analyses; satisfaction and NPS by tier are the Satisfaction and NPS analysis's, by the tier of the day of the
answer."""

from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.dashboard_common import DashboardFiguresMixin
from odoo.addons.crm_lifecycle.tests.voice_common import VoiceCase

from .common import LoyaltyCase

DASHBOARD = "crm_loyalty.crm_loyalty_dashboard"


@tagged("post_install", "-at_install")
class TestLoyaltyDashboard(DashboardFiguresMixin, LoyaltyCase):
    def setUp(self):
        super().setUp()
        self.member_only = self._customer("Dashboard Member")
        self.climber = self._customer("Dashboard Climber")
        self._order(self.member_only, self.TODAY, amount=1000)
        self._order(self.climber, self._day(-20), amount=3000)
        self._order(self.climber, self.TODAY, amount=3000)

    def test_members_and_revenue_by_tier_are_the_revenue_by_tier_analysis(self):
        grid = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Members and revenue by tier",
            "crm_loyalty.crm_loyalty_revenue_menu",
            ["loyalty_tier_id"],
            ["__count", "loyalty_qualifying_spend", "total_revenue"],
            self.salesman,
            self.TODAY,
        )
        self.assertEqual(grid[(self.member.id,)]["__count"], 1)
        self.assertEqual(grid[(self.member.id,)]["total_revenue"], 1000)
        self.assertEqual(grid[(self.silver.id,)]["__count"], 1)
        self.assertEqual(grid[(self.silver.id,)]["loyalty_qualifying_spend"], 6000)
        chart = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Revenue by tier",
            "crm_loyalty.crm_loyalty_revenue_menu",
            ["loyalty_tier_id"],
            ["total_revenue"],
            self.salesman,
            self.TODAY,
        )
        self.assertEqual(chart[(self.silver.id,)]["total_revenue"], 6000)

    def test_dashboard_texts_are_translated_to_chinese(self):
        self._assert_dashboard_translated(DASHBOARD, "crm_loyalty/data/files/loyalty_dashboard.json")

    def test_tier_migration_is_the_tier_migration_matrix(self):
        grid = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Tier migration (from → to)",
            "crm_loyalty.crm_loyalty_tier_migration_menu",
            ["from_tier_id", "to_tier_id"],
            ["__count"],
            self.salesman,
            self.TODAY,
        )
        self.assertEqual(grid[(False, self.member.id)]["__count"], 2, "two customers joined")
        self.assertEqual(grid[(self.member.id, self.silver.id)]["__count"], 1, "one moved up to Silver")
        moves = self._dashboard_grid(DASHBOARD, "Tier moves per month", self.salesman)
        self.assertEqual(sum(values["__count"] for key, values in moves.items() if key[1] == "up"), 3)


@tagged("post_install", "-at_install")
class TestLoyaltyDashboardNps(DashboardFiguresMixin, VoiceCase, LoyaltyCase):
    def test_satisfaction_and_nps_by_tier_are_the_feedback_analysis(self):
        scores = {"Ann": (6000, 9), "Bob": (6000, 5), "Cid": (25000, 10)}  # Silver, Silver, Gold
        for name, (amount, score) in scores.items():
            customer = self._customer(f"Dashboard NPS {name}")
            self._order(customer, self._day(-40), amount=amount)
            self._answer(self._send_nps(customer).survey_user_input_id, score)
        grid = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Satisfaction and NPS by tier",
            "crm_lifecycle.crm_care_feedback_report_menu",
            ["tier_id"],
            ["__count", "satisfaction", "nps_points"],
            self.salesman,
            self.TODAY,
        )
        # Silver: a promoter (9) and a detractor (5) -> NPS 0, satisfaction (90 + 50) / 2; Gold: a promoter (10).
        self.assertEqual(grid[(self.silver.id,)], {"__count": 2, "satisfaction": 70.0, "nps_points": 0.0})
        self.assertEqual(grid[(self.gold.id,)], {"__count": 1, "satisfaction": 100.0, "nps_points": 100.0})
        chart = self._assert_figure_matches_analysis(
            DASHBOARD,
            "NPS by tier",
            "crm_lifecycle.crm_care_feedback_report_menu",
            ["tier_id"],
            ["nps_points"],
            self.salesman,
            self.TODAY,
        )
        self.assertEqual(chart[(self.gold.id,)]["nps_points"], 100.0)
