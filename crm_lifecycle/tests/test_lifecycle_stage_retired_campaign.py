from freezegun import freeze_time

from odoo.tests import tagged

from .test_lifecycle_merge import MergeCase


@tagged("post_install", "-at_install")
class TestLifecycleStageRetiredCampaign(MergeCase):
    """Retiring a stage of one's own retires the campaigns greeting customers who enter it."""

    def test_campaign_of_a_retired_stage_greets_no_one_who_left_it(self):
        vip = self.env["crm.lifecycle.stage"].with_user(self.manager).create({"name": "VIP", "code": "vip"})
        partner = self._customer("Vera Vip")
        self._order(partner, self._days_ago(20))
        welcome = self._campaign(
            "stage_entry",
            stage_id=vip.id,
            steps=[{"action": "email", "mail_template_id": self.thank_you_template.id, "delay_days": 3}],
        )
        other = self._campaign("stage_entry", stage_id=self.stage["new"].id)
        self._lock(partner, vip, "Key account")  # enters VIP today: welcomed in 3 days
        with freeze_time(self._days_ago(-1)):
            vip.with_user(self.manager).action_archive()
        self.env.invalidate_all()

        self.assertEqual(partner.lifecycle_stage_id, self.stage["new"], "placed by the rules")
        self.assertFalse(welcome.active)
        self.assertEqual(welcome.date_last_planned, self._days_ago(-1))
        self.assertIn("Archived with its lifecycle stage VIP", welcome.message_ids[0].body)
        self.assertTrue(other.active, "campaigns on other stages stay")
        self._run_care(self._days_ago(-3))
        self.assertFalse(self._touches(welcome), "no welcome to a stage the customer has left")
        # Restored, the campaign does not catch up with the days before it was retired.
        welcome.action_unarchive()
        self._run_care(self._days_ago(-3))
        self.assertFalse(self._touches(welcome))
