"""The Loyalty dashboard of the Customer Care group (crm_loyalty/data/files/loyalty_dashboard.json): members
and revenue by tier, tier migration and tier moves are the figures of the Revenue by Tier and Tier Migration
analyses."""

from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.dashboard_common import DashboardFiguresMixin

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
            "Tier migration",
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
