"""Points earned on the last days of a long month expire on the day shown to the customer (month ends)."""

from datetime import date, datetime, time

from odoo.tests import tagged

from .common import LoyaltyCase, frozen


@tagged("post_install", "-at_install")
class TestLoyaltyExpiryMonthEnd(LoyaltyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._membership_program()
        cls.company.loyalty_points_validity_months = 1
        cls.partner = cls._customer("Month End Saver")
        cls.card = cls.env["loyalty.card"].create({"program_id": cls.program.id, "partner_id": cls.partner.id})
        cls.partner.loyalty_member_card_id = cls.card

    def _earn(self, on, points):
        # noon UTC (20:00 in the company's Shanghai time zone): the lot is dated `on` by Odoo itself
        with frozen(self.env, datetime.combine(on, time(12))):
            self.env["loyalty.history"].create({"card_id": self.card.id, "description": "earned", "issued": points})
            self.card.points += points
            self.env.flush_all()

    def _expire(self, on):
        with frozen(self.env, on), self._no_commit():
            self.env["loyalty.card"]._cron_expire_loyalty_points()
        self.env.invalidate_all()

    def _expired(self):
        return self.card.history_ids.filtered("crm_loyalty_expiry_date")

    def test_earned_on_31_january_expires_on_28_february_as_shown(self):
        self._earn(date(2027, 1, 29), 10)
        self._earn(date(2027, 1, 31), 30)
        self.assertEqual(self.partner._loyalty_get_next_expiry(), (date(2027, 2, 28), 40), "both shown for 28 Feb")
        self._expire(date(2027, 2, 27))
        self.assertFalse(self._expired())
        self.assertEqual(self.card.points, 40)
        self._expire(date(2027, 2, 28))
        self.assertEqual(self._expired().mapped("used"), [40])
        self.assertEqual(self._expired().crm_loyalty_expiry_date, date(2027, 2, 28))
        self.assertEqual(self.card.points, 0)
        self.assertEqual(self.partner._loyalty_get_next_expiry(), (False, 0.0))

    def test_earned_on_31_march_expires_on_30_april_not_earlier(self):
        self._earn(date(2027, 3, 30), 5)
        self._earn(date(2027, 3, 31), 7)
        self._expire(date(2027, 4, 29))
        self.assertFalse(self._expired())
        self._expire(date(2027, 4, 30))
        self.assertEqual(self._expired().mapped("used"), [12])
        self.assertEqual(self.card.points, 0)
