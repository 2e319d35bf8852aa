"""README promises of crm_complaints' Reporting: Complaint Analysis (volume by category, channel, month; SLA
compliance %, average first response and resolution in working hours, satisfaction), Repeat Complainants and
the Root-Cause Pareto, read as a Customer Care user of the team sees them."""

from datetime import datetime

from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.readme_views import ReadmeViewMixin

from .common import MONDAY, ComplaintCase


@tagged("post_install", "-at_install")
class TestReadmeComplaintReports(ReadmeViewMixin, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.quality = cls.env["crm.complaint.category"].create({"name": "Quality"})
        cls.other_customer = cls.env["res.partner"].create({"name": "Olivia Other", "email": "olivia@example.com"})

    def _resolved(self, complaint, responded, resolved, cause, rating):
        self._respond(complaint, responded)
        self._move(complaint, "resolved", resolved, resolution="<p>Done</p>", cause_id=cause.id)
        complaint.sudo().rating_apply(rating, token=complaint._rating_get_access_token())
        self.env.flush_all()

    def setUp(self):
        super().setUp()
        delivery = self.cause
        product = self.env.ref("crm_complaints.crm_complaint_cause_product")
        # In time: responded after 1 working hour, resolved after 9 (policy: 4 and 16), rated 5.
        self.in_time = self._complaint(channel="email")
        self._resolved(self.in_time, datetime(2026, 6, 15, 10), datetime(2026, 6, 16, 10), delivery, 5)
        # Late: responded after 16 working hours, resolved after 17, rated 4.
        self.late = self._complaint(channel="phone", category_id=self.quality.id)
        self._resolved(self.late, datetime(2026, 6, 17, 9), datetime(2026, 6, 17, 10), product, 4)
        # Another customer's, in July, resolved in time with the delivery cause, rated 3.
        july = datetime(2026, 7, 6, 9)
        self.other = self._complaint(when=july, channel="email", partner_id=self.other_customer.id)
        self._resolved(self.other, datetime(2026, 7, 6, 10), datetime(2026, 7, 6, 12), delivery, 3)
        self.env.flush_all()
        self.assertEqual((self.in_time | self.late | self.other).mapped("sla_status"), ["met", "breached", "met"])

    def test_complaint_analysis_by_category_with_sla_times_and_satisfaction(self):
        action = self._menu_action("crm_complaints.crm_complaint_report_menu", self.agent)
        rows, cols, measures = self._pivot_spec(
            self._view_arch(action["res_model"], "pivot", self.agent, self._action_view_id(action, "pivot"))
        )
        self.assertEqual((rows, cols), (["category_id"], ["date:month"]))
        self.assertEqual(measures, ["nbr", "sla_compliance", "first_response_hours", "resolution_hours", "rating"])
        grid = self._grid(action, self.agent, MONDAY.date(), groupby=["category_id"])
        self.assertEqual(
            grid,
            {
                (self.category.id,): {
                    "__count": 2,
                    "nbr": 2,
                    "sla_compliance": 100.0,
                    "first_response_hours": 1.0,
                    "resolution_hours": 6.0,  # (9 + 3) / 2
                    "rating": 4.0,  # (5 + 3) / 2
                },
                (self.quality.id,): {
                    "__count": 1,
                    "nbr": 1,
                    "sla_compliance": 0.0,
                    "first_response_hours": 16.0,
                    "resolution_hours": 17.0,
                    "rating": 4.0,
                },
            },
        )
        by_channel = self._grid(action, self.agent, MONDAY.date(), groupby=["channel"], measures=["nbr"])
        self.assertEqual({key: value["nbr"] for key, value in by_channel.items()}, {("email",): 2, ("phone",): 1})
        by_month = self._grid(action, self.agent, MONDAY.date(), groupby=["date:month"], measures=["nbr"])
        self.assertEqual(len(by_month), 2, "June and July")

    def test_repeat_complainants(self):
        action = self._menu_action("crm_complaints.crm_complaint_report_repeat_menu", self.agent)
        context = self._eval(action["context"], MONDAY.date(), self.agent)
        self.assertTrue(context.get("search_default_repeat"), "opens on the repeat complainants")
        repeat = self._search_with_filter(action, "repeat", self.agent, MONDAY.date())
        self.assertEqual(repeat.complaint_id, self.in_time | self.late, "the customer with two complaints")
        self.assertEqual(set(repeat.mapped("customer_complaint_count")), {2})

    def test_root_cause_pareto(self):
        action = self._menu_action("crm_complaints.crm_complaint_cause_report_menu", self.agent)
        rows = (
            self.env[action["res_model"]]
            .with_user(self.agent)
            .search(self._action_domain(action, MONDAY.date(), self.agent), order="rank")
        )
        self.assertEqual(
            [(row.cause_id, row.complaint_count, row.share, row.cumulative_share) for row in rows],
            [
                (self.cause, 2, 66.67, 66.67),
                (self.env.ref("crm_complaints.crm_complaint_cause_product"), 1, 33.33, 100.0),
            ],
            "causes by count, most frequent first, with the cumulative share",
        )
        graph = self._view_arch(action["res_model"], "graph", self.agent, self._action_view_id(action, "graph"))
        self.assertEqual(graph.get("order"), "desc")
