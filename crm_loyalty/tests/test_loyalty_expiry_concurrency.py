from datetime import date, datetime, time
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.common import TwoWorkersCase, frozen


@tagged("post_install", "-at_install")
class TestLoyaltyExpiryConcurrency(TwoWorkersCase):
    """The points expiry on real connections: a card redeemed by another transaction while its chunk is
    being expired makes the chunk fail to serialize; the chunk starts again and expires the right amount."""

    EARNED = date(2025, 1, 10)
    DAY = date(2026, 1, 10)

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.company
            self.company_id = company.id
            self.saved = {
                "loyalty_program_id": company.loyalty_program_id.id,
                "loyalty_points_validity_months": company.loyalty_points_validity_months,
            }
            self.program_id = (
                env["loyalty.program"]
                .create(
                    {
                        "name": "Expiry Concurrency Card",
                        "program_type": "loyalty",
                        "rule_ids": [Command.clear()],
                        "reward_ids": [Command.clear(), Command.create({"discount": 5, "required_points": 1000})],
                    }
                )
                .id
            )
            company.write({"loyalty_program_id": self.program_id, "loyalty_points_validity_months": 12})
            self.partner_id = env["res.partner"].create({"name": "Expiry Concurrency Customer"}).id
            card = env["loyalty.card"].create({"program_id": self.program_id, "partner_id": self.partner_id})
            self.card_id = card.id
            with frozen(env, datetime.combine(self.EARNED, time(12))):  # the lot is dated by both clocks
                env["loyalty.history"].create({"card_id": card.id, "description": "lot", "issued": 100})
                card.points = 100
                env.flush_all()
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.company"].browse(self.company_id).write(self.saved)
            env["loyalty.card"].browse(self.card_id).unlink()
            program = env["loyalty.program"].browse(self.program_id)
            program.action_archive()
            program.unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def _redeem_in_another_transaction(self, used):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            card = env["loyalty.card"].browse(self.card_id)
            with frozen(env, datetime.combine(self.DAY, time.min)):
                env["loyalty.history"].create({"card_id": card.id, "description": "redeem", "used": used})
                card.points -= used

    def test_card_redeemed_while_its_chunk_runs(self):
        LoyaltyCard = self.env.registry["loyalty.card"]
        original = LoyaltyCard._loyalty_expire_chunk
        calls = []

        def redeem_after_the_snapshot(model, *args):
            calls.append(args)
            if len(calls) == 1:
                model.env.cr.execute("SELECT 1")  # the chunk's snapshot is taken here...
                self._redeem_in_another_transaction(30)  # ...before this redemption commits
            return original(model, *args)

        with (
            self.registry.cursor() as cr,
            frozen(api.Environment(cr, SUPERUSER_ID, {}), datetime.combine(self.DAY, time.min)),
            patch.object(LoyaltyCard, "_loyalty_expire_chunk", redeem_after_the_snapshot),
        ):
            api.Environment(cr, SUPERUSER_ID, {})["loyalty.card"]._cron_expire_loyalty_points()
        after = [args[4] for args in calls]
        self.assertEqual(after[:2], [0, 0], "the chunk failed to serialize once and was started again")
        self.assertEqual(len(after), 3, "then the next chunk: none left")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT used FROM loyalty_history WHERE card_id = %s AND crm_loyalty_expiry_date IS NOT NULL",
                [self.card_id],
            )
            self.assertEqual(cr.fetchall(), [(70.0,)], "100 earned, 30 redeemed meanwhile: 70 expire once")
            cr.execute("SELECT points FROM loyalty_card WHERE id = %s", [self.card_id])
            self.assertEqual(cr.fetchone()[0], 0)
