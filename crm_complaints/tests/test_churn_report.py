from datetime import datetime, timedelta

from odoo.tests import Form, tagged

from odoo.addons.crm_lifecycle.tests.common import LifecycleCase, frozen


@tagged("post_install", "-at_install")
class TestChurnReport(LifecycleCase):
    """Churn by reason and by whether the customer complained in the 90 days before, on hand-made data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})
        cls.service = cls.env.ref("crm_lifecycle.churn_reason_service")
        cls.price = cls.env.ref("crm_lifecycle.churn_reason_price")

    def _complaint(self, partner, at):
        with frozen(self.env, at):
            self.env["crm.complaint"].create({"subject": "Broken", "partner_id": partner.id, "team_id": False})
            self.env.flush_all()

    def _mark_lost(self, partner, reason):
        with frozen(self.env, self.TODAY):
            action = partner.with_user(self.manager).action_mark_lost()
            wizard = Form(self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]))
            wizard.churn_reason_id = reason
            wizard.save().action_mark_lost()

    def test_churn_by_reason_and_complaints_in_the_90_days_before(self):
        customers = {}
        for name in ("Recent", "Edge In", "Edge Out", "Quiet"):
            customers[name] = self._customer(name)
            self._order(customers[name], self.TODAY - timedelta(days=200))
        self._complaint(customers["Recent"], datetime(2026, 6, 5, 10, 0))
        # Day 89 before 15 June is 18 March: 17:00 UTC on 17 March is already 18 March in Shanghai ...
        self._complaint(customers["Edge In"], datetime(2026, 3, 17, 17, 0))
        # ... and 15:00 UTC is still 17 March there, 90 days before: outside the window.
        self._complaint(customers["Edge Out"], datetime(2026, 3, 17, 15, 0))
        self._mark_lost(customers["Recent"], self.service)
        self._mark_lost(customers["Edge In"], self.service)
        self._mark_lost(customers["Edge Out"], self.price)
        self._mark_lost(customers["Quiet"], self.price)
        rows = self.env["crm.churn.report"].search([("partner_id", "in", [c.id for c in customers.values()])])
        self.assertEqual(
            {row.partner_id.name: (row.churn_reason_id, row.complained_before, row.date) for row in rows},
            {
                "Recent": (self.service, True, self.TODAY),
                "Edge In": (self.service, True, self.TODAY),
                "Edge Out": (self.price, False, self.TODAY),
                "Quiet": (self.price, False, self.TODAY),
            },
        )
        groups = self.env["crm.churn.report"]._read_group(
            [("id", "in", rows.ids)], ["churn_reason_id", "complained_before"], ["__count"]
        )
        self.assertEqual(sorted((r.name, c, n) for r, c, n in groups), [("Price", False, 2), ("Service", True, 2)])
        # the same, as the Customers dashboard's chart groups them (a named value, not true/false)
        groups = self.env["crm.churn.report"]._read_group(
            [("id", "in", rows.ids)], ["churn_reason_id", "complaint_before"], ["__count"]
        )
        self.assertEqual(
            sorted((r.name, c, n) for r, c, n in groups), [("Price", "no_complaint", 2), ("Service", "complained", 2)]
        )
