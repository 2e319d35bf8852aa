from odoo.tests import tagged

from .common import LifecycleCase, frozen


@tagged("post_install", "-at_install")
class TestLifecycleStages(LifecycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A finished run exists: every stage change goes through the ORM as in daily use.
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})

    def _customer_with_orders(self, name, *ages):
        partner = self._customer(name)
        for age in ages:
            self._order(partner, self._days_ago(age))
        return partner

    def test_stage_boundaries(self):
        """Each rule at its boundary day, with the default periods 90 / 180 / 365 and 3 loyal orders."""
        cases = [
            ("first order 89 days ago", (89,), "new"),
            ("first order 90 days ago", (90,), "active"),
            ("last order 179 days ago", (179,), "active"),
            ("last order 180 days ago", (180,), "at_risk"),
            ("last order 365 days ago", (365,), "at_risk"),
            ("last order 366 days ago", (366,), "churned"),
            ("3 orders in the year, first 300 days ago", (300, 200, 100), "loyal"),
            ("3 orders but one 365 days ago", (365, 200, 100), "active"),
            ("3 orders but last one 180 days ago", (300, 250, 180), "at_risk"),
            ("new beats loyal", (80, 50, 20), "new"),
        ]
        partners = {label: self._customer_with_orders(label, *ages) for label, ages, __ in cases}
        self._run_cron()
        for label, __, code in cases:
            with self.subTest(label):
                self.assertEqual(partners[label].lifecycle_stage_id.code, code)

    def test_prospect_needs_open_lead_or_quotation(self):
        with_lead = self._customer("Lead Customer")
        self.env["crm.lead"].create({"name": "Interest", "partner_id": with_lead.id, "type": "opportunity"})
        with_quote = self._customer("Quote Customer")
        self._order(with_quote, self._days_ago(3), confirm=False)
        lost_lead = self._customer("Lost Customer")
        lead = self.env["crm.lead"].create({"name": "Gone", "partner_id": lost_lead.id, "type": "opportunity"})
        lead.action_set_lost()
        vendor = self._customer("Vendor")
        self._run_cron()
        self.assertEqual(with_lead.lifecycle_stage_id, self.stage["prospect"])
        self.assertEqual(with_quote.lifecycle_stage_id, self.stage["prospect"])
        self.assertFalse(lost_lead.lifecycle_stage_id, "a lost lead is not an open pipeline")
        self.assertFalse(vendor.lifecycle_stage_id, "contacts that never bought nor asked are not customers")

    def test_order_confirmation_moves_stage_in_same_transaction(self):
        partner = self._customer("Fresh")
        self._run_cron()
        self.assertFalse(partner.lifecycle_stage_id)
        order = self._order(partner, self.TODAY)
        self.assertEqual(partner.lifecycle_stage_id, self.stage["new"])
        self.assertEqual(partner.order_count, 1)
        history = partner.lifecycle_history_ids
        self.assertEqual(len(history), 1)
        self.assertEqual((history.reason, history.order_id, history.to_stage_id), ("order", order, self.stage["new"]))

    def test_cancel_and_partner_change_refresh_stage(self):
        first, second = self._customer("First"), self._customer("Second")
        order = self._order(first, self.TODAY)
        self.assertEqual(first.order_count, 1)
        with frozen(self.env, self.TODAY):
            order.partner_id = second
        self.assertEqual((first.order_count, second.order_count), (0, 1))
        self.assertFalse(first.lifecycle_stage_id)
        self.assertEqual(second.lifecycle_stage_id, self.stage["new"])
        with frozen(self.env, self.TODAY):
            order._action_cancel()
        self.assertEqual(second.order_count, 0)
        self.assertFalse(second.lifecycle_stage_id)

    def test_won_back_after_churn_and_for_new_days_only(self):
        partner = self._customer_with_orders("Returning", 500, 400)
        self._run_cron()
        self.assertEqual(partner.lifecycle_stage_id, self.stage["churned"])
        order = self._order(partner, self.TODAY)
        self.assertEqual(partner.lifecycle_stage_id, self.stage["won_back"])
        move = partner.lifecycle_history_ids.filtered(lambda h: h.to_stage_id == self.stage["won_back"])
        self.assertEqual((move.reason, move.order_id, move.from_stage_id), ("order", order, self.stage["churned"]))
        self._run_cron(on=self._days_ago(-89))
        self.assertEqual(partner.lifecycle_stage_id, self.stage["won_back"], "stays while the order is young")
        self._run_cron(on=self._days_ago(-90))
        self.assertEqual(partner.lifecycle_stage_id, self.stage["active"])
        self.assertEqual(partner.lifecycle_history_ids[0].reason, "time")

    def test_time_moves_active_at_risk_churned_with_history(self):
        partner = self._customer_with_orders("Drifting", 100)
        self._run_cron()
        self._run_cron(on=self._days_ago(-80))
        self._run_cron(on=self._days_ago(-266))
        self.assertEqual(partner.lifecycle_stage_id, self.stage["churned"])
        moves = partner.lifecycle_history_ids.sorted("id").mapped(lambda h: (h.from_stage_id.code, h.to_stage_id.code))
        self.assertEqual(moves[-2:], [("active", "at_risk"), ("at_risk", "churned")])

    def test_stage_on_contacts_and_tracked_on_commercial_entity(self):
        company = self._customer("Acme", is_company=True)
        buyer = self._customer("Acme Buyer", parent_id=company.id)
        self._order(buyer, self._days_ago(10))
        self.assertEqual(company.lifecycle_stage_id, self.stage["new"])
        self.assertEqual(buyer.lifecycle_stage_id, self.stage["new"])
        tracked = company.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "lifecycle_stage_id")
        self.assertTrue(tracked, "the stage change is tracked in the chatter")

    def test_shipped_stage_cannot_be_deleted_but_renamed(self):
        stage = self.stage["loyal"]
        with self.assertRaisesRegex(Exception, "cannot be deleted"):
            stage.unlink()
        stage.write({"name": "VIP", "color": 5})
        self.assertEqual(stage.name, "VIP")

    def test_won_back_needs_the_order_to_be_after_the_churn(self):
        partner = self._customer_with_orders("Backdated", 500)
        self._run_cron()
        self.assertEqual(partner.lifecycle_stage_id, self.stage["churned"])
        order = self._order(partner, self.TODAY)
        self.assertEqual(partner.lifecycle_stage_id, self.stage["won_back"])
        with frozen(self.env, self.TODAY):
            order.date_order = self._days_ago(400)  # the "comeback" order was in fact an old one
        self.assertEqual(partner.lifecycle_stage_id, self.stage["churned"])
