"""The demo's segments have their members on the day the demo is built: loading the demo triggers the segment
refresh job (run as soon as the server runs), so Segments, their NPS and Satisfaction and NPS by Segment are not
empty until the next night."""

from odoo.tests import tagged
from odoo.tools.convert import convert_file

from .common import LifecycleCase, frozen


@tagged("post_install", "-at_install")
class TestDemoSegmentsFilled(LifecycleCase):
    def test_demo_triggers_the_segment_refresh_that_fills_its_segments(self):
        loyal = self._customer("Loyal Demo")
        for age in (100, 50, 10):
            self._order(loyal, self._days_ago(age), amount=100)
        self._run_cron()
        cron = self.env.ref("crm_lifecycle.ir_cron_segment_refresh")
        Trigger = self.env["ir.cron.trigger"].sudo()
        before = Trigger.search([("cron_id", "=", cron.id)])
        with frozen(self.env, self.TODAY):
            convert_file(self.env, "crm_lifecycle", "data/crm_segment_demo.xml", {}, mode="init", noupdate=True)
        self.assertTrue(Trigger.search([("cron_id", "=", cron.id)]) - before, "the demo triggers the segment refresh")
        vip = self.env.ref("crm_lifecycle.segment_vip")
        self.assertFalse(vip.member_ids, "members come from the refresh, not from the demo file")
        # what the triggered job runs
        with frozen(self.env, self.TODAY), self._no_commit():
            self.env["crm.segment"].with_user(cron.user_id)._cron_refresh_segments()
        self.env.invalidate_all()
        self.assertIn(loyal, vip.member_ids.partner_id)
