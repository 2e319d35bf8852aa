"""README promises about the demo data: the demo segments (VIP, At risk above median revenue, New this
quarter) and the example Automation Rule, loaded with Odoo's XML loader into the test transaction."""

from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import api
from odoo.tests import tagged
from odoo.tools.convert import convert_file

from .common import LifecycleCase


@tagged("post_install", "-at_install")
class TestReadmeDemo(LifecycleCase):
    def _load_demo(self, filename):
        convert_file(self.env, "crm_lifecycle", filename, {}, mode="init", noupdate=True)

    def test_demo_segments_select_what_their_names_say(self):
        loyal = self._customer("Loyal Demo")
        for age in (100, 50, 10):
            self._order(loyal, self._days_ago(age), amount=100)
        active = self._customer("Active, Not Champion")
        self._order(active, self._days_ago(100), amount=100)
        at_risk_rich = self._customer("At Risk Rich")
        self._order(at_risk_rich, self._days_ago(200), amount=5000)
        at_risk_poor = self._customer("At Risk Poor")
        self._order(at_risk_poor, self._days_ago(200), amount=10)
        newcomer = self._customer("Newcomer")  # TODAY is 15 June 2026: the quarter started on 1 April
        self._order(newcomer, date(2026, 4, 2), amount=50)
        before_quarter = self._customer("Before The Quarter")
        self._order(before_quarter, date(2026, 3, 30), amount=50)
        self._run_cron()
        self._load_demo("data/crm_segment_demo.xml")
        self.assertEqual((active.lifecycle_stage_id.code, active.rfm_segment != "champion"), ("active", True))
        ours = active | loyal | at_risk_rich | at_risk_poor | newcomer | before_quarter
        expected = {
            "crm_lifecycle.segment_vip": loyal | ours.filtered(lambda p: p.rfm_segment == "champion"),
            "crm_lifecycle.segment_at_risk_valuable": at_risk_rich,
            "crm_lifecycle.segment_new_this_quarter": newcomer,
        }
        for xmlid, members in expected.items():
            segment = self.env.ref(xmlid)
            with freeze_time(self.TODAY):
                segment.action_refresh()
            self.assertEqual(segment.member_ids.partner_id & ours, members, segment.name)
        vip = self.env.ref("crm_lifecycle.segment_vip")
        self.assertEqual(vip.name, "VIP")
        self.assertIn(loyal, vip.member_ids.partner_id)
        self.assertNotIn(active, vip.member_ids.partner_id, "active, not a champion: not a VIP")

    def test_demo_automation_rule_plans_a_call_for_who_becomes_at_risk(self):
        # The demo's order history generator is left out: only the rule is loaded.
        with patch.object(type(self.env["crm.lifecycle.run"]), "_demo_create_history", api.model(lambda self: None)):
            self._load_demo("data/crm_lifecycle_demo.xml")
        rule = self.env.ref("crm_lifecycle.automation_at_risk_activity")
        self.assertEqual((rule.model_id.model, rule.trigger), ("res.partner", "on_create_or_write"))
        self.assertEqual(rule.trigger_field_ids.name, "lifecycle_stage_id")
        call = self.env.ref("mail.mail_activity_data_call")
        # In the nightly refresh: the last order becomes 180 days old.
        drifting = self._customer("Drifting", user_id=self.salesman.id)
        self._order(drifting, self._days_ago(179), amount=100)
        self._run_cron(self._days_ago(-1))
        self.assertEqual(drifting.lifecycle_stage_id, self.stage["at_risk"])
        self.assertEqual(
            [
                (a.activity_type_id, a.user_id, a.date_deadline)
                for a in drifting.activity_ids
                if a.activity_type_id == call
            ],
            [(call, self.salesman, self._days_ago(-3))],
            "a call for the salesperson, due in 2 days",
        )
        # At an order event: cancelling the recent order leaves a last order 200 days old.
        cancelled = self._customer("Cancelled Recent Order", user_id=self.salesman.id)
        self._order(cancelled, self._days_ago(200), amount=100)
        recent = self._order(cancelled, self._days_ago(10), amount=100)
        self.assertFalse(cancelled.activity_ids.filtered(lambda a: a.activity_type_id == call))
        with freeze_time(self.TODAY):
            recent.with_context(disable_cancel_warning=True).action_cancel()
        self.env.invalidate_all()
        self.assertEqual(cancelled.lifecycle_stage_id, self.stage["at_risk"])
        self.assertEqual(len(cancelled.activity_ids.filtered(lambda a: a.activity_type_id == call)), 1)
        # Nobody else gets a call: the rule fires on entering At Risk only.
        self._run_cron(self._days_ago(-2))
        self.assertEqual(len(drifting.activity_ids.filtered(lambda a: a.activity_type_id == call)), 1)
