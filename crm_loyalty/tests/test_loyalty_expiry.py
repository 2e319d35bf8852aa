from datetime import datetime, time
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.base.models.ir_cron import IrCron

from .common import LoyaltyCase, frozen


@tagged("post_install", "-at_install")
class TestLoyaltyExpiry(LoyaltyCase):
    """Points expire first in first out, validity months after they were earned."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._membership_program()
        cls.company.loyalty_points_validity_months = 12
        cls.partner = cls._customer("Point Saver")
        cls.card = cls.env["loyalty.card"].create({"program_id": cls.program.id, "partner_id": cls.partner.id})
        cls.partner.loyalty_member_card_id = cls.card

    def _on_day(self, on):
        """Both clocks at noon UTC of day `on` (20:00 in Shanghai): history lines created inside are dated
        by Odoo that day (create_date comes from the transaction's clock, which freezegun alone leaves)."""
        return frozen(self.env, datetime.combine(on, time(12)))

    def _move(self, on, issued=0.0, used=0.0):
        """A history line of the card on day `on` (issued: a lot earned; used: points redeemed)."""
        self._move_card(self.card, on, issued, used)

    def _move_card(self, card, on, issued=0.0, used=0.0):
        with self._on_day(on):
            self.env["loyalty.history"].create(
                {"card_id": card.id, "description": "move", "issued": issued, "used": used}
            )
            card.points += issued - used
            self.env.flush_all()  # stored now, as the customer's own transaction would have

    def _expire(self, on):
        with frozen(self.env, on), self._no_commit():
            self.env["loyalty.card"]._cron_expire_loyalty_points()
        self.env.invalidate_all()

    def _expired_lines(self):
        return self.card.history_ids.filtered("crm_loyalty_expiry_date").sorted("id")

    def test_fifo_expiry_with_partial_redemption(self):
        jan, mar, apr = (
            self.TODAY.replace(month=1, day=10),
            self.TODAY.replace(month=3, day=1),
            self.TODAY.replace(month=4, day=1),
        )
        self._move(jan, issued=100)
        self._move(mar, issued=50)
        self._move(apr, used=60)  # the oldest first: 60 of January's 100
        self.assertEqual(self.card.points, 90)
        self.assertEqual(
            self.partner._loyalty_get_next_expiry(), (jan.replace(year=jan.year + 1), 40), "40 of January's left"
        )
        self._expire(jan.replace(year=jan.year + 1, day=9))  # the day before: nothing
        self.assertFalse(self._expired_lines())
        self._expire(jan.replace(year=jan.year + 1))
        line = self._expired_lines()
        self.assertEqual((line.used, line.issued), (40, 0))
        self.assertEqual(line.crm_loyalty_expiry_date, jan.replace(year=jan.year + 1))
        self.assertIn("expired", line.description)
        self.assertEqual(self.card.points, 50)
        self.assertEqual(self.partner._loyalty_get_next_expiry(), (mar.replace(year=mar.year + 1), 50))
        self._expire(mar.replace(year=mar.year + 1))
        self.assertEqual(self._expired_lines().mapped("used"), [40, 50])
        self.assertEqual(self.card.points, 0)
        self.assertEqual(self.partner._loyalty_get_next_expiry(), (False, 0.0))

    def test_redeeming_more_than_the_oldest_lot_eats_into_the_next(self):
        jan, mar, apr = (
            self.TODAY.replace(month=1, day=10),
            self.TODAY.replace(month=3, day=1),
            self.TODAY.replace(month=4, day=1),
        )
        self._move(jan, issued=100)
        self._move(mar, issued=50)
        self._move(apr, used=120)  # all of January's and 20 of March's
        self._expire(jan.replace(year=jan.year + 1))
        self.assertFalse(self._expired_lines(), "nothing left of January's points")
        self._expire(mar.replace(year=mar.year + 1))
        self.assertEqual(self._expired_lines().used, 30)
        self.assertEqual(self.card.points, 0)

    def test_expiry_is_idempotent_and_resumable(self):
        jan = self.TODAY.replace(month=1, day=10)
        self._move(jan, issued=100)
        day = jan.replace(year=jan.year + 1)
        self._expire(day)
        self._expire(day)
        self._expire(day.replace(day=day.day + 1))
        self.assertEqual(len(self._expired_lines()), 1, "expired points count as used: nothing expires twice")
        self.assertEqual(self.card.points, 0)

    def test_points_never_expire_without_validity(self):
        self.company.loyalty_points_validity_months = 0
        jan = self.TODAY.replace(month=1, day=10)
        self._move(jan, issued=100)
        self._expire(jan.replace(year=jan.year + 5))
        self.assertFalse(self._expired_lines())
        self.assertEqual(self.card.points, 100)

    def test_other_programs_are_left_alone(self):
        other = self.env["loyalty.program"].create({"name": "Other", "program_type": "loyalty"})
        other_card = self.env["loyalty.card"].create({"program_id": other.id, "partner_id": self.partner.id})
        with self._on_day(self.TODAY.replace(month=1, day=10)):
            self.env["loyalty.history"].create({"card_id": other_card.id, "description": "x", "issued": 10})
            other_card.points = 10
        self._expire(self.TODAY.replace(year=self.TODAY.year + 2))
        self.assertEqual(other_card.points, 10)

    def test_points_earned_on_orders_expire(self):
        order = self._order(self.partner, self.TODAY.replace(month=2, day=1), amount=300)
        self.assertEqual(self.card.points, 345, "a point per unit paid: 300 + 15 % tax")
        earned = self.card.history_ids.filtered(lambda h: h.order_id == order.id)
        self.assertEqual(earned.create_date, order.date_order, "the lot is dated by the order's confirmation")
        self._expire(self.TODAY.replace(year=self.TODAY.year + 1, month=2, day=1))
        self.assertEqual(self.card.points, 0)
        self.assertEqual(self._expired_lines().used, 345)

    def test_chunked_run_cut_short_resumes_and_expires_each_card_once(self):
        jan = self.TODAY.replace(month=1, day=10)
        day = jan.replace(year=jan.year + 1)
        cards = self.card
        for i in range(4):
            partner = self._customer(f"Chunk Saver {i}")
            cards |= self.env["loyalty.card"].create({"program_id": self.program.id, "partner_id": partner.id})
        for i, card in enumerate(cards):
            self._move_card(card, jan, issued=100 + i)
        calls = []

        def stop_after_first_chunk(cron, processed=0, **kwargs):
            calls.append(processed)
            return 0 if processed else float("inf")  # out of time after the first chunk

        with frozen(self.env, day), patch.object(IrCron, "_commit_progress", stop_after_first_chunk):
            self.env["loyalty.card"]._cron_expire_loyalty_points(chunk_size=2)
        self.env.invalidate_all()
        self.assertEqual(calls, [0, 2], "the run stops after its first chunk of two cards")
        self.assertEqual(cards.mapped("points"), [0, 0, 102, 103, 104])
        # Before the runner calls again, the last customer redeems 30 points: what expires is computed then.
        self._move_card(cards[4], day, used=30)
        self._expire(day)
        self.assertEqual(cards.mapped("points"), [0, 0, 0, 0, 0])
        expired = self.env["loyalty.history"].search(
            [("card_id", "in", cards.ids), ("crm_loyalty_expiry_date", "=", day)]
        )
        self.assertEqual(len(expired), 5, "each card expired once")
        self.assertEqual(expired.filtered(lambda line: line.card_id == cards[4]).used, 74)

    def test_card_changed_during_the_run_has_its_amount_computed_again(self):
        """The candidates and their amounts are taken once; a card redeemed before its chunk comes is
        computed again from its history, an unchanged one expires the amount taken."""
        jan = self.TODAY.replace(month=1, day=10)
        day = jan.replace(year=jan.year + 1)
        other = self.env["loyalty.card"].create(
            {"program_id": self.program.id, "partner_id": self._customer("Unchanged Saver").id}
        )
        for card in self.card | other:
            self._move_card(card, jan, issued=100)
        LoyaltyCard = self.env.registry["loyalty.card"]
        original = LoyaltyCard._loyalty_expire_chunk

        def redeem_before_first_chunk(model, program_id, cutoff, today, description, after, chunk_size):
            if not after:  # the customer redeems 30 points after the candidates were taken
                self._move_card(self.card, day, used=30)
            return original(model, program_id, cutoff, today, description, after, chunk_size)

        with patch.object(LoyaltyCard, "_loyalty_expire_chunk", redeem_before_first_chunk):
            self._expire(day)
        self.assertEqual(self._expired_lines().used, 70, "100 earned, 30 redeemed since: 70 expire, not 100")
        self.assertEqual(self.card.points, 0)
        self.assertEqual(other.history_ids.filtered("crm_loyalty_expiry_date").used, 100)
        self.assertEqual(other.points, 0)
