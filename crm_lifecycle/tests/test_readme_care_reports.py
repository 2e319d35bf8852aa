"""README promises of the care campaigns' screens and data: Care Touches and Care Conversions reports,
Upcoming Birthdays, the occasions' dates (lunar dates written out for 2026-2030)."""

from datetime import date, timedelta

from odoo.tests import tagged

from .care_common import CareCase
from .readme_views import ReadmeViewMixin


@tagged("post_install", "-at_install")
class TestReadmeCareReports(ReadmeViewMixin, CareCase):
    def test_care_touches_per_campaign_state_and_month(self):
        done = self._customer("Greeted", birthday=date(1990, 6, 15))
        opted_out = self._customer("Opted Out", birthday=date(1991, 6, 15), care_opt_out=True)
        july = self._customer("July Child", birthday=date(1992, 7, 2))
        birthday = self._campaign("birthday", name="Birthdays")
        self._run_care(self.TODAY)
        self._run_care(date(2026, 7, 2))
        action = self._menu_action("crm_lifecycle.crm_care_touch_analysis_menu", self.salesman)
        self.assertEqual(action["view_mode"].split(",")[0], "pivot")
        arch = self._view_arch(action["res_model"], "pivot", self.salesman, self._action_view_id(action, "pivot"))
        rows, cols, __ = self._pivot_spec(arch)
        self.assertEqual((rows, cols), (["campaign_id"], ["date_planned:month", "state"]))
        grid = self._grid(
            action, self.salesman, self.TODAY, extra_domain=[("partner_id", "in", (done | opted_out | july).ids)]
        )
        self.assertEqual(
            {key: values["__count"] for key, values in grid.items()},
            {
                (birthday.id, "2026-06-01", "done"): 1,
                (birthday.id, "2026-06-01", "skipped"): 1,
                (birthday.id, "2026-07-01", "done"): 1,
            },
        )
        skipped = self._search_with_filter(action, "reason_opt_out", self.salesman, self.TODAY)
        self.assertEqual(skipped.partner_id, opted_out, "the skipped touch keeps its reason")

    def test_care_conversions_per_campaign(self):
        buyer = self._customer("Buyer", birthday=date(1990, 6, 15))
        idle = self._customer("Idle", birthday=date(1990, 6, 15))
        birthday = self._campaign("birthday", name="Birthdays")
        self._run_care(self.TODAY)
        self._order(buyer, self.TODAY + timedelta(days=13), amount=300)
        self._order(idle, self.TODAY + timedelta(days=15), amount=999)  # after the 14-day window
        action = self._menu_action("crm_lifecycle.crm_care_conversion_menu", self.salesman)
        grid = self._grid(action, self.salesman, self.TODAY, groupby=["campaign_id"])
        self.assertEqual(grid[(birthday.id,)]["__count"], 1)
        self.assertEqual(grid[(birthday.id,)]["amount"], 300)
        rows, __, measures = self._pivot_spec(
            self._view_arch(action["res_model"], "pivot", self.salesman, self._action_view_id(action, "pivot"))
        )
        self.assertEqual((rows, measures), (["campaign_id"], ["amount"]), "revenue per campaign")

    def test_upcoming_birthdays_lists_the_next_30_days(self):
        today = self._customer("Today", birthday=date(1980, 6, 15))
        in_30 = self._customer("In 30 Days", birthday=date(1985, 7, 15))
        in_31 = self._customer("In 31 Days", birthday=date(1985, 7, 16))
        yesterday = self._customer("Yesterday", birthday=date(1985, 6, 14))
        self._run_care(self.TODAY)  # keeps next_birthday up to date
        self.assertEqual(yesterday.next_birthday, date(2027, 6, 14), "a birthday just past rolls to next year")
        action = self._menu_action("crm_lifecycle.crm_care_birthday_menu", self.salesman)
        self.assertEqual(action["view_mode"], "list,calendar,form")
        calendar = self._view_arch("res.partner", "calendar", self.salesman, self._action_view_id(action, "calendar"))
        self.assertEqual(calendar.get("date_start"), "next_birthday")
        listed = (
            self.env["res.partner"]
            .with_user(self.salesman)
            .search(self._action_domain(action, self.TODAY, self.salesman))
        )
        ours = today | in_30 | in_31 | yesterday
        self.assertEqual(listed & ours, today | in_30)

    def test_occasions_have_their_dates_of_2026_to_2030(self):
        def occasion(xmlid):
            return {d.date for d in self.env.ref(f"crm_lifecycle.crm_care_occasion_{xmlid}").date_ids}

        def nth_sunday(year, month, nth):
            first = date(year, month, 1)
            return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (nth - 1))

        years = range(2026, 2031)
        # Chinese New Year and Mid-Autumn (15th day of the 8th lunar month), as published by the Hong Kong
        # Observatory's Gregorian-lunar calendar conversion tables.
        self.assertEqual(
            occasion("spring_festival"),
            {date(2026, 2, 17), date(2027, 2, 6), date(2028, 1, 26), date(2029, 2, 13), date(2030, 2, 3)},
        )
        self.assertEqual(
            occasion("mid_autumn"),
            {date(2026, 9, 25), date(2027, 9, 15), date(2028, 10, 3), date(2029, 9, 22), date(2030, 9, 12)},
        )
        self.assertEqual(occasion("new_year"), {date(y, 1, 1) for y in years})
        self.assertEqual(occasion("mothers_day"), {nth_sunday(y, 5, 2) for y in years})
        self.assertEqual(occasion("fathers_day"), {nth_sunday(y, 6, 3) for y in years})
        self.assertEqual(occasion("singles_day"), {date(y, 11, 11) for y in years})
        self.assertEqual(occasion("christmas"), {date(y, 12, 25) for y in years})
        self.env.ref("crm_lifecycle.crm_care_occasion_menu")  # Campaigns > Occasions, to add later years
        action = self._menu_action("crm_lifecycle.crm_care_occasion_menu", self.manager)
        self.assertEqual(action["res_model"], "crm.care.occasion")
