"""The Loyalty dashboard is shown in the reader's language: a Chinese Customer Care user gets every title, KPI
label, pivot name and chart title in Chinese from the Dashboards app (the data the web client loads), an English
user in English; the pivots' and charts' headers come from translated fields."""

from odoo.tests import HttpCase, tagged

from odoo.addons.crm_lifecycle.tests.dashboard_common import DashboardLanguageMixin


@tagged("post_install", "-at_install")
class TestLoyaltyDashboardLanguage(DashboardLanguageMixin, HttpCase):
    def test_loyalty_dashboard_is_served_in_the_readers_language(self):
        self._assert_dashboard_served_in_user_language(
            "crm_loyalty.crm_loyalty_dashboard", "crm_loyalty/data/files/loyalty_dashboard.json"
        )
