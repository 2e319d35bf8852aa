"""The Customers dashboard is shown in the reader's language: a Chinese Customer Care user gets every title,
KPI label, pivot name and chart title in Chinese from the Dashboards app (the data the web client loads), an
English user in English; the pivots' and charts' headers come from translated fields. In the browser, every
dashboard of the Customer Care group shows its Chinese texts and none of its English ones."""

from odoo import Command
from odoo.tests import HttpCase, tagged

from .dashboard_common import DashboardLanguageMixin


@tagged("post_install", "-at_install")
class TestCareDashboardLanguage(DashboardLanguageMixin, HttpCase):
    def test_customers_dashboard_is_served_in_the_readers_language(self):
        self._assert_dashboard_served_in_user_language(
            "crm_lifecycle.crm_care_dashboard_customers", "crm_lifecycle/data/files/customer_care_dashboard.json"
        )

    def test_dashboards_show_chinese_in_the_browser(self):
        product = self.env["product.product"].create({"name": "Dashboard Language Product", "list_price": 250.0})
        partner = self.env["res.partner"].create({"name": "Dashboard Language Customer"})
        order = self.env["sale.order"].create(
            {"partner_id": partner.id, "order_line": [Command.create({"product_id": product.id})]}
        )
        order.action_confirm()
        self.assertTrue(self.env["crm.care.cohort.report"]._refresh_cohorts())
        self._assert_dashboards_shown_in_browser()
