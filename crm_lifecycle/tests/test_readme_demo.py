"""README promises about the demo data: the demo segments (VIP, At risk above median revenue, New this
quarter), loaded with Odoo's XML loader into the test transaction."""

from datetime import date

from freezegun import freeze_time

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
