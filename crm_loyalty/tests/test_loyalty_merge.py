from datetime import date, datetime, time

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.crm_lifecycle.tests.test_lifecycle_merge import MergeCase

from .common import LoyaltyCase, frozen

REFUSED = "Only Customer Care managers can lock, unlock or set the membership tier"


class LoyaltyMergeCase(LoyaltyCase, MergeCase):
    def _set_tier(self, partner, tier, reason, lock_until=False):
        """A manager's tier through the Set Tier wizard."""
        with frozen(self.env, self.TODAY):
            action = partner.with_user(self.manager).action_loyalty_set_tier()
            wizard = (
                self.env[action["res_model"]]
                .with_user(self.manager)
                .with_context(**action["context"])
                .create({"tier_id": tier.id, "reason": reason, "lock_until": lock_until})
            )
            wizard.action_apply()
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestLoyaltyMerge(LoyaltyMergeCase):
    def test_duplicate_manual_tier_is_carried_over_with_its_lock(self):
        survivor = self._customer("Kai Zhou")
        self._order(survivor, self.TODAY, amount=100)
        duplicate = self._customer("Kai Zhou")
        self._order(duplicate, self.TODAY, amount=150)
        self._set_tier(duplicate, self.gold, "Strategic account", lock_until=date(2026, 12, 31))
        self.assertEqual(survivor.loyalty_tier_id, self.member)
        mails_before = self.env["mail.mail"].search([])

        self._merge(survivor, duplicate)

        self.assertEqual(survivor.loyalty_tier_id, self.gold, "the lock comes with its tier")
        self.assertEqual(
            (survivor.loyalty_tier_locked, survivor.loyalty_lock_reason, survivor.loyalty_lock_until),
            (True, "Strategic account", date(2026, 12, 31)),
        )
        self.assertEqual(survivor.loyalty_review_date, date(2026, 12, 31))
        self.assertEqual(survivor.loyalty_qualifying_spend, 250, "spend recomputed from the merged purchases")
        self.assertEqual(survivor.loyalty_qualifying_orders, 2)
        self.assertEqual(survivor.property_product_pricelist, self.gold_pricelist)
        last = self._history(survivor)[-1]
        self.assertEqual((last.from_tier_id, last.to_tier_id, last.reason), (self.member, self.gold, "manual"))
        self.assertIn("Strategic account", last.note)
        self.assertFalse(
            self.env["mail.mail"].search([("id", "not in", mails_before.ids)]),
            "no membership mail for a merge: the customer already had Gold",
        )

    def test_survivor_keeps_its_own_tier_lock(self):
        survivor = self._customer("Lan Wu")
        self._order(survivor, self.TODAY, amount=100)
        duplicate = self._customer("Lan Wu")
        self._order(duplicate, self.TODAY, amount=100)
        self._set_tier(survivor, self.silver, "Goodwill after a late delivery", lock_until=date(2026, 9, 30))
        self._set_tier(duplicate, self.gold, "Strategic account", lock_until=date(2026, 12, 31))

        self._merge(survivor, duplicate)

        self.assertEqual(
            (
                survivor.loyalty_tier_id,
                survivor.loyalty_tier_locked,
                survivor.loyalty_lock_reason,
                survivor.loyalty_lock_until,
                survivor.loyalty_review_date,
            ),
            (self.silver, True, "Goodwill after a late delivery", date(2026, 9, 30), date(2026, 9, 30)),
        )

    def test_without_lock_the_tier_follows_the_merged_purchases(self):
        survivor = self._customer("Min Xu")
        self._order(survivor, self.TODAY, amount=3000)
        duplicate = self._customer("Min Xu")
        self._order(duplicate, self.TODAY, amount=3000)
        self.assertEqual((survivor | duplicate).loyalty_tier_id, self.member)
        self._merge(survivor, duplicate)
        self.assertEqual(survivor.loyalty_tier_id, self.silver, "6,000 in the window")
        self.assertFalse(survivor.loyalty_tier_locked)
        self.assertFalse(survivor.loyalty_lock_until)

    def test_an_administrator_who_is_not_a_care_manager_merges_locked_members(self):
        survivor = self._customer("Bo Han")
        self._order(survivor, self.TODAY, amount=100)
        duplicate = self._customer("Bo Han")
        self._set_tier(survivor, self.gold, "Partner company", lock_until=date(2026, 12, 31))
        self._merge(survivor, duplicate, user=self.admin)
        self.assertEqual(
            (survivor.loyalty_tier_id, survivor.loyalty_tier_locked, survivor.loyalty_lock_reason),
            (self.gold, True, "Partner company"),
        )


