"""The Customer Care dashboard (Odoo's Dashboards app): opened from Customer Care > Reporting > Overview and as
the app's first screen, its figures are those of the analysis views, computed from the dashboard's own
definition (pivots and charts of crm_lifecycle/data/files/customer_care_dashboard.json)."""

import json
import logging
import re
from datetime import date, timedelta

from odoo import Command
from odoo.tests import HttpCase, tagged

from .care_common import CareCase
from .dashboard_common import DashboardFiguresMixin

DASHBOARD = "crm_lifecycle.crm_care_dashboard_customers"
OPENED = re.compile(r"crm_care_dashboard_tour: opened (\w+)")
SHOWN = re.compile(r"crm_care_dashboard_tour: (\w+) Data!(\d+),(\d+) = (\S+)")


@tagged("post_install", "-at_install")
class TestCareDashboardFigures(DashboardFiguresMixin, CareCase):
    def _stage_grid(self):
        return self._assert_figure_matches_analysis(
            DASHBOARD,
            "Customers and revenue by stage",
            "crm_lifecycle.crm_lifecycle_customer_analysis_menu",
            ["lifecycle_stage_id"],
            ["__count", "total_revenue"],
            self.salesman,
            self.TODAY,
        )

    def test_customers_and_revenue_by_stage_are_the_customer_analysis(self):
        company = self._customer("Dashboard Company", is_company=True)
        buyer = self._customer("Dashboard Buyer", parent_id=company.id)
        solo = self._customer("Dashboard Solo")
        self._order(buyer, self.TODAY - timedelta(days=3), amount=300)
        before = self._stage_grid()
        self._order(solo, self.TODAY, amount=100)
        after = self._stage_grid()
        new = (self.stage["new"].id,)
        self.assertEqual(company.lifecycle_stage_id, self.stage["new"])
        self.assertEqual(buyer.lifecycle_stage_id, self.stage["new"], "the contact shares the company's stage")
        # One customer more (the company counts once, its contact not at all), 100 more revenue (untaxed).
        self.assertEqual(after[new]["__count"] - before.get(new, {}).get("__count", 0), 1)
        self.assertAlmostEqual(after[new]["total_revenue"] - before.get(new, {}).get("total_revenue", 0), 100)
        funnel = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Stage funnel",
            "crm_lifecycle.crm_lifecycle_customer_analysis_menu",
            ["lifecycle_stage_id"],
            ["__count"],
            self.salesman,
            self.TODAY,
        )
        self.assertEqual(funnel[new]["__count"], after[new]["__count"])

    def test_stage_moves_per_month_are_the_stage_moves_analysis(self):
        first = self._customer("Moved In May")
        second = self._customer("Moved In June")
        self._order(first, date(2026, 5, 10), amount=100)
        self._order(second, date(2026, 6, 2), amount=100)
        grid = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Stage moves per month",
            "crm_lifecycle.crm_lifecycle_history_analysis_menu",
            ["date:month", "to_stage_id"],
            ["__count"],
            self.salesman,
            self.TODAY,
        )
        new = self.stage["new"].id
        self.assertGreaterEqual(grid[("2026-05-01", new)]["__count"], 1)
        self.assertGreaterEqual(grid[("2026-06-01", new)]["__count"], 1)

    def test_touches_and_conversions_are_the_care_reports(self):
        buyer = self._customer("Dashboard Greeted", birthday=date(1990, 6, 15))
        self._customer("Dashboard Idle", birthday=date(1991, 6, 15))
        birthday = self._campaign("birthday", name="Dashboard Birthdays")
        self._run_care(self.TODAY)
        self._order(buyer, self.TODAY + timedelta(days=3), amount=250)
        touches = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Care touches done by campaign",
            "crm_lifecycle.crm_care_touch_analysis_menu",
            ["campaign_id"],
            ["__count"],
            self.salesman,
            self.TODAY,
        )
        self.assertEqual(touches[(birthday.id,)]["__count"], 2, "both customers were greeted")
        per_month = self._dashboard_grid(DASHBOARD, "Care touches per month", self.salesman)
        self.assertEqual(per_month[("2026-06-01", "done")]["__count"], 2)
        conversions = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Conversions by campaign",
            "crm_lifecycle.crm_care_conversion_menu",
            ["campaign_id"],
            ["__count", "amount"],
            self.salesman,
            self.TODAY,
        )
        self.assertEqual(conversions[(birthday.id,)], {"__count": 1, "amount": 250})

    def test_dashboard_texts_are_translated_to_chinese(self):
        self._assert_dashboard_translated(DASHBOARD, "crm_lifecycle/data/files/customer_care_dashboard.json")

    def test_overview_menu_and_app_open_the_customers_dashboard(self):
        overview = self.env.ref("crm_lifecycle.crm_care_overview_action")
        self.assertEqual(overview.tag, "action_spreadsheet_dashboard")
        self.assertEqual(overview.params, {"dashboard_id": self.env.ref(DASHBOARD).id})
        self.assertEqual(self.env.ref("crm_lifecycle.crm_care_overview_menu").action, overview)
        self.assertEqual(self.env.ref("crm_lifecycle.crm_care_menu_root").action, overview, "the app's first screen")
        menus = self.env["ir.ui.menu"].with_user(self.salesman).load_menus(debug=False)
        root = self.env.ref("crm_lifecycle.crm_care_menu_root")
        self.assertEqual((menus[root.id]["action_model"], menus[root.id]["action_id"]), (overview._name, overview.id))
        dashboards = (
            self.env["spreadsheet.dashboard"]
            .with_user(self.salesman)
            .search([("dashboard_group_id", "=", self.env.ref("crm_lifecycle.crm_care_dashboard_group").id)])
        )
        self.assertIn(self.env.ref(DASHBOARD), dashboards, "every Customer Care user sees the dashboard")


