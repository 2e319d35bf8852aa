from datetime import date

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyTierRetired(LoyaltyCase):
    """Archiving a tier moves its members at once, one tier down (or to the tier their spend earns), with
    history reason Tier Retired, their review date and lock kept, and no email: not an upgrade, not a sanction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.care_manager = new_test_user(
            cls.env,
            "tier_retire_manager",
            groups="crm_lifecycle.group_crm_care_manager,sales_team.group_sale_salesman",
            name="Tier Manager",
        )

    def _archive(self, tier):
        with freeze_time(self.TODAY):
            tier.with_user(self.care_manager).action_archive()
        self.env.invalidate_all()

    def test_archiving_gold_moves_its_members_to_silver_without_email(self):
        buyer = self._customer("Gold Buyer")
        self._order(buyer, self._day(-30), amount=25000)
        self.assertEqual(buyer.loyalty_tier_id, self.gold)
        review = buyer.loyalty_review_date
        vip = self._customer("Gold Vip")
        with freeze_time(self.TODAY):
            vip.with_user(self.care_manager)._loyalty_set_tier_manually(
                self.gold, "Partner of the year", date(2026, 12, 31)
            )
        upgrade_mails = self._mails(buyer, "crm_loyalty.mail_template_loyalty_upgrade") | self._mails(
            vip, "crm_loyalty.mail_template_loyalty_upgrade"
        )

        self._archive(self.gold)

        self.assertEqual(
            (buyer.loyalty_tier_id, buyer.loyalty_tier_since, buyer.loyalty_review_date),
            (self.silver, self.TODAY, review),
        )
        self.assertEqual(
            (vip.loyalty_tier_id, vip.loyalty_tier_locked, vip.loyalty_lock_until),
            (self.silver, True, date(2026, 12, 31)),
            "the manager's lock stays, on the tier below",
        )
        for partner in (buyer, vip):
            with self.subTest(partner=partner.name):
                last = self._history(partner)[-1]
                self.assertEqual(
                    (last.from_tier_id, last.to_tier_id, last.reason), (self.gold, self.silver, "tier_retired")
                )
                self.assertEqual(last.direction, "down")
                mails = (
                    self._mails(partner, "crm_loyalty.mail_template_loyalty_upgrade")
                    | self._mails(partner, "crm_loyalty.mail_template_loyalty_downgrade")
                ) - upgrade_mails
                self.assertFalse(mails, "no 'Welcome to Silver!' nor 'Your membership is now Silver'")
        # The nightly evaluation agrees: nothing more moves.
        self._evaluate(on=self._day(1))
        self.assertEqual((buyer.loyalty_tier_id, vip.loyalty_tier_id), (self.silver, self.silver))
        self.assertEqual(len(self._history(buyer)), 2)

    def test_archiving_the_top_tier_moves_its_members_to_the_tier_below(self):
        """Platinum retired: its member goes to Gold, the tier below (her spend earns Gold)."""
        self.platinum.min_orders = 0
        rich = self._customer("Platinum Rich")
        self._order(rich, self._day(-10), amount=90000)
        self.assertEqual(rich.loyalty_tier_id, self.platinum)
        self._archive(self.platinum)
        self.assertEqual(rich.loyalty_tier_id, self.gold)
        self.assertEqual(self._history(rich)[-1].reason, "tier_retired")

    def test_member_whose_spend_earns_a_higher_tier_goes_there(self):
        """Locked in Silver by a manager while her spend earns Gold: Silver retired, she goes to Gold (not
        Member, the tier below), still locked."""
        vip = self._customer("Silver Vip")
        with freeze_time(self.TODAY):
            vip.with_user(self.care_manager)._loyalty_set_tier_manually(self.silver, "Trial", date(2026, 12, 31))
        self._order(vip, self.TODAY, amount=25000)
        self.assertEqual(vip.loyalty_tier_id, self.silver, "the lock keeps Silver")
        self._archive(self.silver)
        self.assertEqual((vip.loyalty_tier_id, vip.loyalty_tier_locked), (self.gold, True))
        self.assertEqual(self._history(vip)[-1].reason, "tier_retired")

    def test_base_tier_retired_leaves_members_without_tier_until_they_qualify(self):
        small = self._customer("Small Buyer")
        self._order(small, self._day(-5), amount=100)
        self.assertEqual(small.loyalty_tier_id, self.member)
        self._archive(self.member)
        self.assertFalse(small.loyalty_tier_id)
        self.assertEqual(self._history(small)[-1].reason, "tier_retired")
