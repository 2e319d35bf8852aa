"""The voice-of-the-customer figures of the Customer Care dashboard (crm_lifecycle/data/files/
customer_care_dashboard.json): satisfaction and NPS by stage and per month, cohort retention by months since the
first purchase and churns by reason are the figures of their analysis views (Satisfaction and NPS, Cohort
Retention, Churn Analysis), on real orders, answers to the shipped NPS survey and customers marked lost."""

from datetime import date, timedelta

from odoo.tests import Form, tagged

from .common import frozen
from .dashboard_common import DashboardFiguresMixin
from .voice_common import VoiceCase

DASHBOARD = "crm_lifecycle.crm_care_dashboard_customers"


@tagged("post_install", "-at_install")
class TestCareDashboardVoice(DashboardFiguresMixin, VoiceCase):
    def test_satisfaction_and_nps_by_stage_and_month_are_the_feedback_analysis(self):
        promoter, detractor = self._customer("Dashboard Promoter"), self._customer("Dashboard Detractor")
        self._answer(self._send_nps(promoter).survey_user_input_id, 10)
        self._answer(self._send_nps(detractor).survey_user_input_id, 4)
        by_stage = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Satisfaction and NPS by stage",
            "crm_lifecycle.crm_care_feedback_report_menu",
            ["stage_id"],
            ["__count", "satisfaction", "nps_points"],
            self.salesman,
            self.TODAY,
        )
        # Both new customers: one promoter, one detractor -> NPS 0, satisfaction (100 + 40) / 2.
        self.assertEqual(by_stage[(self.stage["new"].id,)], {"__count": 2, "satisfaction": 70.0, "nps_points": 0.0})
        per_month = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Satisfaction per month",
            "crm_lifecycle.crm_care_feedback_report_menu",
            ["date:month"],
            ["satisfaction"],
            self.salesman,
            self.TODAY,
        )
        self.assertEqual(per_month[("2026-06-01",)]["satisfaction"], 70.0)

    def test_cohort_retention_by_months_since_is_the_cohort_analysis(self):
        # April cohort: A (again in May and June), B (again in June), C (never again); May cohort: D (again in June).
        orders = {
            "A": [date(2026, 4, 10), date(2026, 5, 12), date(2026, 6, 3)],
            "B": [date(2026, 4, 20), date(2026, 6, 5)],
            "C": [date(2026, 4, 25)],
            "D": [date(2026, 5, 10), date(2026, 6, 10)],
        }
        for name, days in orders.items():
            customer = self._customer(f"Cohort Dashboard {name}")
            for day in days:
                self._order(customer, day)
        self._run_cron()
        self._refresh_cohorts()
        table = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Cohort retention by months since first purchase",
            "crm_lifecycle.crm_care_cohort_report_menu",
            ["months_since"],
            ["retention", "customer_count"],
            self.salesman,
            self.TODAY,
        )
        # Month 1: 1 of 3 of April (33.3 %) and 1 of 1 of May (100 %): each cohort counts once.
        self.assertEqual(
            {key: (values["customer_count"], round(values["retention"], 2)) for key, values in table.items()},
            {(0,): (4, 100.0), (1,): (2, 66.65), (2,): (2, 66.7)},
        )
        curve = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Share who bought again by months since first purchase",
            "crm_lifecycle.crm_care_cohort_report_menu",
            ["months_since"],
            ["retention"],
            self.salesman,
            self.TODAY,
        )
        self.assertEqual(curve[(2,)]["retention"], 66.7)

    def test_churns_by_reason_and_complaint_before_are_the_churn_analysis(self):
        service = self.env.ref("crm_lifecycle.churn_reason_service")
        price = self.env.ref("crm_lifecycle.churn_reason_price")
        for name, reason in (("Lost Rude", service), ("Lost Dear", price), ("Lost Dear Too", price)):
            customer = self._customer(name)
            self._order(customer, self.TODAY - timedelta(days=30))
            with frozen(self.env, self.TODAY):
                action = customer.with_user(self.manager).action_mark_lost()
                wizard = Form(self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]))
                wizard.churn_reason_id = reason
                wizard.save().action_mark_lost()
        self.env.invalidate_all()
        grid = self._assert_figure_matches_analysis(
            DASHBOARD,
            "Churns by reason and complaint in the 90 days before",
            "crm_lifecycle.crm_churn_report_menu",
            ["churn_reason_id", "complaint_before"],
            ["__count"],
            self.salesman,
            self.TODAY,
        )
        self.assertEqual(grid[(service.id, "no_complaint")]["__count"], 1)
        self.assertEqual(grid[(price.id, "no_complaint")]["__count"], 2)
