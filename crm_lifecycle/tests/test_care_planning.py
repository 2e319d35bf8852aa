from datetime import date, timedelta

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from .care_common import CareCase
from .common import frozen


@tagged("post_install", "-at_install")
class TestCarePlanning(CareCase):
    """Each kind of campaign plans its touches on the right day, and only then, once."""

    def _days(self, campaign, days, partner=None):
        """Run the care cron day by day; returns the number of touches (of partner) after each day."""
        counts = []
        for day in days:
            self._run_care(day)
            touches = self._touches(campaign)
            counts.append(len(touches.filtered(lambda t: not partner or t.partner_id == partner)))
        return counts

    def test_birthday_fires_on_the_day_only(self):
        partner = self._customer("Birthday Girl", birthday=date(1990, 6, 20))
        self._customer("Other Day", birthday=date(1990, 6, 21))
        campaign = self._campaign("birthday")
        days = [date(2026, 6, 18), date(2026, 6, 19), date(2026, 6, 20), date(2026, 6, 21)]
        self.assertEqual(self._days(campaign, days, partner), [0, 0, 1, 1])
        touch = self._touches(campaign).filtered(lambda t: t.partner_id == partner)
        self.assertEqual(touch.occurrence_key, "2026")
        self.assertEqual(touch.date_planned, date(2026, 6, 20))
        self.assertEqual(touch.state, "done")
        self.assertTrue(touch.mail_message_id)
        self.assertEqual(len(self._touches(campaign)), 2, "the other birthday the next day")

    def test_birthday_lead_days(self):
        partner = self._customer("Early", birthday=date(1985, 6, 20))
        campaign = self._campaign("birthday", lead_days=3)
        days = [date(2026, 6, 16), date(2026, 6, 17), date(2026, 6, 18), date(2026, 6, 20)]
        self.assertEqual(self._days(campaign, days, partner), [0, 1, 1, 1])
        self.assertEqual(self._touches(campaign).date_planned, date(2026, 6, 17))

    def test_birthday_uses_the_company_timezone(self):
        """At 03:00 UTC on 19 June it is already 20 June in Shanghai (UTC+8) but not yet in New York."""
        partner = self._customer("Zoned", birthday=date(1990, 6, 20))
        campaign = self._campaign("birthday")
        self.company.partner_id.tz = "America/New_York"
        with frozen(self.env, "2026-06-20 03:00:00"), self._no_commit():
            self.env["crm.care.campaign"]._cron_care()
        self.assertFalse(self._touches(campaign), "still 19 June in New York")
        self.company.partner_id.tz = "Asia/Shanghai"
        with frozen(self.env, "2026-06-19 20:00:00"), self._no_commit():
            self.env["crm.care.campaign"]._cron_care()
        self.assertEqual(self._touches(campaign).partner_id, partner, "already 20 June in Shanghai")

    def test_29_february_is_greeted_on_28_february_in_other_years(self):
        leap = self._customer("Leap Day", birthday=date(2000, 2, 29))
        campaign = self._campaign("birthday")
        self._run_care(date(2027, 2, 27))
        self.assertFalse(self._touches(campaign))
        self._run_care(date(2027, 2, 28))
        self.assertEqual(self._touches(campaign).mapped("occurrence_key"), ["2027"])
        self._run_care(date(2027, 3, 1))
        self._run_care(date(2028, 2, 28))
        self.assertEqual(len(self._touches(campaign)), 1, "in a leap year, 28 February is not the day")
        self._run_care(date(2028, 2, 29))
        self.assertEqual(self._touches(campaign).mapped("occurrence_key"), ["2027", "2028"])
        self.assertEqual(self._touches(campaign).partner_id, leap)
        with frozen(self.env, "2027-03-01"):
            leap.invalidate_recordset(["next_birthday"])
            leap._compute_next_birthday()
            self.assertEqual(leap.next_birthday, date(2028, 2, 29))

    def test_next_birthday_rolls_forward(self):
        partner = self._customer("Roll", birthday=date(1990, 6, 10))
        with frozen(self.env, "2026-06-01"):
            partner._compute_next_birthday()
        self.assertEqual(partner.next_birthday, date(2026, 6, 10))
        # 03:00 UTC on 11 June: still 10 June in the second company (New York), so it waits.
        self._run_care(date(2026, 6, 11))
        self.assertEqual(partner.next_birthday, date(2026, 6, 10))
        self._run_care(date(2026, 6, 12))
        self.assertEqual(partner.next_birthday, date(2027, 6, 10))

    def test_next_birthday_column_is_filled_in_sql_at_installation(self):
        """Installing on a database whose partners already have birthdays fills next_birthday in one
        statement (no per-partner compute, which takes minutes at a million partners)."""
        born = self._customer("Born Earlier", birthday=date(1990, 6, 10))
        leap = self._customer("Leap Earlier", birthday=date(2000, 2, 29))
        unknown = self._customer("No Birthday")
        self.env.flush_all()
        self.env.cr.execute("ALTER TABLE res_partner DROP COLUMN next_birthday")
        with frozen(self.env, "2026-06-11"):
            self.env["res.partner"]._care_init_next_birthday_column()
        self.env.invalidate_all()
        self.assertEqual(born.next_birthday, date(2027, 6, 10))
        self.assertEqual(leap.next_birthday, date(2027, 2, 28))
        self.assertFalse(unknown.next_birthday)

    def test_purchase_anniversary(self):
        partner = self._customer("Anniversary")
        self._order(partner, date(2025, 6, 20))
        campaign = self._campaign("purchase_anniversary")
        days = [date(2026, 6, 19), date(2026, 6, 20), date(2026, 6, 21)]
        self.assertEqual(self._days(campaign, days, partner), [0, 1, 1])
        self.assertEqual(self._touches(campaign).occurrence_key, "2026")

    def test_after_order_steps_on_their_days(self):
        partner = self._customer("Buyer", user_id=self.salesman.id)
        campaign = self._campaign(
            "after_order",
            steps=[
                {"action": "email", "mail_template_id": self.thank_you_template.id, "delay_days": 1},
                {
                    "action": "activity",
                    "activity_type_id": self.visit_type.id,
                    "delay_days": 7,
                    "activity_summary": "Visit",
                    "respect_pressure": False,
                },
            ],
        )
        order = self._order(partner, self.TODAY)
        touches = self._touches(campaign)
        self.assertEqual(touches.mapped("date_planned"), [self._days_ago(-1), self._days_ago(-7)])
        self.assertEqual(touches.order_id, order)
        self.assertEqual(set(touches.mapped("occurrence_key")), {str(order.id)})
        self._run_care(self.TODAY)
        self.assertEqual(touches.mapped("state"), ["planned", "planned"])
        self._run_care(self._days_ago(-1))
        self.assertEqual(touches.mapped("state"), ["done", "planned"])
        self._run_care(self._days_ago(-6))
        self.assertEqual(touches.mapped("state"), ["done", "planned"])
        self._run_care(self._days_ago(-7))
        self.assertEqual(touches.mapped("state"), ["done", "done"])
        self.assertEqual(touches[1].activity_id.user_id, self.salesman)
        self.assertEqual(touches[1].activity_id.activity_type_id, self.visit_type)
        self.assertEqual(len(self._touches(campaign)), 2, "the cron plans nothing more for the order")

    def test_after_order_planned_by_the_cron_for_orders_before_the_campaign(self):
        partner = self._customer("Early Buyer")
        order = self._order(partner, self.TODAY)
        campaign = self._campaign(
            "after_order", steps=[{"action": "email", "mail_template_id": self.thank_you_template.id, "delay_days": 2}]
        )
        self._run_care(self._days_ago(-1))
        self.assertFalse(self._touches(campaign))
        self._run_care(self._days_ago(-2))
        self.assertEqual(self._touches(campaign).order_id, order)
        self.assertEqual(self._touches(campaign).state, "done")

    def test_cancelled_order_cancels_its_planned_touches(self):
        partner = self._customer("Canceller")
        campaign = self._campaign(
            "after_order", steps=[{"action": "email", "mail_template_id": self.thank_you_template.id, "delay_days": 1}]
        )
        order = self._order(partner, self.TODAY)
        kept = self._order(partner, self.TODAY)
        with frozen(self.env, self.TODAY):
            order._action_cancel()
        self._run_care(self._days_ago(-1))
        cancelled = self._touches(campaign).filtered(lambda t: t.order_id == order)
        self.assertEqual((cancelled.state, cancelled.reason), ("skipped", "order_cancelled"))
        self.assertFalse(cancelled.mail_message_id)
        self.assertEqual(self._touches(campaign).filtered(lambda t: t.order_id == kept).state, "done")

    def test_periodic_every_interval_for_members(self):
        vip = self._customer("VIP")
        segment = self.env["crm.segment"].create({"name": "Only VIP", "domain": f"[('id', '=', {vip.id})]"})
        with frozen(self.env, date(2026, 6, 1)):
            segment._refresh_members()
        campaign = self._campaign("periodic", segment_id=segment.id, interval_days=7)
        days = [date(2026, 6, 7), date(2026, 6, 8), date(2026, 6, 9), date(2026, 6, 14), date(2026, 6, 15)]
        self.assertEqual(self._days(campaign, days), [0, 1, 1, 1, 2])
        self.assertEqual(self._touches(campaign).mapped("occurrence_key"), ["2026-06-08", "2026-06-15"])

    def test_occasion_lead_days_before_each_date(self):
        customer = self._customer("Festive")
        self._order(customer, self._days_ago(10))
        occasion = self.env["crm.care.occasion"].create(
            {"name": "Test Day", "date_ids": [(0, 0, {"date": date(2026, 6, 20)}), (0, 0, {"date": date(2027, 6, 9)})]}
        )
        campaign = self._campaign("occasion", occasion_id=occasion.id, lead_days=2)
        days = [date(2026, 6, 17), date(2026, 6, 18), date(2026, 6, 19), date(2026, 6, 20)]
        self.assertEqual(self._days(campaign, days, customer), [0, 1, 1, 1])
        self.assertEqual(self._touches(campaign).occurrence_key, "2026-06-20")

    def test_segment_entry_and_exit_events(self):
        big = self._customer("Big Buyer")
        segment = self.env["crm.segment"].create({"name": "Big", "domain": "[('total_revenue', '>=', 1000)]"})
        entry = self._campaign("segment_entry", segment_id=segment.id)
        exit_ = self._campaign("segment_exit", segment_id=segment.id)
        self._run_care(self._days_ago(1))
        self.assertFalse(self._touches(entry))
        order = self._order(big, self.TODAY, amount=5000)
        self._run_care(self.TODAY)  # the cron refreshes the segment: big entered today
        self.assertEqual(self._touches(entry).partner_id, big)
        self.assertFalse(self._touches(exit_))
        with frozen(self.env, self.TODAY):
            order._action_cancel()
        self._run_care(self._days_ago(-1))
        self.assertEqual(len(self._touches(entry)), 1)
        stay = self.env["crm.segment.member"].search([("segment_id", "=", segment.id)])
        self.assertEqual(stay.date_left, self._days_ago(-1))
        self.assertEqual(self._touches(exit_).partner_id, big)
        self.assertEqual(self._touches(exit_).occurrence_key, str(stay.id))
        self._run_care(self._days_ago(-2))
        self.assertEqual(len(self._touches(exit_)), 1)

    def test_stage_entry_from_stage_history(self):
        drifting = self._customer("Drifting")
        self._order(drifting, self._days_ago(200))
        campaign = self._campaign("stage_entry", stage_id=self.stage["at_risk"].id)
        self._run_cron(self.TODAY)  # lifecycle refresh: 200 days without order is at risk
        self.assertEqual(drifting.lifecycle_stage_id, self.stage["at_risk"])
        history = self.env["crm.lifecycle.history"].search(
            [("partner_id", "=", drifting.id), ("to_stage_id", "=", self.stage["at_risk"].id)]
        )
        self._run_care(self.TODAY)
        self.assertEqual(self._touches(campaign).partner_id, drifting)
        self.assertEqual(self._touches(campaign).occurrence_key, str(history.id))
        self._run_care(self._days_ago(-1))
        self.assertEqual(len(self._touches(campaign)), 1)

    def test_rerun_plans_nothing_new(self):
        for index in range(3):
            self._customer(f"Twin {index}", birthday=date(1990, 6, 15))
        campaign = self._campaign("birthday")
        self._run_care(self.TODAY)
        touches = self._touches(campaign)
        self.assertEqual(len(touches), 3)
        self._run_care(self.TODAY)
        self.assertEqual(self._touches(campaign), touches)
        # Even when the day's planning itself runs again (another worker, a lost progress mark).
        self.assertEqual(campaign._plan_day(self.TODAY, "UTC"), 0)
        campaign.date_last_planned = False
        self._run_care(self.TODAY)
        self.assertEqual(self._touches(campaign), touches)
        self.assertEqual(set(touches.mapped("state")), {"done"})

    def test_archived_campaign_plans_nothing_and_keeps_its_touches(self):
        self._customer("Archived Fan", birthday=date(1990, 6, 18))
        partner = self._customer("Ordered")
        campaign = self._campaign(
            "after_order", steps=[{"action": "email", "mail_template_id": self.thank_you_template.id, "delay_days": 3}]
        )
        self._order(partner, self.TODAY)
        planned = self._touches(campaign)
        self.assertEqual(len(planned), 1)
        campaign.action_archive()
        birthday = self._campaign("birthday", active=False)
        self._run_care(self._days_ago(-3))
        self._run_care(self._days_ago(-4))
        self.assertFalse(self._touches(birthday))
        self.assertEqual((planned.state, planned.reason), ("skipped", "retired"), "kept in the log, never sent")
        self.assertFalse(planned.mail_message_id)
        self._order(partner, self._days_ago(-4))
        self.assertEqual(self._touches(campaign), planned, "no touch planned for the new order")

    def test_campaign_dates_bound_planning(self):
        self._customer("Bounded", birthday=date(1990, 6, 16))
        campaign = self._campaign("birthday", date_start=date(2026, 6, 17))
        self._run_care(self._days_ago(-1))
        self.assertFalse(self._touches(campaign))

    def test_invalid_audience_domain_is_refused(self):
        segment = self.env["crm.segment"].create({"name": "Soon broken", "domain": "[('name', '!=', False)]"})
        # A domain that became invalid after it was saved (e.g. a removed field), written behind the ORM.
        self.env.flush_all()
        self.env.cr.execute(
            SQL("UPDATE crm_segment SET domain = %s WHERE id = %s", "[('gone_field', '=', 1)]", segment.id)
        )
        segment.invalidate_recordset(["domain"])
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self._campaign("segment_entry", segment_id=segment.id)
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.env["crm.segment"].create({"name": "Broken", "domain": "[('name', '=', "})

    def test_kind_settings_are_required(self):
        with self.assertRaisesRegex(ValidationError, "needs a segment"):
            self._campaign("periodic")
        with self.assertRaisesRegex(ValidationError, "needs a lifecycle stage"):
            self._campaign("stage_entry")
        with self.assertRaisesRegex(ValidationError, "needs an occasion"):
            self._campaign("occasion")
        with self.assertRaisesRegex(ValidationError, "needs a value for Email Template"):
            self._campaign("birthday", steps=[{"action": "email"}])

    def test_birthday_is_refused_in_the_future_or_before_1900(self):
        with frozen(self.env, self.TODAY):
            with self.assertRaisesRegex(ValidationError, "future"):
                self._customer("Unborn", birthday=self.TODAY + timedelta(days=1))
            with self.assertRaisesRegex(ValidationError, "1900"):
                self._customer("Ancient", birthday=date(1899, 12, 31))
            self._customer("Born Today", birthday=self.TODAY)
