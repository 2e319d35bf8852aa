from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .care_common import CareCase


@tagged("post_install", "-at_install")
class TestCareSendChecks(CareCase):
    """At execution a touch re-checks whom it reaches; order touches follow the order's current state."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Sister Company", "email": "care@sister.example.com"})
        cls.company.email = "hello@main.example.com"

    def _thank_you_campaign(self, delay_days=1, **vals):
        return self._campaign(
            "after_order",
            steps=[{"action": "email", "mail_template_id": self.thank_you_template.id, "delay_days": delay_days}],
            **vals,
        )

    def _mails(self, touches):
        return self.env["mail.mail"].search([("mail_message_id", "in", touches.mail_message_id.ids)])

    # ------------------------------------------------------------------
    # Who the touch reaches
    # ------------------------------------------------------------------

    def test_contact_archived_before_the_send_date_gets_no_email(self):
        partner = self._customer("Gone Away")
        campaign = self._thank_you_campaign(delay_days=3)
        self._order(partner, self.TODAY)
        self.assertEqual(self._touches(campaign).state, "planned")
        partner.action_archive()
        self._run_care(self._days_ago(-3))
        touch = self._touches(campaign)
        self.assertEqual((touch.state, touch.reason), ("skipped", "archived"))
        self.assertFalse(touch.mail_message_id)
        self.assertFalse(self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)]))

    def test_archived_contact_gets_no_internal_step_either(self):
        partner = self._customer("Archived Birthday", birthday=date(1990, 6, 16))
        tag = self.env["res.partner.category"].create({"name": "Celebrated"})
        campaign = self._campaign("birthday", steps=[{"action": "add_tag", "tag_id": tag.id}])
        self._run_care(self.TODAY)  # plans nothing due today; tomorrow's birthday is planned tomorrow
        with freeze_time(self.TODAY):
            campaign._plan_day(self._days_ago(-1), "UTC")
        partner.action_archive()
        self._run_care(self._days_ago(-1))
        self.assertEqual(self._touches(campaign).reason, "archived")
        self.assertFalse(partner.category_id)

    def test_contact_moved_to_another_company_is_skipped(self):
        partner = self._customer("Transferred")
        campaign = self._thank_you_campaign()
        self._order(partner, self.TODAY)
        partner.company_id = self.company_b
        self._run_care(self._days_ago(-1))
        touch = self._touches(campaign)
        self.assertEqual((touch.state, touch.reason), ("skipped", "other_company"))
        self.assertFalse(touch.mail_message_id)

    def test_order_handed_to_another_customer_is_skipped(self):
        partner = self._customer("First Buyer")
        other = self._customer("Second Buyer")
        campaign = self._thank_you_campaign()
        order = self._order(partner, self.TODAY)
        order.with_user(self.manager).write({"partner_id": other.id})
        self._run_care(self._days_ago(-1))
        touch = self._touches(campaign).filtered(lambda t: t.partner_id == partner)
        self.assertEqual((touch.state, touch.reason), ("skipped", "not_customer"))

    def test_opted_out_and_blacklisted_after_planning_are_skipped(self):
        opted = self._customer("Opted Late")
        listed = self._customer("Listed Late")
        campaign = self._thank_you_campaign()
        self._order(opted, self.TODAY)
        self._order(listed, self.TODAY)
        opted.care_opt_out = True
        self.env["mail.blacklist"]._add(listed.email)
        self._run_care(self._days_ago(-1))
        reasons = {touch.partner_id: (touch.state, touch.reason) for touch in self._touches(campaign)}
        self.assertEqual(reasons[opted], ("skipped", "opt_out"))
        self.assertEqual(reasons[listed], ("skipped", "blacklisted"))

    # ------------------------------------------------------------------
    # Orders in both directions
    # ------------------------------------------------------------------

    def test_confirm_cancel_draft_confirm_the_touch_goes(self):
        partner = self._customer("Hesitant")
        campaign = self._thank_you_campaign(delay_days=1)
        order = self._order(partner, self.TODAY)
        with freeze_time(datetime.combine(self.TODAY, datetime.min.time()) + timedelta(hours=11)):
            order.action_cancel()
            self.assertEqual(
                (self._touches(campaign).state, self._touches(campaign).reason), ("skipped", "order_cancelled")
            )
            order.action_draft()
        with freeze_time(datetime.combine(self._days_ago(-2), datetime.min.time()) + timedelta(hours=9)):
            order.action_confirm()
        touch = self._touches(campaign)
        self.assertEqual(len(touch), 1)
        self.assertEqual((touch.state, touch.reason, touch.date_planned), ("planned", False, self._days_ago(-3)))
        self._run_care(self._days_ago(-1))
        self.assertEqual(touch.state, "planned", "due the day after the new confirmation")
        self._run_care(self._days_ago(-3))
        self.assertEqual(touch.state, "done")
        self.assertEqual(self._mails(touch).recipient_ids, partner)

    def test_cancelled_order_still_cancelled_at_send_time_sends_nothing(self):
        partner = self._customer("Cancelled For Good")
        campaign = self._thank_you_campaign(delay_days=1)
        order = self._order(partner, self.TODAY)
        with freeze_time(self.TODAY):
            order.action_cancel()
            order.action_draft()
        self._run_care(self._days_ago(-1))
        touch = self._touches(campaign)
        self.assertEqual((touch.state, touch.reason), ("skipped", "order_cancelled"))
        self.assertFalse(touch.mail_message_id)

    def test_order_cancelled_by_a_plain_write_is_skipped_at_send_time(self):
        partner = self._customer("Written Off")
        campaign = self._thank_you_campaign(delay_days=1)
        order = self._order(partner, self.TODAY)
        order.with_user(self.manager).write({"state": "cancel"})  # over RPC: no action_cancel
        self.assertEqual(self._touches(campaign).state, "planned")
        self._run_care(self._days_ago(-1))
        touch = self._touches(campaign)
        self.assertEqual((touch.state, touch.reason), ("skipped", "order_cancelled"))
        self.assertFalse(touch.mail_message_id)

    def test_order_confirmed_again_after_its_touch_was_sent_sends_nothing_twice(self):
        partner = self._customer("Thanked Once")
        campaign = self._thank_you_campaign(delay_days=1)
        order = self._order(partner, self.TODAY)
        self._run_care(self._days_ago(-1))
        touch = self._touches(campaign)
        self.assertEqual(touch.state, "done")
        with freeze_time(self._days_ago(-2)):
            order.action_cancel()
            order.action_draft()
            order.action_confirm()
        self._run_care(self._days_ago(-3))
        self.assertEqual(self._touches(campaign), touch)
        self.assertEqual(touch.state, "done")
        self.assertEqual(len(self._mails(touch)), 1)

    # ------------------------------------------------------------------
    # Retiring campaigns and steps
    # ------------------------------------------------------------------

    def test_retired_step_skips_its_planned_touches_and_plans_no_more(self):
        partner = self._customer("Retiree")
        campaign = self._campaign(
            "after_order",
            steps=[
                {"action": "email", "mail_template_id": self.thank_you_template.id, "delay_days": 1},
                {"action": "activity", "activity_type_id": self.visit_type.id, "delay_days": 5},
            ],
        )
        self._order(partner, self.TODAY)
        visit_step = campaign.step_ids.filtered(lambda s: s.action == "activity")
        visit_step.action_archive()
        visit = self._touches(campaign).filtered(lambda t: t.step_id == visit_step)
        self.assertEqual((visit.state, visit.reason), ("skipped", "retired"))
        self.assertEqual(campaign.step_ids, campaign.step_ids.filtered("active"))
        self._order(partner, self._days_ago(-1))
        self.assertEqual(len(self._touches(campaign).filtered(lambda t: t.step_id == visit_step)), 1)
        self._run_care(self._days_ago(-1))
        self._run_care(self._days_ago(-5))
        self.assertFalse(visit.activity_id)
        visits = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("activity_type_id", "=", self.visit_type.id),
            ]
        )
        self.assertFalse(visits)
        self.assertEqual(self._touches(campaign).filtered(lambda t: t.step_id != visit_step)[-1:].state, "done")

    def test_retired_campaign_restored_does_not_send_its_retired_touches(self):
        partner = self._customer("Paused")
        campaign = self._thank_you_campaign(delay_days=2)
        self._order(partner, self.TODAY)
        campaign.action_archive()
        campaign.action_unarchive()
        self._run_care(self._days_ago(-2))
        touch = self._touches(campaign)
        self.assertEqual((touch.state, touch.reason), ("skipped", "retired"))
        self.assertFalse(touch.mail_message_id)

    # ------------------------------------------------------------------
    # The workflow cannot be bypassed
    # ------------------------------------------------------------------

    def test_touch_state_cannot_be_written_by_hand(self):
        partner = self._customer("Vetoed", care_opt_out=True)
        campaign = self._thank_you_campaign()
        self._order(partner, self.TODAY)
        self._run_care(self._days_ago(-1))
        touch = self._touches(campaign)
        self.assertEqual((touch.state, touch.reason), ("skipped", "opt_out"))
        for user in (self.manager, self.salesman):
            for vals in (
                {"state": "done"},
                {"state": "planned", "reason": False},
                {"date_done": datetime(2026, 6, 16, 10, 0)},
                {"date_planned": self._days_ago(-9)},
            ):
                with self.assertRaises(AccessError):
                    touch.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            self.env["crm.care.touch"].with_user(self.manager).create(
                {
                    "campaign_id": campaign.id,
                    "step_id": campaign.step_ids.id,
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "occurrence_key": "by hand",
                    "date_planned": self.TODAY,
                    "state": "done",
                }
            )
        touch.invalidate_recordset()
        self.assertEqual((touch.state, touch.reason), ("skipped", "opt_out"))

    # ------------------------------------------------------------------
    # Work goes to people who are still here
    # ------------------------------------------------------------------

    def _birthday_partner(self, name, **vals):
        return self._customer(name, birthday=date(1990, 6, 15), **vals)

    def _activity_campaign(self, **vals):
        return self._campaign(
            "birthday",
            steps=[{"action": "activity", "activity_type_id": self.visit_type.id, "activity_summary": "Call"}],
            **vals,
        )

    def test_activity_skips_an_archived_salesperson(self):
        partner = self._birthday_partner("Orphaned", user_id=self.salesman.id)
        campaign = self._activity_campaign()
        self.salesman.action_archive()
        self._run_care(self.TODAY)
        activity = self._touches(campaign).activity_id
        self.assertEqual(activity.res_id, partner.id)
        self.assertEqual(activity.user_id, self.manager, "the campaign's responsible")

    def test_activity_skips_a_salesperson_of_another_company(self):
        self._birthday_partner("Abroad", user_id=self.salesman.id)
        campaign = self._activity_campaign()
        self.salesman.write({"company_ids": [Command.set(self.company_b.ids)], "company_id": self.company_b.id})
        self._run_care(self.TODAY)
        self.assertEqual(self._touches(campaign).activity_id.user_id, self.manager)

    def test_activity_goes_to_the_sales_team_leader_then_a_care_manager(self):
        leader = new_test_user(self.env, "care_team_leader", groups="sales_team.group_sale_salesman")
        team = self.env["crm.team"].create({"name": "Care Team", "user_id": leader.id})
        team.member_ids = [Command.link(self.salesman.id)]
        self._birthday_partner("Led", user_id=self.salesman.id)
        campaign = self._activity_campaign()
        self.salesman.action_archive()
        self.manager.action_archive()  # the campaign's responsible left too
        self._run_care(self.TODAY)
        self.assertEqual(self._touches(campaign).activity_id.user_id, leader)

        other = self._activity_campaign(name="Second")
        leader.action_archive()
        self._run_care(self._days_ago(-365))
        user = self._touches(other).activity_id.user_id
        self.assertTrue(user.active)
        self.assertIn(self.company, user.company_ids)
        self.assertIn(user, self.env.ref("crm_lifecycle.group_crm_care_manager").all_user_ids)

    def test_opportunity_and_salesperson_steps_skip_archived_step_users(self):
        partner = self._birthday_partner("Prospect", user_id=self.salesman.id)
        gone = new_test_user(self.env, "care_gone", groups="sales_team.group_sale_salesman")
        campaign = self._campaign(
            "birthday",
            steps=[
                {"action": "create_opportunity", "user_id": gone.id, "activity_summary": "Offer"},
                {"action": "assign_salesperson", "user_id": gone.id},
            ],
        )
        gone.action_archive()
        self._run_care(self.TODAY)
        touches = self._touches(campaign)
        self.assertEqual(set(touches.mapped("state")), {"done"})
        self.assertEqual(touches.lead_id.user_id, self.salesman)
        self.assertEqual(partner.user_id, self.salesman, "the archived user is not made salesperson")

    def test_opportunity_skips_a_step_user_of_another_company(self):
        self._birthday_partner("Courted", user_id=self.salesman.id)
        abroad = new_test_user(self.env, "care_abroad", groups="sales_team.group_sale_salesman")
        campaign = self._campaign(
            "birthday", steps=[{"action": "create_opportunity", "user_id": abroad.id, "activity_summary": "Offer"}]
        )
        # the step's user moves to another company after the step was set up (check_company refuses it before)
        abroad.write({"company_ids": [Command.set(self.company_b.ids)], "company_id": self.company_b.id})
        self._run_care(self.TODAY)
        lead = self._touches(campaign).lead_id
        self.assertEqual((lead.user_id, lead.company_id), (self.salesman, self.company))

    # ------------------------------------------------------------------
    # Emails in the campaign's company
    # ------------------------------------------------------------------

    def test_birthday_email_of_company_b_is_sent_from_company_b(self):
        partner = self._birthday_partner("No Company")
        self.assertFalse(partner.company_id)
        campaign = self._campaign("birthday", company_id=self.company_b.id, user_id=self.env.user.id)
        self.assertEqual(self.env.company, self.company, "the cron runs as the main company's bot")
        self._run_care(self.TODAY)
        touch = self._touches(campaign)
        self.assertEqual(touch.state, "done")
        mail = self._mails(touch)
        self.assertIn("care@sister.example.com", mail.email_from)
        self.assertNotIn("main.example.com", mail.email_from)
