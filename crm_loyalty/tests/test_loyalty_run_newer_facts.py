from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.common import TwoWorkersCase


@tagged("post_install", "-at_install")
class TestLoyaltyRunKeepsNewerFacts(TwoWorkersCase):
    """A tier run prepared at 01:00 and resumed at 09:30 never writes its older decisions over what happened
    in between (an order, a manager's tier): each step on its own real database connection, committed."""

    TODAY = date(2026, 6, 15)

    def _at(self, hour, minute=0):
        return datetime.combine(self.TODAY, datetime.min.time()) + timedelta(hours=hour, minutes=minute)

    def _env(self, cr, user=SUPERUSER_ID):
        return api.Environment(cr, user, {})

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            window = env.company.loyalty_window_days
            self.product = env["product.product"].create(
                {
                    "name": "Tier Newer Facts Product",
                    "type": "service",
                    "list_price": 100,
                    "taxes_id": [Command.clear()],
                }
            )
            Tier = env["crm.loyalty.tier"]
            self.member_id = env.ref("crm_loyalty.crm_loyalty_tier_member").id
            self.silver_id = Tier.create({"name": "Newer Facts Silver", "sequence": 10, "min_spend": 5000}).id
            self.gold_id = Tier.create({"name": "Newer Facts Gold", "sequence": 20, "min_spend": 20000}).id
            self.buyer_id, self.vip_id = (
                env["res.partner"].create({"name": name, "email": f"{name.lower()}@example.com"}).id
                for name in ("Buyer", "Vip")
            )
            self.done_run = env["crm.loyalty.run"].create({"date": "2000-01-01", "state": "done"}).id
        # One window ago both reached Silver: their review is due today, when their spend is 0 (one tier down).
        with freeze_time(self._at(10) - timedelta(days=window)), self.registry.cursor() as cr:
            for partner_id in (self.buyer_id, self.vip_id):
                self._confirm_order(self._env(cr), partner_id, 6000)
        self.assertEqual(self._state(self.buyer_id)[:2], (self.silver_id, self.TODAY))
        self.addCleanup(self._cleanup)

    def _confirm_order(self, env, partner_id, amount):
        order = env["sale.order"].create(
            {
                "partner_id": partner_id,
                "order_line": [Command.create({"product_id": self.product.id, "price_unit": amount})],
            }
        )
        order.action_confirm()

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            partner_ids = [self.buyer_id, self.vip_id]
            env["crm.loyalty.tier.history"].search([("partner_id", "in", partner_ids)]).unlink()
            env["crm.lifecycle.history"].search([("partner_id", "in", partner_ids)]).unlink()
            env["mail.mail"].search([("model", "=", "res.partner"), ("res_id", "in", partner_ids)]).unlink()
            orders = env["sale.order"].search([("partner_id", "in", partner_ids)])
            orders.write({"state": "cancel"})
            orders.unlink()
            env["res.partner"].browse(partner_ids).unlink()
            env["crm.loyalty.run"].search([("id", ">=", self.done_run)]).unlink()
            env["crm.loyalty.tier"].browse([self.gold_id, self.silver_id]).unlink()
            self.product.with_env(env).unlink()

    def _state(self, partner_id):
        """(tier id, review date, locked, lock until) as committed."""
        with self.registry.cursor() as cr:
            partner = self._env(cr)["res.partner"].browse(partner_id)
            return (
                partner.loyalty_tier_id.id,
                partner.loyalty_review_date,
                partner.loyalty_tier_locked,
                partner.loyalty_lock_until,
            )

    def test_order_and_manual_tier_between_preparation_and_resumption_are_kept(self):
        with freeze_time(self._at(1)), self.registry.cursor() as cr:
            run_id = self._env(cr)["crm.loyalty.run"]._prepare_run(chunk_size=20000).id
            cr.execute(
                "SELECT partner_id, loyalty_tier_id FROM crm_loyalty_run_line WHERE run_id = %s AND partner_id IN %s",
                [run_id, (self.buyer_id, self.vip_id)],
            )
            self.assertEqual(dict(cr.fetchall()), {self.buyer_id: self.member_id, self.vip_id: self.member_id})
        with freeze_time(self._at(5)), self.registry.cursor() as cr:
            self._confirm_order(self._env(cr), self.buyer_id, 25000)
        with freeze_time(self._at(6)), self.registry.cursor() as cr:
            env = self._env(cr, self.env.ref("base.user_admin").id)  # a Customer Care manager
            env["crm.loyalty.lock.wizard"].create(
                {
                    "partner_id": self.vip_id,
                    "tier_id": self.gold_id,
                    "reason": "Speaker at our conference",
                    "lock_until": date(2026, 12, 31),
                }
            ).action_apply()
        with freeze_time(self._at(9, 30)), self.registry.cursor() as cr:
            self._env(cr)["crm.loyalty.run"].browse(run_id)._apply_chunks()
        self.assertEqual(self._state(self.buyer_id), (self.gold_id, self.TODAY + timedelta(days=365), False, False))
        self.assertEqual(self._state(self.vip_id), (self.gold_id, date(2026, 12, 31), True, date(2026, 12, 31)))
        with self.registry.cursor() as cr:
            env = self._env(cr)
            downgrades = env["mail.mail"].search_count(
                [
                    ("model", "=", "res.partner"),
                    ("res_id", "in", [self.buyer_id, self.vip_id]),
                    ("subject", "ilike", "Your membership is now"),
                ]
            )
            self.assertEqual(downgrades, 0, "no 'Your membership is now Member' email")
            reviews = env["crm.loyalty.tier.history"].search_count(
                [("partner_id", "in", [self.buyer_id, self.vip_id]), ("reason", "=", "review")]
            )
            self.assertEqual(reviews, 0)
            self.assertEqual(env["crm.loyalty.run"].browse(run_id).state, "done")

    def test_unchanged_member_gets_the_prepared_review(self):
        with freeze_time(self._at(1)), self.registry.cursor() as cr:
            run_id = self._env(cr)["crm.loyalty.run"]._prepare_run(chunk_size=20000).id
        with freeze_time(self._at(9, 30)), self.registry.cursor() as cr:
            self._env(cr)["crm.loyalty.run"].browse(run_id)._apply_chunks()
        self.assertEqual(self._state(self.vip_id)[0], self.member_id, "one tier down at the review")