@tagged("post_install", "-at_install")
class TestCareDashboardTour(HttpCase):
    """The dashboards of the Customer Care group open in the browser, their data loaded without a cell in error
    (static/tests/tours/crm_care_dashboard_tour.js), and the values they show are the figures of their
    definition: customers and revenue of the Customers dashboard, read in the browser."""

    def test_customer_care_dashboards_open(self):
        product = self.env["product.product"].create({"name": "Dashboard Tour Product", "list_price": 250.0})
        for name in ("Dashboard Tour One", "Dashboard Tour Two"):
            partner = self.env["res.partner"].create({"name": name})
            order = self.env["sale.order"].create(
                {"partner_id": partner.id, "order_line": [Command.create({"product_id": product.id})]}
            )
            order.action_confirm()
        # The new figures with data: cohort retention (the nightly table), complaints by product (crm_complaints).
        self.assertTrue(self.env["crm.care.cohort.report"]._refresh_cohorts())
        if "crm.complaint" in self.env:
            self.env["crm.complaint"].create(
                {"subject": "Dashboard Tour Complaint", "partner_id": partner.id, "product_id": product.id}
            )
        # logging.INFO, not "INFO": Odoo names its RUNBOT level (25) "INFO" too
        with self.assertLogs(self._logger.getChild("browser").name, logging.INFO) as logs:
            self.start_tour("/odoo", "crm_care_dashboard_tour", login="admin")
        opened = {match.group(1) for match in map(OPENED.search, logs.output) if match}
        expected = {"Customers"}
        if "crm.loyalty.tier" in self.env:
            expected.add("Loyalty")
        if "crm.complaint" in self.env:
            expected.add("Complaints")
        self.assertEqual(opened, expected)
        shown = {
            (match.group(1), int(match.group(2)), int(match.group(3))): match.group(4)
            for match in map(SHOWN.search, logs.output)
            if match
        }
        figure = json.loads(self.env.ref(DASHBOARD).spreadsheet_data)["pivots"]["1"]
        customers = self.env["res.partner"].with_user(self.env.ref("base.user_admin"))
        ((count, revenue),) = customers._read_group(figure["domain"], [], ["__count", "total_revenue:sum"])
        self.assertGreaterEqual(count, 2)
        self.assertEqual(float(shown[("Customers", 1, 1)]), count, "Data!B2: customers")
        self.assertAlmostEqual(float(shown[("Customers", 1, 2)]), revenue, 2, "Data!B3: revenue")
