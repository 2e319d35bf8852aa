from datetime import date, datetime

from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .care_common import CareCase
from .common import frozen

# 23:30 UTC on 1 March 2026: already 2 March (07:30) in Shanghai, still 1 March in UTC and in America.
LATE_EVENING_UTC = datetime(2026, 3, 1, 23, 30)


@tagged("post_install", "-at_install")
class TestBusinessTimeZone(CareCase):
    """Every business date is a day of the company's Business Time Zone, whoever triggers the computation:
    a salesperson in Shanghai, one in California, or the nightly job running as the bot in UTC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shanghai_user = new_test_user(
            cls.env, "tz_shanghai", groups="sales_team.group_sale_salesman", name="Shanghai Sales", tz="Asia/Shanghai"
        )
        cls.us_user = new_test_user(
            cls.env, "tz_us", groups="sales_team.group_sale_salesman", name="US Sales", tz="America/Los_Angeles"
        )
        cls.users = cls.shanghai_user | cls.us_user

    def _confirm_as(self, user, partner, moment=LATE_EVENING_UTC):
        """A quotation made and confirmed by `user` at `moment` (both clocks frozen)."""
        with frozen(self.env, moment):
            order = (
                self.env["sale.order"]
                .with_user(user)
                .create(
                    {
                        "partner_id": partner.id,
                        "order_line": [Command.create({"product_id": self.product.id, "price_unit": 100.0})],
                    }
                )
            )
            order.action_confirm()
            self.env.flush_all()
        self.env.invalidate_all()
        return order

    def test_company_time_zone_comes_from_the_address_and_settings(self):
        self.assertEqual(self.company.crm_care_tz, "Asia/Shanghai")
        company = self.env["res.company"].create({"name": "Address Zone Co"})
        self.assertEqual(company.crm_care_tz, "UTC", "no time zone on the address: UTC")
        company.partner_id.tz = "Europe/Berlin"
        self.assertEqual(company.crm_care_tz, "Europe/Berlin", "taken from the company's address")
        settings = Form(self.env["res.config.settings"].with_company(company))
        settings.crm_care_tz = "Asia/Tokyo"
        settings.save().execute()
        self.assertEqual(company.crm_care_tz, "Asia/Tokyo", "chosen in Settings")
        with frozen(self.env, LATE_EVENING_UTC):
            self.assertEqual(company._get_lifecycle_today(), (date(2026, 3, 2), "Asia/Tokyo"))

    def test_today_is_the_company_day_for_every_user(self):
        with frozen(self.env, LATE_EVENING_UTC):
            for user in self.env.user | self.users:
                company = self.company.with_user(user).with_context(tz=user.tz)
                self.assertEqual(company._get_lifecycle_today(), (date(2026, 3, 2), "Asia/Shanghai"), user.name)
            self._use_utc_company()
            for user in self.env.user | self.users:
                company = self.company.with_user(user).with_context(tz=user.tz)
                self.assertEqual(company._get_lifecycle_today(), (date(2026, 3, 1), "UTC"), user.name)

    def _assert_dated(self, partner, day):
        self.assertEqual(partner.first_order_date, day)
        self.assertEqual(partner.last_order_date, day)
        self.assertEqual(partner.lifecycle_stage_id, self.stage["new"])
        self.assertEqual(partner.lifecycle_stage_date, day)
        history = self.env["crm.lifecycle.history"].search([("partner_id", "=", partner.id)])
        self.assertEqual(history.mapped("date"), [day])

    def test_order_at_2330_utc_is_dated_2_march_in_a_shanghai_company(self):
        by_shanghai = self._customer("Shanghai Buyer")
        by_us = self._customer("US Buyer")
        self._confirm_as(self.shanghai_user, by_shanghai)
        self._confirm_as(self.us_user, by_us)
        self._assert_dated(by_shanghai, date(2026, 3, 2))
        self._assert_dated(by_us, date(2026, 3, 2))
        # The nightly run, as the bot in UTC, computes the same dates: nothing to change.
        self._run_cron(datetime(2026, 3, 2, 1, 0))
        self._assert_dated(by_shanghai, date(2026, 3, 2))
        self._assert_dated(by_us, date(2026, 3, 2))

    def test_order_at_2330_utc_is_dated_1_march_in_a_utc_company(self):
        self._use_utc_company()
        by_shanghai = self._customer("Shanghai Buyer")
        by_us = self._customer("US Buyer")
        self._confirm_as(self.shanghai_user, by_shanghai)
        self._confirm_as(self.us_user, by_us)
        self._assert_dated(by_shanghai, date(2026, 3, 1))
        self._assert_dated(by_us, date(2026, 3, 1))
        self._run_cron(datetime(2026, 3, 2, 1, 0))
        self._assert_dated(by_shanghai, date(2026, 3, 1))
        self._assert_dated(by_us, date(2026, 3, 1))

    def test_next_birthday_is_counted_from_the_company_day(self):
        # 20:00 UTC on 1 March: 2 March in Shanghai, still 1 March (noon) for the Californian user.
        with frozen(self.env, datetime(2026, 3, 1, 20, 0)):
            contact = self.env["res.partner"].with_user(self.us_user).create({"name": "Birthday Girl"})
            contact.birthday = date(1990, 3, 1)
            self.assertEqual(contact.next_birthday, date(2027, 3, 1), "1 March has passed in Shanghai")
            self._use_utc_company()
            contact.with_user(self.shanghai_user).birthday = date(1991, 3, 1)
            self.assertEqual(contact.next_birthday, date(2026, 3, 1), "still 1 March in a UTC company")

    def test_after_order_touch_planned_on_the_company_day(self):
        campaign = self._campaign(
            "after_order", steps=[{"action": "email", "mail_template_id": self.thank_you_template.id, "delay_days": 1}]
        )
        order = self._confirm_as(self.us_user, self._customer("Thanked Buyer"))
        self.assertEqual(self._touches(campaign).date_planned, date(2026, 3, 3), "the day after 2 March")
        # Planned by the daily job (an order confirmed before the campaign existed): the same day.
        late = self._campaign(
            "after_order", steps=[{"action": "email", "mail_template_id": self.thank_you_template.id, "delay_days": 1}]
        )
        self._run_care(date(2026, 3, 2))
        self.assertFalse(self._touches(late), "not due yet on 2 March")
        self._run_care(date(2026, 3, 3))
        self.assertEqual(self._touches(late).order_id, order)
        self.assertEqual(self._touches(late).date_planned, date(2026, 3, 3))

    def test_contact_pressure_counts_company_days(self):
        partner = self._customer("Pressured", birthday=date(1990, 3, 4))
        self.company.care_min_gap_days = 2
        # A care message done at 20:00 UTC on 1 March: 2 March in Shanghai, the day before the birthday run.
        past = self._history_touch(partner, 0)
        past.date_done = datetime(2026, 3, 1, 20, 0)
        campaign = self._campaign("birthday", lead_days=1)
        self._run_care(date(2026, 3, 3))
        touch = self._touches(campaign)
        self.assertEqual((touch.state, touch.reason), ("skipped", "pressure_gap"), "2 March is within two days")

    def test_contact_pressure_counts_utc_days_in_a_utc_company(self):
        self._use_utc_company()
        partner = self._customer("Not Pressured", birthday=date(1990, 3, 4))
        self.company.care_min_gap_days = 2
        past = self._history_touch(partner, 0)
        past.date_done = datetime(2026, 3, 1, 20, 0)  # 1 March in UTC: more than a day before 3 March
        campaign = self._campaign("birthday", lead_days=1)
        self._run_care(date(2026, 3, 3))
        self.assertEqual(self._touches(campaign).state, "done")

    def test_next_birthdays_move_on_when_the_day_ends_in_every_company(self):
        with frozen(self.env, datetime(2026, 2, 20, 12, 0)):
            in_new_york = self.env["res.partner"].create(
                {"name": "New York Contact", "company_id": self.company_2.id, "birthday": date(1990, 3, 1)}
            )
            self.env.flush_all()  # stored computes run at flush: on that day
        self.assertEqual(in_new_york.next_birthday, date(2026, 3, 1))
        # 03:00 UTC on 2 March: 11:00 on 2 March in Shanghai, still 22:00 on 1 March in New York.
        self._run_care(date(2026, 3, 2))
        self.assertEqual(in_new_york.next_birthday, date(2026, 3, 1), "still her birthday in New York")
        self._run_care(date(2026, 3, 3))
        self.assertEqual(in_new_york.next_birthday, date(2027, 3, 1))
