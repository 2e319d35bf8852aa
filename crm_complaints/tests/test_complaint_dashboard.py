"""The Complaints dashboard of the Customer Care group (crm_complaints/data/files/complaints_dashboard.json):
complaint volume, SLA compliance and satisfaction are the Complaint Analysis's figures, as each user sees them
(their teams' complaints); complaints by product and per 100 orders are the Complaints by Product analysis's (the
products with complaints, as the analysis opens)."""

from datetime import datetime

from odoo import Command
from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.dashboard_common import DashboardFiguresMixin

from .common import MONDAY, ComplaintCase

DASHBOARD = "crm_complaints.crm_complaints_dashboard"
ANALYSIS_MENU = "crm_complaints.crm_complaint_report_menu"
JUNE, JULY = "2026-06-01 00:00:00", "2026-07-01 00:00:00"  # months of the complaints' creation (UTC)


@tagged("post_install", "-at_install")
class TestComplaintDashboard(DashboardFiguresMixin, ComplaintCase):
    def setUp(self):
        super().setUp()
        quality = self.env["crm.complaint.category"].create({"name": "Quality"})
        # Met: responded after 1 working hour, resolved after 9 (policy 4 and 16), rated 5.
        in_time = self._complaint(channel="email")
        self._respond(in_time, datetime(2026, 6, 15, 10))
        self._move(in_time, "resolved", datetime(2026, 6, 16, 10), resolution="<p>Done</p>", cause_id=self.cause.id)
        in_time.sudo().rating_apply(5, token=in_time._rating_get_access_token())
        # Breached: resolved after 17 working hours, rated 4.
        late = self._complaint(channel="phone", category_id=quality.id)
        self._respond(late, datetime(2026, 6, 17, 9))
        self._move(late, "resolved", datetime(2026, 6, 17, 10), resolution="<p>Done</p>", cause_id=self.cause.id)
        late.sudo().rating_apply(4, token=late._rating_get_access_token())
        # Still open, in July; and one of the other team's, which the agent does not see.
        self.open = self._complaint(when=datetime(2026, 7, 6, 9), channel="portal")
        self.hidden = self._complaint(team_id=self.other_team.id, user=self.outsider)
        self.env.flush_all()
        self.assertEqual((in_time | late).mapped("sla_status"), ["met", "breached"])

    def test_volume_sla_compliance_and_satisfaction_per_month_are_the_complaint_analysis(self):
        grid = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Complaints per month",
            ANALYSIS_MENU,
            ["date:month"],
            ["nbr", "sla_compliance", "rating"],
            self.agent,
            MONDAY.date(),
        )
        june = grid[(JUNE,)]
        self.assertEqual(june["nbr"], 2, "the other team's complaint is not the agent's to see")
        self.assertEqual(june["sla_compliance"], 50.0, "one met, one breached")
        self.assertEqual(june["rating"], 4.5)
        self.assertEqual(grid[(JULY,)]["nbr"], 1)
        manager = self._dashboard_grid(DASHBOARD, "Complaints per month", self.manager)
        self.assertEqual(manager[(JUNE,)]["nbr"], 3, "managers see every team's")

    def test_dashboard_texts_are_translated_to_chinese(self):
        self._assert_dashboard_translated(DASHBOARD, "crm_complaints/data/files/complaints_dashboard.json")

    def test_by_category_channel_and_open_sla_status_are_the_complaint_analysis(self):
        by_category = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Complaints by category",
            ANALYSIS_MENU,
            ["category_id"],
            ["nbr", "sla_compliance"],
            self.agent,
            MONDAY.date(),
        )
        self.assertEqual(by_category[(self.category.id,)]["nbr"], 2)
        channels = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Complaints per month and channel",
            ANALYSIS_MENU,
            ["date:month", "channel"],
            ["nbr"],
            self.agent,
            MONDAY.date(),
        )
        self.assertEqual(channels[(JULY, "portal")]["nbr"], 1)
        open_complaints = self._dashboard_grid(DASHBOARD, "Open complaints by SLA status", self.agent)
        self.assertEqual(sum(values["nbr"] for values in open_complaints.values()), 1)
        self.assertEqual(list(open_complaints), [(self.open.sla_status,)])

    def test_complaints_by_product_and_rate_per_100_orders_are_the_product_analysis(self):
        kettle, toaster, plate = (
            self.env["product.product"].create({"name": name, "list_price": 80.0})
            for name in ("Dashboard Kettle", "Dashboard Toaster", "Dashboard Plate")
        )
        for product, orders in ((kettle, 4), (toaster, 2), (plate, 1)):
            for __ in range(orders):
                order = self.env["sale.order"].create(
                    {"partner_id": self.customer.id, "order_line": [Command.create({"product_id": product.id})]}
                )
                order.action_confirm()
        self._complaint(product_id=kettle.id)
        self._complaint(product_id=toaster.id, channel="phone")
        self.env.flush_all()
        products = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Complaints by product",
            "crm_complaints.crm_complaint_product_report_menu",
            ["product_id"],
            ["complaint_count", "order_count", "complaint_rate"],
            self.agent,
            MONDAY.date(),
        )
        self.assertEqual(
            products[(kettle.id,)], {"__count": 1, "complaint_count": 1, "order_count": 4, "complaint_rate": 25.0}
        )
        self.assertEqual(products[(toaster.id,)]["complaint_rate"], 50.0)
        self.assertNotIn((plate.id,), products, "a product without complaints is not shown (as in the analysis)")
        rates = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Complaints per 100 orders by product",
            "crm_complaints.crm_complaint_product_report_menu",
            ["product_id"],
            ["complaint_rate"],
            self.agent,
            MONDAY.date(),
        )
        self.assertEqual(
            {key: values["complaint_rate"] for key, values in rates.items()}, {(kettle.id,): 25.0, (toaster.id,): 50.0}
        )
