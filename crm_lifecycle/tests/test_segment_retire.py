from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .care_common import CareCase


@tagged("post_install", "-at_install")
class TestSegmentRetire(CareCase):
    """Archiving a segment ends its stays without telling anyone they left, and stops its campaigns."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vip = cls._customer("Vip One", ref="VIP") | cls._customer("Vip Two", ref="VIP")
        cls.segment = cls.env["crm.segment"].create({"name": "VIP", "domain": "[('ref', '=', 'VIP')]"})
        with freeze_time(cls.TODAY - timedelta(days=10)):
            cls.segment._refresh_members()
        email = [{"action": "email", "mail_template_id": cls.thank_you_template.id}]
        cls.exit_campaign = cls._campaign("segment_exit", segment_id=cls.segment.id, steps=email)
        cls.periodic = cls._campaign("periodic", segment_id=cls.segment.id, interval_days=10, steps=email)
        cls.birthday = cls._campaign("birthday")

    def _archive(self, on):
        with freeze_time(datetime.combine(on, time(9))):
            self.segment.with_user(self.manager).action_archive()
        self.env.invalidate_all()

    def test_archiving_ends_stays_and_archives_its_campaigns(self):
        self._run_care(self._days_ago(1))  # the campaigns planned up to yesterday
        self._archive(self.TODAY)
        stays = self.env["crm.segment.member"].search([("segment_id", "=", self.segment.id)])
        self.assertEqual(stays.partner_id, self.vip)
        self.assertEqual(set(stays.mapped("date_left")), {self.TODAY}, "the stays end the day it is archived")
        self.assertEqual(self.segment.member_count, 0)
        self.assertFalse(self.exit_campaign.active or self.periodic.active, "its campaigns are archived with it")
        self.assertTrue(self.birthday.active, "campaigns of other audiences go on")
        self.assertIn("Archived with its segment VIP", self.exit_campaign.message_ids[0].body)

        self._run_care(self.TODAY)
        self.assertFalse(self._touches(self.exit_campaign), "nobody is told they left a retired segment")
        self.assertFalse(self._touches(self.periodic), "the periodic campaign plans nothing")

        # A campaign restored later does not catch up the day of the retirement either (the cron plans the days
        # it missed since the last planning).
        self.exit_campaign.action_unarchive()
        self._run_care(self.TODAY + timedelta(days=1))
        self.assertFalse(self._touches(self.exit_campaign))

    def test_archived_segment_is_not_refreshed(self):
        self._archive(self.TODAY)
        with freeze_time(datetime.combine(self.TODAY + timedelta(days=1), time(1))), self._no_commit():
            self.env["crm.segment"]._cron_refresh_segments()
            self.segment._refresh_members()
        self.assertFalse(self.segment.member_ids, "no stay is reopened in an archived segment")
        with self.assertRaisesRegex(UserError, "archived segment"):
            self.segment.with_user(self.manager).action_refresh()

    def test_restored_segment_starts_new_stays_at_its_next_refresh(self):
        self._archive(self.TODAY)
        self.segment.action_unarchive()
        with freeze_time(self.TODAY + timedelta(days=2)):
            entered, left = self.segment._refresh_members()[self.segment.id]
        self.assertEqual(sorted(entered), sorted(self.vip.ids))
        self.assertEqual(left, [])
        self.assertEqual(len(self.env["crm.segment.member"].search([("segment_id", "=", self.segment.id)])), 4)
