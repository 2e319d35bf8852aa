from contextlib import contextmanager
from datetime import datetime, time

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .care_common import CareCase


@tagged("post_install", "-at_install")
class TestSegmentEvaluatedAsOwner(CareCase):
    """A segment is evaluated as its owner, with the owner's rights, by the Refresh button and the nightly job."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bot = cls.env.ref("base.user_root")
        cls.owner = new_test_user(cls.env, "segment_owner", groups="sales_team.group_sale_manager", name="Owner")
        cls.colleague = new_test_user(
            cls.env, "segment_colleague", groups="sales_team.group_sale_manager", name="Colleague"
        )
        cls.mine = cls.env["res.partner"]
        for index in range(3):
            cls.mine |= cls._customer(f"Mine {index}", user_id=cls.owner.id)
        cls.theirs = cls._customer("Theirs", user_id=cls.colleague.id)
        cls.my_customers = (
            cls.env["crm.segment"]
            .with_user(cls.owner)
            .create({"name": "My customers", "domain": "[('user_id', '=', uid)]"})
        )

    @contextmanager
    def _refused(self, exception, message):
        """assertRaises (rolled back to a savepoint, unlike assertRaisesRegex) plus the message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), message)

    def _members(self, segment):
        return segment.member_ids.partner_id

    def _nightly_refresh(self, on=None):
        """The scheduled action at 01:00, as the bot it runs as."""
        with freeze_time(datetime.combine(on or self.TODAY, time(1))), self._no_commit():
            self.env["crm.segment"].with_user(self.bot)._cron_refresh_segments()
        self.env.invalidate_all()

    def _press_refresh(self, user, on=None):
        with freeze_time(datetime.combine(on or self._days_ago(1), time(15))):
            self.my_customers.with_user(user).action_refresh()

    def test_owner_defaults_to_the_creator(self):
        self.assertEqual(self.my_customers.user_id, self.owner)

    def test_my_customers_are_the_same_for_the_button_and_the_nightly_job(self):
        self.assertEqual(self.my_customers.with_user(self.owner).preview_count, 3)
        self._press_refresh(self.owner)
        self.assertEqual(self._members(self.my_customers), self.mine)
        self.assertEqual(self.my_customers.member_count, 3)

        self._nightly_refresh()
        self.assertEqual(self.my_customers.member_count, 3, "the nightly job runs as the owner, not as the bot")
        self.assertEqual(self._members(self.my_customers), self.mine)
        stays = self.env["crm.segment.member"].search([("segment_id", "=", self.my_customers.id)])
        self.assertEqual(len(stays), 3, "no exit and re-entry: the segment does not flip")
        self.assertFalse(stays.filtered("date_left"))

        # Another manager pressing Refresh, or the preview seen by them: uid is still the owner.
        self._press_refresh(self.colleague, on=self.TODAY)
        self.assertEqual(self._members(self.my_customers), self.mine)
        self.assertEqual(self.my_customers.with_user(self.colleague).preview_count, 3)

    def test_nightly_job_sends_no_exit_message(self):
        campaign = self._campaign(
            "segment_exit",
            segment_id=self.my_customers.id,
            steps=[{"action": "email", "mail_template_id": self.thank_you_template.id}],
        )
        self._press_refresh(self.owner)
        self._nightly_refresh()
        self._run_care()
        self.assertFalse(self._touches(campaign), "nobody left the segment")

    def test_new_owner_changes_who_uid_is(self):
        self._press_refresh(self.owner)
        self.my_customers.user_id = self.colleague
        self.my_customers._refresh_members()
        self.assertEqual(self._members(self.my_customers), self.theirs)

    def test_domain_the_owner_may_not_search_is_refused_when_saved(self):
        self.assertFalse(self.owner.has_group("account.group_account_invoice"))
        self.mine[0].with_company(self.company).credit_limit = 5000
        with self._refused(ValidationError, "may not search"):
            self.env["crm.segment"].with_user(self.owner).create(
                {"name": "Big credit", "domain": "[('credit_limit', '>', 1000)]"}
            )
        # Nor can an administrator save it for that owner, or hand such a segment over to them.
        with self._refused(ValidationError, "may not search"):
            self.env["crm.segment"].create(
                {"name": "Big credit", "domain": "[('credit_limit', '>', 1000)]", "user_id": self.owner.id}
            )
        accountant = new_test_user(
            self.env,
            "segment_accountant",
            groups="sales_team.group_sale_manager,account.group_account_invoice",
            name="Accountant",
        )
        segment = (
            self.env["crm.segment"]
            .with_user(accountant)
            .create({"name": "Big credit", "domain": "[('credit_limit', '>', 1000)]"})
        )
        segment._refresh_members()
        self.assertEqual(self._members(segment), self.mine[0], "the accountant may search on it")
        with self._refused(ValidationError, "may not search"):
            segment.user_id = self.owner

    def test_segment_sees_what_its_owner_sees(self):
        """Record rules apply: a contact the owner may not read (another company's) is not a member."""
        other_company = self.env["res.company"].create({"name": "Other Company"})
        hidden = self._customer("Hidden", user_id=self.owner.id, company_id=other_company.id)
        segment = self.env["crm.segment"].create(
            {
                "name": "Mine everywhere",
                "domain": "[('user_id', '=', uid)]",
                "company_id": False,
                "user_id": self.owner.id,
            }
        )
        segment._refresh_members()
        self.assertEqual(self._members(segment), self.mine)
        self.owner.company_ids |= other_company
        # The allowed companies are the owner's, not the ones selected by whoever presses the button.
        segment.with_user(self.colleague).with_context(allowed_company_ids=self.company.ids).action_refresh()
        self.assertEqual(self._members(segment), self.mine | hidden)

    def test_nightly_job_keeps_the_members_of_a_segment_its_owner_can_no_longer_search(self):
        accountant = new_test_user(
            self.env,
            "segment_accountant",
            groups="sales_team.group_sale_manager,account.group_account_invoice",
            name="Accountant",
        )
        self.mine[0].with_company(self.company).credit_limit = 5000
        big_credit = (
            self.env["crm.segment"]
            .with_user(accountant)
            .create({"name": "Big credit", "domain": "[('credit_limit', '>', 1000)]"})
        )
        big_credit._refresh_members()
        accountant.group_ids -= self.env.ref("account.group_account_invoice")
        self.assertFalse(accountant.has_group("account.group_account_invoice"))
        with self.assertLogs("odoo.addons.crm_lifecycle.models.crm_segment", "ERROR"):
            self._nightly_refresh()
        self.assertEqual(self._members(big_credit), self.mine[0], "kept, not emptied: nobody is told they left")
        self.assertEqual(self._members(self.my_customers), self.mine, "the other segments are refreshed")