@tagged("post_install", "-at_install")
class TestLoyaltyMergeCards(LoyaltyMergeCase):
    """The survivor keeps one membership card with the whole history: points expiry finds every lot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._membership_program()
        cls.company.loyalty_points_validity_months = 12

    def _earn(self, partner, on, amount):
        """An order of `amount` (untaxed; points are earned on the taxed total: amount x 1.15) confirmed at
        noon UTC on day `on`, both clocks frozen: its lot is dated that day by Odoo itself."""
        self._order(partner, datetime.combine(on, time(12)), amount=amount)
        return partner.loyalty_member_card_id

    def test_merged_cards_keep_every_lot_and_expire_together(self):
        survivor, duplicate = self._customer("Yan Qiu"), self._customer("Yan Qiu")
        feb, mar = self.TODAY.replace(month=2, day=1), self.TODAY.replace(month=3, day=1)
        kept = self._earn(survivor, feb, 300)
        absorbed = self._earn(duplicate, mar, 200)
        self.assertNotEqual(kept, absorbed)
        lots = (kept | absorbed).history_ids

        self._merge(survivor, duplicate)

        self.assertEqual(survivor.loyalty_member_card_id, kept)
        self.assertEqual(kept.points, 345 + 230, "300 and 200 with their 15 % tax")
        self.assertEqual(kept.history_ids, lots, "the whole history on the card that keeps the points")
        self.assertEqual(
            sorted(kept.history_ids.mapped("create_date")),
            [datetime.combine(day, datetime.min.time().replace(hour=12)) for day in (feb, mar)],
            "each lot keeps its date",
        )
        self.assertFalse(absorbed.active)
        self.assertEqual(absorbed.points, 0)
        cards = self.env["loyalty.card"].search(
            [("partner_id", "=", survivor.id), ("program_id", "=", self.program.id)]
        )
        self.assertEqual(cards, kept, "one membership card")
        # A year after the second lot, the expiry job finds both lots on the survivor's card.
        with frozen(self.env, mar.replace(year=mar.year + 1)), self._no_commit():
            self.env["loyalty.card"]._cron_expire_loyalty_points()
        self.env.invalidate_all()
        expired = kept.history_ids.filtered("crm_loyalty_expiry_date")
        self.assertEqual(expired.used, 575)
        self.assertEqual(kept.points, 0)

    def test_expiry_lines_of_the_same_day_merge_without_conflict(self):
        earned, expired_on = date(2025, 1, 10), date(2026, 1, 10)
        survivor, *duplicates = (self._customer("Hui Fang") for __ in range(3))
        kept = self._earn(survivor, date(2025, 6, 1), 100)  # not expired yet on 10 January
        absorbed = [self._earn(partner, earned, 100) for partner in duplicates]
        with frozen(self.env, expired_on), self._no_commit():
            self.env["loyalty.card"]._cron_expire_loyalty_points()
        self.env.invalidate_all()
        for card in absorbed:
            self.assertEqual(
                (card.points, card.history_ids.mapped("crm_loyalty_expiry_date")), (0, [expired_on, False])
            )

        self._merge(survivor, *duplicates)

        self.assertEqual(survivor.loyalty_member_card_id, kept)
        self.assertEqual(len(kept.history_ids), 5, "three lots and two expiries, all kept")
        # Lots of 115 points (100 + 15 % tax): two expired lots moved over, the survivor's own lot left.
        self.assertEqual((sum(kept.history_ids.mapped("used")), kept.points), (230, 115))
        self.assertEqual(
            kept.history_ids.filtered("crm_loyalty_expiry_date").crm_loyalty_expiry_date,
            expired_on,
            "one expiry line per card and day: the other stays a plain used line",
        )
        # The survivor's own lot expires in its turn, once.
        for _run in range(2):
            with frozen(self.env, self.TODAY), self._no_commit():
                self.env["loyalty.card"]._cron_expire_loyalty_points()
        self.env.invalidate_all()
        self.assertEqual((len(kept.history_ids), kept.points), (6, 0))

    def test_membership_card_fields_follow_the_kept_card(self):
        company = self.env["res.partner"].create({"name": "Dup Trading", "is_company": True})
        colleague = self.env["res.partner"].create({"name": "Colleague", "parent_id": company.id})
        survivor = self.env["res.partner"].create({"name": "Dup Trading Ltd", "is_company": True})
        self._earn(company, self.TODAY.replace(month=2, day=1), 100)
        kept = self._earn(survivor, self.TODAY.replace(month=3, day=1), 100)
        self.assertEqual(colleague.loyalty_member_card_id.partner_id, company)

        self._merge(survivor, company)

        self.assertEqual(colleague.parent_id, survivor)
        self.assertEqual((survivor | colleague).loyalty_member_card_id, kept)
        self.assertEqual(kept.points, 230, "two lots of 100 + 15 % tax")


@tagged("post_install", "-at_install")
class TestLoyaltyLockAccess(LoyaltyCase):
    """The tier, its lock, reason, end and review dates change through the manager's Set Tier wizard and
    unlock action only: a direct create() or write() (what an RPC client sends) by anyone else is refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.care_user = new_test_user(
            cls.env,
            "loyalty_care_user",
            groups="crm_lifecycle.group_crm_care_user,base.group_partner_manager",
            name="Loyalty Care User",
        )

    def test_users_and_salespeople_cannot_write_the_tier_or_its_lock(self):
        partner = self._customer("Tier Holder")
        self._order(partner, self.TODAY, amount=6000)
        self.assertEqual(partner.loyalty_tier_id, self.silver)
        for user in (self.care_user, self.salesman):
            mine = partner.with_user(user)
            for vals in (
                {"loyalty_tier_locked": True, "loyalty_lock_reason": "VIP"},
                {"loyalty_lock_until": date(2026, 12, 31)},
                {"loyalty_tier_id": self.gold.id},
                {"loyalty_review_date": date(2030, 1, 1)},
                {"loyalty_tier_since": date(2020, 1, 1)},
            ):
                with self.subTest(user=user.login, vals=vals), self.assertRaisesRegex(AccessError, REFUSED):
                    mine.write(vals)
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, REFUSED):
                self.env["res.partner"].with_user(user).create(
                    {
                        "name": "Born Gold",
                        "loyalty_tier_id": self.gold.id,
                        "loyalty_tier_locked": True,
                        "loyalty_lock_reason": "VIP",
                        "loyalty_lock_until": date(2026, 12, 31),
                    }
                )
        self.assertEqual((partner.loyalty_tier_id, partner.loyalty_tier_locked), (self.silver, False))

    def test_a_salesperson_s_order_still_upgrades_the_tier(self):
        customer = self.env["res.partner"].with_user(self.salesman).create({"name": "Walk-in"})
        with frozen(self.env, self.TODAY):
            order = (
                self.env["sale.order"]
                .with_user(self.salesman)
                .create(
                    {
                        "partner_id": customer.id,
                        "order_line": [
                            Command.create({"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 6000})
                        ],
                    }
                )
            )
            order.action_confirm()
        self.assertEqual(customer.loyalty_tier_id, self.silver)
