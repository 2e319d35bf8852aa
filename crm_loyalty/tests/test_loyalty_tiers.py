from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.common import frozen

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyTiers(LoyaltyCase):
    """Upgrade at once, downgrade only on review and by one tier, locks, mails."""

    def test_upgrade_on_order_confirmation_in_the_same_transaction(self):
        partner = self._customer("Quick Climber")
        self._order(partner, self.TODAY, amount=3000)
        self.assertEqual(partner.loyalty_tier_id, self.member, "the first order makes a member")
        self.assertEqual(partner.loyalty_qualifying_spend, 3000)
        self._order(partner, self._day(10), amount=2500)
        self.assertEqual(partner.loyalty_tier_id, self.silver, "5,500 in the window: Silver at confirmation")
        self.assertEqual(partner.loyalty_tier_since, self._day(10))
        self.assertEqual(partner.loyalty_review_date, self._day(10 + self.WINDOW))
        self.assertEqual(partner.loyalty_qualifying_orders, 2)
        history = self._history(partner)
        self.assertEqual(history.mapped("to_tier_id"), self.member + self.silver)
        self.assertEqual(history[-1].from_tier_id, self.member)
        self.assertEqual(history[-1].reason, "upgrade")
        self.assertEqual(history[-1].direction, "up")
        self.assertEqual(history[-1].qualifying_spend, 5500)
        self.assertEqual(partner.loyalty_next_tier_id, self.gold)
        self.assertEqual(partner.loyalty_spend_to_next_tier, 14500)
        self.assertIn("more to reach Gold", partner.loyalty_progress_label)
        self.assertAlmostEqual(partner.loyalty_progress, 27.5)

    def test_upgrade_skips_tiers_when_spend_allows(self):
        partner = self._customer("Big First Order")
        self._order(partner, self.TODAY, amount=25000)
        self.assertEqual(partner.loyalty_tier_id, self.gold)
        self.assertEqual(self._history(partner).from_tier_id, self.env["crm.loyalty.tier"])

    def test_min_orders_is_needed_too(self):
        partner = self._customer("Two Big Orders")
        self._order(partner, self.TODAY, amount=50000)
        self._order(partner, self._day(1), amount=50000)
        self.assertEqual(partner.loyalty_tier_id, self.gold, "Platinum needs 3 orders")
        self._order(partner, self._day(2), amount=10)
        self.assertEqual(partner.loyalty_tier_id, self.platinum)

    def test_nightly_run_upgrades_what_order_events_missed(self):
        partner = self._customer("Imported Orders")
        order = self._order(partner, self.TODAY, amount=6000, confirm=False)
        with frozen(self.env, self.TODAY):
            order.with_context(crm_lifecycle_no_refresh=True).action_confirm()
        self.assertFalse(partner.loyalty_tier_id)
        self._evaluate(self._day(1))
        self.assertEqual(partner.loyalty_tier_id, self.silver)
        self.assertEqual(partner.loyalty_tier_since, self._day(1))
        self.assertEqual(self._history(partner).reason, "upgrade")

    def test_no_downgrade_between_reviews_even_after_cancellation(self):
        partner = self._customer("Canceller")
        order = self._order(partner, self.TODAY, amount=21000)
        self.assertEqual(partner.loyalty_tier_id, self.gold)
        with frozen(self.env, self._day(5)):
            order._action_cancel()
        self.env.invalidate_all()
        self.assertEqual(partner.loyalty_qualifying_spend, 0, "the spend follows the cancellation")
        self.assertEqual(partner.loyalty_tier_id, self.gold, "but the tier waits for the review")
        for day in (6, 100, self.WINDOW - 1):
            self._evaluate(self._day(day))
            self.assertEqual(partner.loyalty_tier_id, self.gold, f"no downgrade on day {day}")
        self.assertEqual(partner.loyalty_review_date, self._day(self.WINDOW))
        self.assertEqual(len(self._history(partner)), 1)

    def test_review_downgrades_one_tier_at_a_time(self):
        partner = self._customer("Soft Lander")
        self._order(partner, self.TODAY, amount=30000)
        self._order(partner, self._day(1), amount=30000)
        self._order(partner, self._day(2), amount=30000)
        self.assertEqual(partner.loyalty_tier_id, self.platinum)
        review = self._day(2 + self.WINDOW)
        self.assertEqual(partner.loyalty_review_date, review)
        # Nothing ordered since: on the review date the customer qualifies for Member only, and lands on Gold.
        self._evaluate(review)
        self.assertEqual(partner.loyalty_tier_id, self.gold)
        self.assertEqual(partner.loyalty_tier_since, review)
        self.assertEqual(partner.loyalty_review_date, review + (review - self._day(2)))
        last = self._history(partner)[-1]
        self.assertEqual((last.from_tier_id, last.to_tier_id, last.reason), (self.platinum, self.gold, "review"))
        self.assertEqual(last.direction, "down")
        self._evaluate(partner.loyalty_review_date)
        self.assertEqual(partner.loyalty_tier_id, self.silver, "one more tier down at the next review")

    def test_requalification_on_review_keeps_the_tier(self):
        partner = self._customer("Faithful")
        self._order(partner, self.TODAY, amount=6000)
        self.assertEqual(partner.loyalty_tier_id, self.silver)
        self._order(partner, self._day(200), amount=5200)
        review = self._day(self.WINDOW)
        self._evaluate(review)
        self.assertEqual(partner.loyalty_tier_id, self.silver)
        self.assertEqual(partner.loyalty_tier_since, self.TODAY, "the tier goes on")
        self.assertEqual(partner.loyalty_review_date, review + (review - self.TODAY), "a new review date")
        self.assertEqual(partner.loyalty_qualifying_spend, 5200)
        self.assertEqual(len(self._history(partner)), 1, "keeping a tier is no move")

    def test_manual_tier_lock_and_its_expiry(self):
        partner = self._customer("Key Account")
        self._order(partner, self.TODAY, amount=100)
        self.assertEqual(partner.loyalty_tier_id, self.member)
        with frozen(self.env, self.TODAY):
            wizard = (
                self.env["crm.loyalty.lock.wizard"]
                .with_user(self.manager)
                .create(
                    {
                        "partner_id": partner.id,
                        "tier_id": self.gold.id,
                        "reason": "Strategic account",
                        "lock_until": self._day(30),
                    }
                )
            )
            wizard.action_apply()
        self.env.invalidate_all()
        self.assertEqual(partner.loyalty_tier_id, self.gold)
        self.assertTrue(partner.loyalty_tier_locked)
        self.assertEqual(partner.loyalty_lock_reason, "Strategic account")
        manual = self._history(partner)[-1]
        self.assertEqual((manual.reason, manual.user_id, manual.note), ("manual", self.manager, "Strategic account"))
        self.assertEqual(partner.property_product_pricelist, self.gold_pricelist, "a manual tier gives its pricelist")
        # Locked: neither the review rules nor new orders move it.
        self._evaluate(self._day(10))
        self._order(partner, self._day(20), amount=90000)
        self._order(partner, self._day(21), amount=1)
        self._order(partner, self._day(22), amount=1)
        self.assertEqual(partner.loyalty_tier_id, self.gold, "a lock holds upgrades too")
        self.assertEqual(partner.loyalty_qualifying_spend, 90102)
        # On the end date the lock lapses and the normal rules apply: here an upgrade.
        self._evaluate(self._day(30))
        self.assertFalse(partner.loyalty_tier_locked)
        self.assertFalse(partner.loyalty_lock_reason)
        self.assertEqual(partner.loyalty_tier_id, self.platinum)
        last = self._history(partner)[-1]
        self.assertEqual((last.from_tier_id, last.to_tier_id, last.reason), (self.gold, self.platinum, "lock_expired"))

    def test_lock_expiry_reviews_the_tier_with_a_soft_landing(self):
        partner = self._customer("Former VIP")
        self._order(partner, self.TODAY, amount=100)
        with frozen(self.env, self.TODAY):
            partner.with_user(self.manager)._loyalty_set_tier_manually(self.platinum, "Trade fair deal", self._day(60))
        self._evaluate(self._day(59))
        self.assertEqual(partner.loyalty_tier_id, self.platinum)
        self._evaluate(self._day(60))
        self.assertEqual(partner.loyalty_tier_id, self.gold, "one tier down when the lock lapses")
        self.assertEqual(self._history(partner)[-1].reason, "lock_expired")
        self.assertEqual(partner.loyalty_review_date, self._day(60 + self.WINDOW))

    def test_lock_without_end_date_holds_through_orders_and_nights(self):
        partner = self._customer("Open-ended Lock")
        self._order(partner, self.TODAY, amount=100)
        with frozen(self.env, self.TODAY):
            partner.with_user(self.manager)._loyalty_set_tier_manually(self.gold, "Board member")
        self._order(partner, self._day(5), amount=100)
        self._evaluate(self._day(400))
        self.env.invalidate_all()
        self.assertEqual(partner.loyalty_tier_id, self.gold)
        self.assertTrue(partner.loyalty_tier_locked, "a lock without end date never lapses by itself")
        self.assertEqual(partner.loyalty_lock_reason, "Board member")
        self.assertFalse(partner.loyalty_lock_until)

    def test_unlock_applies_the_rules_from_today(self):
        partner = self._customer("Unlocked")
        self._order(partner, self.TODAY, amount=100)
        with frozen(self.env, self.TODAY):
            partner.with_user(self.manager)._loyalty_set_tier_manually(self.gold, "Goodwill")
            self.assertFalse(partner.loyalty_lock_until)
            partner.with_user(self.manager).action_loyalty_unlock()
        self.assertFalse(partner.loyalty_tier_locked)
        self.assertEqual(partner.loyalty_tier_id, self.silver)

    def test_lock_needs_a_manager_a_reason_and_a_future_end(self):
        partner = self._customer("Lock Target")
        self._order(partner, self.TODAY, amount=100)
        with frozen(self.env, self.TODAY):
            with self.assertRaises(AccessError):
                partner.with_user(self.salesman)._loyalty_set_tier_manually(self.gold, "Because")
            with self.assertRaises(AccessError):
                partner.with_user(self.salesman).write({"loyalty_tier_locked": True, "loyalty_lock_reason": "x"})
            with self._refused(ValidationError, "needs a reason"):
                partner.with_user(self.manager)._loyalty_set_tier_manually(self.gold, "  ")
            with self._refused(ValidationError, "needs a reason"):
                partner.sudo().write({"loyalty_tier_locked": True, "loyalty_lock_reason": False})
            with self._refused(ValidationError, "after today"):
                partner.with_user(self.manager)._loyalty_set_tier_manually(self.gold, "Late", self.TODAY)
        self.assertEqual(partner.loyalty_tier_id, self.member)

    def test_contacts_carry_the_tier_of_their_company(self):
        company = self._customer("Tier Corp", is_company=True)
        contact = self._customer("Tier Buyer", parent_id=company.id)
        self._order(contact, self.TODAY, amount=6000)
        self.assertEqual(company.loyalty_tier_id, self.silver)
        self.assertEqual(contact.loyalty_tier_id, self.silver)
        self.assertEqual(contact.loyalty_review_date, company.loyalty_review_date)
        self.assertEqual(contact.loyalty_qualifying_spend, 6000)
        self.assertEqual(self._history(company).to_tier_id, self.silver)
        self.assertFalse(self._history(contact), "the history is the commercial entity's")

    def test_mails_on_upgrade_and_downgrade_and_activity_at_the_top(self):
        partner = self._customer("Notified", user_id=self.salesman.id)
        self._order(partner, self.TODAY, amount=100)
        self.assertFalse(self._mails(partner, "crm_loyalty.mail_template_loyalty_upgrade"), "joining is no upgrade")
        self._order(partner, self._day(1), amount=6000)
        upgrade = self._mails(partner, "crm_loyalty.mail_template_loyalty_upgrade")
        self.assertEqual(len(upgrade), 1)
        self.assertEqual(upgrade.state, "outgoing", "queued, sent by the mail queue")
        self.assertIn("Silver", upgrade.subject)
        self.assertEqual(upgrade.recipient_ids, partner)
        self.assertFalse(partner.activity_ids)
        self._order(partner, self._day(2), amount=40000)
        self._order(partner, self._day(3), amount=40000)
        self.assertEqual(partner.loyalty_tier_id, self.platinum)
        activity = partner.activity_ids
        self.assertEqual(len(activity), 1, "reaching the top tier makes a to-do for the salesperson")
        self.assertEqual(activity.user_id, self.salesman)
        self.assertIn("Platinum", activity.summary)
        self._evaluate(self._day(3 + self.WINDOW))
        downgrade = self._mails(partner, "crm_loyalty.mail_template_loyalty_downgrade")
        self.assertEqual(len(downgrade), 1)
        self.assertIn("Gold", downgrade.subject)

    def test_upgrade_mail_in_chinese_for_chinese_customers(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search([("name", "=", "crm_loyalty")])._load_module_terms(
            ["crm_loyalty"], ["zh_CN"], overwrite=True
        )
        self.gold.with_context(lang="zh_CN").name = "金卡"
        partner = self._customer("Li Wei", lang="zh_CN")
        self._order(partner, self.TODAY, amount=25000)
        mail = self._mails(partner, "crm_loyalty.mail_template_loyalty_upgrade") or self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.subject, "欢迎成为金卡会员！")
        self.assertIn("感谢您的支持", mail.body_html)
        self.assertIn("金卡", mail.body_html)

    def test_segment_on_tier(self):
        gold_partner = self._customer("Segment Gold")
        other = self._customer("Segment Member")
        self._order(gold_partner, self.TODAY, amount=21000)
        self._order(other, self.TODAY, amount=10)
        segment = self.env["crm.segment"].create(
            {"name": "Gold members", "domain": f"[('loyalty_tier_id', '=', {self.gold.id})]"}
        )
        with frozen(self.env, self.TODAY):
            entered, __ = segment._refresh_members()[segment.id]
        self.assertEqual(entered, [gold_partner.id])
        self.assertEqual(
            self.env["res.partner"].search([("loyalty_tier_id", "=", self.gold.id)]),
            gold_partner,
            "the tier is stored and searchable",
        )
