"""README promises of crm_loyalty's benefits, notifications and screens: the order shows the tier and the
multiplier, the card history line's text, no email on joining at the lowest tier, the
Members kanban/list/filters, Tier Moves, Tier Migration, Revenue by Tier, the Membership tab and the crons."""

from datetime import date, datetime, time
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import Form, tagged

from odoo.addons.crm_lifecycle.tests.readme_views import ReadmeViewMixin

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestReadmeBenefits(ReadmeViewMixin, LoyaltyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._membership_program()

    def test_the_order_shows_tier_and_multiplier_and_the_card_line_says_why(self):
        partner = self._customer("Gold Buyer")
        self._order(partner, self.TODAY, amount=21000)
        self.assertEqual(partner.loyalty_tier_id, self.gold)
        order = self._order(partner, self._day(1), amount=1000)
        arch = self._view_arch("sale.order", "form", self.salesman)
        other_info = arch.find(".//page[@name='other_information']")
        for name in ("loyalty_tier_id", "loyalty_points_multiplier"):
            self.assertIsNotNone(other_info.find(f".//field[@name='{name}']"), f"{name} in Other Info")
        self.assertTrue(arch.findall(".//field[@name='partner_loyalty_tier_id']"), "the tier badge on the order")
        form = Form(order.with_user(self.manager))
        self.assertEqual((form.loyalty_tier_id, form.loyalty_points_multiplier), (self.gold, 1.5))
        self.assertEqual(form.partner_loyalty_tier_id, self.gold)
        line = partner.loyalty_member_card_id.history_ids.filtered(lambda h: h.order_id == order.id)
        self.assertEqual(line.description, f"Order {order.name} (Gold tier: points ×1.5)")

    def _earn(self, partner, on, amount):
        """An order confirmed on day `on`: its card history line is dated by the transaction clock too."""
        moment = datetime.combine(on, time(10))
        with patch.object(self.env.cr, "now", lambda: moment):
            return self._order(partner, on, amount=amount)

    def test_points_expire_oldest_first_with_the_card_line_text(self):
        self.company.loyalty_points_validity_months = 12
        partner = self._customer("Saver")
        # One point per currency unit of the order as Odoo's loyalty counts it (its total, taxes included).
        old_lot = self._earn(partner, date(2026, 2, 1), 300).amount_total
        new_lot = self._earn(partner, date(2026, 5, 1), 200).amount_total
        card = partner.loyalty_member_card_id
        self.assertEqual(card.points, old_lot + new_lot)
        with freeze_time(date(2027, 1, 31)), self._no_commit():
            self.env["loyalty.card"]._cron_expire_loyalty_points()
        self.assertEqual(card.points, old_lot + new_lot, "nothing is older than 12 months yet")
        with freeze_time(date(2027, 2, 1)), self._no_commit():
            self.env["loyalty.card"]._cron_expire_loyalty_points()
        self.env.invalidate_all()
        self.assertEqual(card.points, new_lot, "the oldest lot expired, the newer one is left")
        line = card.history_ids.filtered("crm_loyalty_expiry_date")
        self.assertEqual((line.used, line.description), (old_lot, "Points earned up to 2026-02-01 expired"))

    def test_no_email_on_joining_the_lowest_tier_but_on_moves_up_and_down(self):
        partner = self._customer("Gentle Landing")
        self._order(partner, self.TODAY, amount=100)
        self.assertEqual(partner.loyalty_tier_id, self.member)
        self.assertFalse(self.env["mail.mail"].search([("model", "=", "res.partner"), ("res_id", "=", partner.id)]))
        self._order(partner, self._day(1), amount=6000)
        self.assertEqual(partner.loyalty_tier_id, self.silver)
        self.assertEqual(len(self._mails(partner, "crm_loyalty.mail_template_loyalty_upgrade")), 1)
        self._evaluate(self._day(1 + 2 * self.WINDOW))
        self.assertEqual(partner.loyalty_tier_id, self.member, "no spend: down one tier, to the lowest")
        self.assertEqual(self._history(partner)[-1].reason, "review")
        self.assertEqual(
            len(self._mails(partner, "crm_loyalty.mail_template_loyalty_downgrade")), 1, "moved down: a review email"
        )

    def test_review_date_is_one_window_after_the_upgrade(self):
        partner = self._customer("Reviewed")
        self._order(partner, self._day(10), amount=25000)
        self.assertEqual(partner.loyalty_review_date, self._day(10 + self.WINDOW))
        form = Form(partner.with_user(self.salesman))
        self.assertEqual(str(form.loyalty_review_date), str(self._day(10 + self.WINDOW)), "on the Membership tab")

    def test_membership_tab_progress_to_the_next_tier(self):
        partner = self._customer("Almost Gold")
        self._order(partner, self.TODAY, amount=16800)
        form = Form(partner.with_user(self.salesman))
        self.assertEqual(form.loyalty_tier_id, self.silver)
        self.assertEqual(form.loyalty_next_tier_id, self.gold)
        self.assertEqual(form.loyalty_spend_to_next_tier, 3200)
        symbol = self.company.currency_id.symbol
        self.assertIn("3,200.00", form.loyalty_progress_label)
        self.assertIn(symbol, form.loyalty_progress_label, "the amount in the company currency")
        self.assertTrue(form.loyalty_progress_label.endswith("more to reach Gold"))
        self.assertAlmostEqual(form.loyalty_progress, 100 * 16800 / 20000, places=0)
        moves = partner.with_user(self.salesman).action_view_loyalty_tier_history()
        self.assertEqual(self.env[moves["res_model"]].search(moves["domain"]), self._history(partner))

    def test_members_screens_and_filters(self):
        locked = self._customer("Locked Member")
        soon = self._customer("Review Soon")
        no_points = self._customer("No Points")
        self._order(locked, self.TODAY, amount=6000)
        self._order(soon, self._day(-340), amount=300)  # review in 25 days
        self._order(no_points, self.TODAY, amount=300).with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(no_points.loyalty_tier_id, self.member, "a member without points: cancelled, kept its tier")
        self.env["crm.loyalty.lock.wizard"].with_user(self.manager).create(
            {"partner_id": locked.id, "tier_id": self.gold.id, "reason": "VIP of the region"}
        ).action_apply()
        self.env.invalidate_all()
        action = self._menu_action("crm_loyalty.crm_loyalty_member_menu", self.salesman)
        self.assertEqual(action["view_mode"].split(",")[0], "kanban")
        kanban = self._view_arch("res.partner", "kanban", self.salesman, self._action_view_id(action, "kanban"))
        self.assertEqual(kanban.get("default_group_by"), "loyalty_tier_id", "kanban by tier")
        columns = {f.get("name") for f in kanban.iter("field")}
        self.assertLessEqual(
            {"loyalty_progress_label", "loyalty_review_date", "loyalty_points", "loyalty_qualifying_spend"}, columns
        )
        listed = {
            f.get("name")
            for f in self._view_arch("res.partner", "list", self.salesman, self._action_view_id(action, "list")).iter(
                "field"
            )
        }
        self.assertLessEqual(
            {"loyalty_qualifying_spend", "loyalty_qualifying_orders", "loyalty_points", "loyalty_review_date"}, listed
        )
        ours = locked | soon | no_points
        self.assertEqual(self._search_with_filter(action, "locked", self.salesman, self.TODAY) & ours, locked)
        self.assertEqual(self._search_with_filter(action, "review_soon", self.salesman, self.TODAY) & ours, soon)
        self.assertEqual(
            self._search_with_filter(action, "with_points", self.salesman, self.TODAY) & ours, locked | soon
        )

    def test_tier_moves_migration_and_revenue_by_tier(self):
        up = self._customer("Climber")
        down = self._customer("Faller")
        self._order(up, self.TODAY, amount=6000)
        self._order(up, self._day(40), amount=20000)
        self._order(down, self.TODAY, amount=21000)
        self._evaluate(self._day(self.WINDOW + 1))
        ours = [("partner_id", "in", (up | down).ids)]
        moves = self._menu_action("crm_loyalty.crm_loyalty_tier_moves_menu", self.salesman)
        rows, cols, __ = self._pivot_spec(
            self._view_arch(moves["res_model"], "pivot", self.salesman, self._action_view_id(moves, "pivot"))
        )
        self.assertEqual((rows, cols), (["date:month"], ["direction"]), "moves per month, up/down")
        grid = self._grid(moves, self.salesman, self.TODAY, groupby=["direction"], extra_domain=ours)
        self.assertEqual({key: value["__count"] for key, value in grid.items()}, {("up",): 3, ("down",): 1})
        migration = self._menu_action("crm_loyalty.crm_loyalty_tier_migration_menu", self.salesman)
        matrix = self._grid(migration, self.salesman, self.TODAY, extra_domain=ours)
        self.assertEqual(
            {key: value["__count"] for key, value in matrix.items()},
            {
                (False, self.silver.id): 1,
                (self.silver.id, self.gold.id): 1,
                (False, self.gold.id): 1,
                (self.gold.id, self.silver.id): 1,
            },
            "tier x tier: where members came from and went to",
        )
        revenue = self._menu_action("crm_loyalty.crm_loyalty_revenue_menu", self.salesman)
        by_tier = self._grid(
            revenue, self.salesman, self._day(self.WINDOW + 1), extra_domain=[("id", "in", (up | down).ids)]
        )
        self.assertEqual(
            {key: (value["__count"], value["total_revenue"]) for key, value in by_tier.items()},
            {(self.gold.id,): (1, 26000.0), (self.silver.id,): (1, 21000.0)},
        )

    def test_crons_evaluate_tiers_and_expire_points_every_night(self):
        jobs = [
            ("crm_loyalty.ir_cron_loyalty_evaluate_tiers", "crm.loyalty.run", "_cron_evaluate_tiers"),
            ("crm_loyalty.ir_cron_loyalty_expire_points", "loyalty.card", "_cron_expire_loyalty_points"),
        ]
        for xmlid, model, method in jobs:
            cron = self.env.ref(xmlid)
            self.assertTrue(cron.active)
            self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"), f"{xmlid} runs nightly")
            self.assertLess(cron.nextcall.hour, 6, f"{xmlid} runs at night")
            with patch.object(type(self.env[model]), method, autospec=True) as called:
                cron.ir_actions_server_id.run()
            self.assertEqual(called.call_count, 1, f"{xmlid} calls {model}.{method}")
        self.assertEqual(self.env.ref(jobs[0][0]).name, "Evaluate membership tiers")
        self.assertEqual(self.env.ref(jobs[1][0]).name, "Expire membership points")
        runs = self._menu_action("crm_loyalty.crm_loyalty_run_menu", self.manager)
        self.assertEqual(runs["res_model"], "crm.loyalty.run", "Configuration > Tier Evaluations")
