"""README promises of crm_lifecycle's screens: Customers kanban and list, filters, Customer Analysis, R × F
Matrix, Stage Moves, the Customer Value tab, the revenue percentile and the nightly jobs, read as a
salesperson (Customer Care / User) sees them."""

from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import LifecycleCase
from .readme_views import ReadmeViewMixin


@tagged("post_install", "-at_install")
class TestReadmeReports(ReadmeViewMixin, LifecycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Two new customers, a company ordering through its contact, an at-risk and a churned customer,
        # a prospect (quotation only) and a vendor (no order, no lead): the README's stages, on one day.
        cls.new_a = cls._customer("New A")
        cls.new_b = cls._customer("New B")
        cls.company_customer = cls._customer("Big Company", is_company=True)
        cls.contact = cls._customer("Company Buyer", parent_id=cls.company_customer.id)
        cls.at_risk = cls._customer("At Risk")
        cls.churned = cls._customer("Churned")
        cls.prospect = cls._customer("Prospect")
        cls.vendor = cls._customer("Vendor")
        cls._order(cls.new_a, date(2026, 6, 5), amount=200)
        cls._order(cls.new_b, date(2026, 6, 1), amount=300)
        cls._order(cls.contact, date(2026, 6, 10), amount=700)
        cls._order(cls.at_risk, date(2025, 11, 1), amount=400)
        cls._order(cls.churned, date(2025, 4, 1), amount=500)
        cls._order(cls.prospect, date(2026, 6, 12), amount=50, confirm=False)

    def setUp(self):
        super().setUp()
        self._run_cron()
        self.customers = self.new_a | self.new_b | self.company_customer | self.at_risk | self.churned | self.prospect

    def test_stages_of_the_fixture(self):
        self.assertEqual(
            [p.lifecycle_stage_id.code for p in self.customers],
            ["new", "new", "new", "at_risk", "churned", "prospect"],
        )
        self.assertFalse(self.vendor.lifecycle_stage_id, "anyone else has no stage")

    def test_customers_kanban_has_a_column_per_stage_with_count_and_revenue(self):
        action = self._menu_action("crm_lifecycle.crm_lifecycle_customer_menu", self.salesman)
        self.assertEqual(action["view_mode"].split(",")[0], "kanban")
        kanban = self._view_arch("res.partner", "kanban", self.salesman, self._action_view_id(action, "kanban"))
        self.assertEqual(kanban.get("default_group_by"), "lifecycle_stage_id")
        self.assertEqual(kanban.find("progressbar").get("sum_field"), "total_revenue", "revenue per column")
        domain = self._action_domain(action, self.TODAY, self.salesman)
        columns = {
            group["lifecycle_stage_id"][0]: (group["__count"], group["total_revenue:sum"])
            for group in self.env["res.partner"]
            .with_user(self.salesman)
            .formatted_read_group(
                domain + [("id", "in", (self.customers | self.contact | self.vendor).ids)],
                ["lifecycle_stage_id"],
                ["__count", "total_revenue:sum"],
            )
        }
        self.assertEqual(
            columns,
            {
                self.stage["new"].id: (3, 1200.0),
                self.stage["at_risk"].id: (1, 400.0),
                self.stage["churned"].id: (1, 500.0),
                self.stage["prospect"].id: (1, 0.0),
            },
            "customers are commercial entities: the contact is counted once, in its company",
        )

    def test_customer_list_has_an_optional_column_for_every_metric(self):
        action = self._menu_action("crm_lifecycle.crm_lifecycle_customer_menu", self.salesman)
        columns = {
            field.get("name"): field.get("optional")
            for field in self._view_arch(
                "res.partner", "list", self.salesman, self._action_view_id(action, "list")
            ).iter("field")
        }
        form = self._view_arch("res.partner", "form", self.salesman)
        page = form.find(".//page[@name='crm_lifecycle']")
        metrics = {field.get("name") for group in page.iter("group") for field in group.findall("field")}
        self.assertGreaterEqual(len(metrics), 12, "the Customer Value tab shows the metrics")
        for metric in metrics:
            self.assertIn(columns.get(metric), ("show", "hide"), f"{metric} is an optional column of the list")

    def test_a_filter_for_each_stage_and_rfm_segment(self):
        action = self._menu_action("crm_lifecycle.crm_lifecycle_customer_menu", self.salesman)
        shown = self.env["res.partner"].search(self._action_domain(action, self.TODAY, self.salesman))
        for stage in self.stages:
            found = self._search_with_filter(action, f"stage_{stage.code}", self.salesman, self.TODAY)
            self.assertEqual(found, shown.filtered(lambda p, s=stage: p.lifecycle_stage_id == s), stage.code)
        segments = dict(self.env["res.partner"]._fields["rfm_segment"].selection)
        for segment in segments:
            found = self._search_with_filter(action, f"rfm_{segment}", self.salesman, self.TODAY)
            self.assertEqual(found, shown.filtered(lambda p, s=segment: p.rfm_segment == s), segment)
        new = self._search_with_filter(action, "stage_new", self.salesman, self.TODAY)
        self.assertEqual(new & self.customers, self.new_a | self.new_b | self.company_customer)

    def test_customer_analysis_counts_and_revenue_by_stage(self):
        action = self._menu_action("crm_lifecycle.crm_lifecycle_customer_analysis_menu", self.salesman)
        grid = self._grid(action, self.salesman, self.TODAY, extra_domain=[("id", "in", self.customers.ids)])
        self.assertEqual(
            grid,
            {
                (self.stage["new"].id,): {"__count": 3, "total_revenue": 1200.0, "revenue_last_year": 1200.0},
                (self.stage["at_risk"].id,): {"__count": 1, "total_revenue": 400.0, "revenue_last_year": 400.0},
                (self.stage["churned"].id,): {"__count": 1, "total_revenue": 500.0, "revenue_last_year": 0.0},
                (self.stage["prospect"].id,): {"__count": 1, "total_revenue": 0.0, "revenue_last_year": 0.0},
            },
        )

    def test_rfm_matrix_is_recency_by_frequency_of_customers_with_orders(self):
        action = self._menu_action("crm_lifecycle.crm_lifecycle_rfm_matrix_menu", self.salesman)
        arch = self._view_arch("res.partner", "pivot", self.salesman, self._action_view_id(action, "pivot"))
        rows, cols, __ = self._pivot_spec(arch)
        self.assertEqual((rows, cols), (["rfm_recency_score"], ["rfm_frequency_score"]), "R rows, F columns")
        grid = self._grid(action, self.salesman, self.TODAY, extra_domain=[("id", "in", self.customers.ids)])
        expected = {}
        for partner in self.customers - self.prospect:
            cell = (partner.rfm_recency_score, partner.rfm_frequency_score)
            expected[cell] = expected.get(cell, 0) + 1
        self.assertEqual({cell: values["__count"] for cell, values in grid.items()}, expected)
        self.assertEqual(sum(expected.values()), 5, "the prospect (no order) is not in the matrix")
        self.assertEqual(self.churned.rfm_recency_score, 1, "the oldest order has the worst recency")
        self.assertEqual(self.new_a.rfm_recency_score, 4)

    def test_stage_moves_per_month_from_to(self):
        customer = self._customer("Mover")
        self._order(customer, date(2026, 6, 20), amount=100)
        self._run_cron(date(2026, 9, 25))  # 97 days: new -> active
        self._run_cron(date(2026, 12, 25))  # 188 days: active -> at risk
        action = self._menu_action("crm_lifecycle.crm_lifecycle_history_analysis_menu", self.salesman)
        self.assertEqual(action["view_mode"].split(",")[0], "graph")
        graph = self._view_arch(action["res_model"], "graph", self.salesman)
        self.assertEqual(
            [(f.get("name"), f.get("interval")) for f in graph.iter("field") if f.get("type") != "measure"],
            [("date", "month"), ("to_stage_id", None)],
            "moves per month, stacked by the stage reached",
        )
        moves = self._grid(action, self.salesman, self.TODAY, extra_domain=[("partner_id", "=", customer.id)])
        self.assertEqual(
            {cell: values["__count"] for cell, values in moves.items()},
            {
                (False, self.stage["new"].id): 1,
                (self.stage["new"].id, self.stage["active"].id): 1,
                (self.stage["active"].id, self.stage["at_risk"].id): 1,
            },
        )
        per_month = self._grid(
            action, self.salesman, self.TODAY, groupby=["date:month"], extra_domain=[("partner_id", "=", customer.id)]
        )
        self.assertEqual(len(per_month), 3, "June, September and December")

    def test_customer_value_tab_stage_moves_button_and_stage_on_the_order(self):
        form = Form(self.company_customer.with_user(self.salesman))
        self.assertEqual(form.lifecycle_stage_id, self.stage["new"])
        self.assertEqual(form.total_revenue, 700)
        self.assertEqual(form.order_count, 1)
        self.assertTrue(form.customer_lifetime_value > 0)
        self.assertTrue(form.rfm_segment)
        history = (
            self.env["crm.lifecycle.history"]
            .with_user(self.salesman)
            .search(self.company_customer.with_user(self.salesman).action_view_lifecycle_history()["domain"])
        )
        self.assertEqual(history.to_stage_id, self.stage["new"], "the Stage Moves button lists its moves")
        self.assertEqual(self.company_customer.lifecycle_history_count, 1)
        order = self.env["sale.order"].search([("partner_id", "=", self.contact.id)]).with_user(self.manager)
        self.assertEqual(order.partner_lifecycle_stage_id, self.stage["new"], "the company's stage on its order")
        arch = self._view_arch("sale.order", "form", self.salesman)
        self.assertTrue(arch.findall(".//field[@name='partner_lifecycle_stage_id']"), "next to the customer")

    def test_revenue_percentile_places_the_customer_among_all_customers(self):
        # Customers with orders: 200, 300, 400, 500, 700 -> cume_dist 20 %, 40 %, 60 %, 80 %, 100 %.
        self.assertEqual(
            [p.revenue_percentile for p in (self.new_a, self.new_b, self.at_risk, self.churned, self.company_customer)],
            [20, 40, 60, 80, 100],
        )
        self.assertEqual(self.contact.revenue_percentile, 100, "copied onto the contacts")
        self.assertFalse(self.prospect.revenue_percentile, "no order, no place")
        above_median = self.env["res.partner"].search(
            [("revenue_percentile", ">", 50), ("id", "in", self.customers.ids)]
        )
        self.assertEqual(above_median, self.at_risk | self.churned | self.company_customer)

    def test_settings_show_the_retention_estimate(self):
        # Ordered in the year before last and again in the last year: 1 of 2 (the churned one did not).
        again = self._customer("Again")
        self._order(again, date(2025, 3, 1), amount=100)
        self._order(again, date(2026, 3, 1), amount=100)
        # The estimate of setUp's night (0 of 1) is estimated again once it is 30 days old.
        self._run_cron(date(2026, 7, 15))
        # Odoo's Settings are for administrators (res.config.settings: base.group_system).
        admin = self.env.ref("base.user_admin")
        settings = Form(self.env["res.config.settings"].with_user(admin))
        self.assertAlmostEqual(settings.clv_retention_estimate, 0.5, places=4)
        self.assertEqual(settings.clv_retention_estimate_date, date(2026, 7, 15), "with the date it was estimated")
        self.assertEqual(settings.clv_retention_rate, 0.0, "empty: the estimate is used")

    def test_nightly_jobs_exist_in_order_and_run_their_method(self):
        jobs = [
            ("crm_lifecycle.ir_cron_lifecycle_refresh", "crm.lifecycle.run", "_cron_refresh", 1),
            ("crm_lifecycle.ir_cron_segment_refresh", "crm.segment", "_cron_refresh_segments", 2),
            ("crm_lifecycle.ir_cron_care_campaigns", "crm.care.campaign", "_cron_care", 3),
        ]
        for xmlid, model, method, hour in jobs:
            cron = self.env.ref(xmlid)
            self.assertTrue(cron.active, xmlid)
            self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"), f"{xmlid} runs every night")
            self.assertEqual(cron.nextcall.hour, hour, f"{xmlid} runs at {hour}:00, after the jobs it reads")
            with patch.object(type(self.env[model]), method, autospec=True) as called:
                cron.ir_actions_server_id.run()
            self.assertEqual(called.call_count, 1, f"{xmlid} calls {model}.{method}")
        self.assertEqual(self.env.ref("crm_lifecycle.ir_cron_lifecycle_refresh").name, "Refresh customer lifecycle")
        self.assertEqual(
            self.env.ref("crm_lifecycle.ir_cron_care_campaigns").name, "Care campaigns: plan and send today's touches"
        )

    def test_refresh_now_from_the_action_menu_for_managers(self):
        customer = self._customer("Refreshed From The List")
        order = self._order(customer, date(2026, 6, 14), amount=100)
        # A line added to the confirmed order: the nightly refresh or Refresh now picks the amount up.
        with freeze_time(datetime(2026, 6, 15, 9)):
            order.write(
                {
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 800})
                    ]
                }
            )
        server_action = self.env.ref("crm_lifecycle.res_partner_action_lifecycle_refresh")
        self.assertEqual(server_action.binding_model_id.model, "res.partner", "in the Action menu of customers")
        with freeze_time(datetime(2026, 6, 15, 10)):
            server_action.with_user(self.manager).with_context(
                active_model="res.partner", active_ids=customer.ids, active_id=customer.id
            ).run()
        self.env.invalidate_all()
        self.assertEqual(customer.total_revenue, 900)

    def test_an_amount_changed_after_confirmation_is_picked_up_by_the_nightly_refresh(self):
        customer = self._customer("Added A Line")
        order = self._order(customer, date(2026, 6, 14), amount=100)
        with freeze_time(datetime(2026, 6, 14, 15)):
            order.write(
                {
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 400})
                    ]
                }
            )
        self._run_cron(date(2026, 6, 15))
        self.assertEqual((customer.total_revenue, customer.order_count), (500, 1))
