"""README promises of the care campaigns' audience: without a segment, kinds other than birthday reach
classified customers only; segment memberships, written set-based, can drive a time-based Automation Rule on
*Customer Segment Membership* (trigger *Based on date field*, *Entered*)."""

from datetime import date, datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .care_common import CareCase


@tagged("post_install", "-at_install")
class TestReadmeCareAudience(CareCase):
    def test_without_a_segment_other_kinds_reach_classified_customers_only(self):
        customer = self._customer("Classified")
        self._order(customer, self._days_ago(10))
        vendor = self._customer("Vendor Without Stage")
        contact = self._customer("Contact Of Customer", parent_id=customer.id)
        self.assertFalse(vendor.lifecycle_stage_id)
        occasion = self.env["crm.care.occasion"].create(
            {"name": "Audience Day", "date_ids": [Command.create({"date": date(2026, 6, 20)})]}
        )
        campaign = self._campaign("occasion", occasion_id=occasion.id, lead_days=0)
        self._run_care(date(2026, 6, 20))
        reached = self._touches(campaign).partner_id
        self.assertIn(customer, reached)
        self.assertNotIn(vendor, reached, "no lifecycle stage: not a customer")
        self.assertNotIn(contact, reached, "customers are commercial entities")

    def test_a_time_based_rule_on_segment_membership_reacts_to_entries(self):
        tag = self.env["res.partner.category"].create({"name": "Entered Big"})
        rule = self.env["base.automation"].create(
            {
                "name": "Tag who enters a segment",
                "model_id": self.env.ref("crm_lifecycle.model_crm_segment_member").id,
                "trigger": "on_time",
                "trg_date_id": self.env.ref("crm_lifecycle.field_crm_segment_member__date_entered").id,
                "trg_date_range": 0,
                "trg_date_range_type": "day",
            }
        )
        self.env["ir.actions.server"].create(
            {
                "name": "Tag the contact",
                "model_id": self.env.ref("crm_lifecycle.model_crm_segment_member").id,
                "base_automation_id": rule.id,
                "state": "code",
                "code": f"record.partner_id.write({{'category_id': [Command.link({tag.id})]}})",
            }
        )
        big = self._customer("Big Spender")
        small = self._customer("Small Spender")
        self._order(big, self._days_ago(5), amount=5000)
        self._order(small, self._days_ago(5), amount=50)
        segment = self.env["crm.segment"].create({"name": "Big", "domain": "[('total_revenue', '>=', 1000)]"})
        with freeze_time(self.TODAY):
            segment.action_refresh()
        self.assertEqual(segment.member_ids.partner_id, big, "written set-based by the refresh")
        moment = datetime(2026, 6, 15, 23, 0)
        with freeze_time(moment), patch.object(self.env.cr, "now", lambda: moment), self._no_commit():
            self.env["base.automation"]._cron_process_time_based_actions()
        self.assertIn(tag, big.category_id, "the time-based rule saw the entry")
        self.assertNotIn(tag, small.category_id)

    def test_an_sms_step_needs_an_sms_template(self):
        with self.assertRaises(ValidationError) as caught:
            self._campaign("birthday", steps=[{"action": "sms"}])
        self.assertIn("needs a value", str(caught.exception))
