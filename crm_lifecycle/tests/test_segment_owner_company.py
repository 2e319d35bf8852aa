from contextlib import contextmanager
from datetime import datetime, time

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .care_common import CareCase


@tagged("post_install", "-at_install")
class TestSegmentOwnerCompany(CareCase):
    """An owner who leaves the segment's company, or is archived, after the segment was saved."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = new_test_user(cls.env, "segment_owner", groups="sales_team.group_sale_manager", name="Owner")
        cls.colleague = new_test_user(
            cls.env, "segment_colleague", groups="sales_team.group_sale_manager", name="Colleague"
        )
        cls.mine = cls.env["res.partner"]
        for index in range(3):
            cls.mine |= cls._customer(f"Mine {index}", user_id=cls.owner.id)
        cls.my_customers = (
            cls.env["crm.segment"]
            .with_user(cls.owner)
            .create({"name": "My customers", "domain": "[('user_id', '=', uid)]"})
        )
        cls.both = new_test_user(
            cls.env,
            "segment_owner_both",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            company_ids=[Command.set((cls.company | cls.company_2).ids)],
        )
        cls.manager_2 = new_test_user(
            cls.env,
            "segment_manager_both",
            groups="sales_team.group_sale_manager",
            company_id=cls.company_2.id,
            company_ids=[Command.set((cls.company | cls.company_2).ids)],
        )
        cls.customer_2 = cls._customer("Second's customer", company_id=cls.company_2.id)
        cls.segment_2 = cls.env["crm.segment"].create(
            {"name": "Second company", "domain": "[]", "company_id": cls.company_2.id, "user_id": cls.both.id}
        )
        cls.segment_2._refresh_members()

    @contextmanager
    def _refused(self, exception, message):
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), message)

    def _members(self, segment):
        return segment.member_ids.partner_id

    def _nightly_refresh(self):
        """The scheduled action at 01:00, as the bot it runs as."""
        with freeze_time(datetime.combine(self.TODAY, time(1))), self._no_commit():
            self.env["crm.segment"].with_user(self.env.ref("base.user_root"))._cron_refresh_segments()
        self.env.invalidate_all()

    def test_owner_who_left_the_company_is_named_and_members_are_kept(self):
        self.assertIn(self.customer_2, self._members(self.segment_2))
        before = self._members(self.segment_2)
        self.both.company_ids = [Command.set(self.company.ids)]
        with self._refused(UserError, "evaluated as its owner .*no longer works in Care Second Company"):
            self.segment_2.with_user(self.manager_2).action_refresh()
        with self.assertLogs("odoo.addons.crm_lifecycle.models.crm_segment", "ERROR"):
            self._nightly_refresh()
        self.assertEqual(self._members(self.segment_2), before, "kept: nobody is told they left")
        # The segment can still be retired, and given another owner.
        self.segment_2.with_user(self.manager_2).user_id = self.manager_2
        self.segment_2.with_user(self.manager_2).action_refresh()
        self.segment_2.action_archive()
        self.assertFalse(self._members(self.segment_2))

    def test_archived_owner_still_evaluates_the_segment(self):
        self.owner.action_archive()
        self._nightly_refresh()
        self.assertEqual(self._members(self.my_customers), self.mine, "the owner's customers, as before")
