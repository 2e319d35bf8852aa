import threading
from datetime import datetime
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.common import TwoWorkersCase, frozen
from odoo.addons.crm_loyalty.models.crm_loyalty_run import CrmLoyaltyRun


@tagged("post_install", "-at_install")
class TestLoyaltyConcurrency(TwoWorkersCase):
    """Two workers evaluate the tiers on real, separate database connections.

    The customers' orders are confirmed without the order-time evaluation, so the nightly run gives their tiers.
    """

    CUSTOMERS = 12
    ORDERED = datetime(2026, 6, 15, 10, 0)  # the orders are confirmed then (both clocks frozen)
    NIGHT = datetime(2026, 6, 16, 3, 0)  # the workers evaluate then

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr, frozen(api.Environment(cr, SUPERUSER_ID, {}), self.ORDERED):
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.product = env["product.product"].create(
                {"name": "Loyalty Concurrency Product", "type": "service", "list_price": 10}
            )
            self.partner_ids = []
            for i in range(self.CUSTOMERS):
                partner = env["res.partner"].create({"name": f"Loyalty Concurrent Customer {i}"})
                order = env["sale.order"].create(
                    {
                        "partner_id": partner.id,
                        "order_line": [Command.create({"product_id": self.product.id, "price_unit": 100 + i})],
                    }
                )
                order.with_context(crm_lifecycle_no_refresh=True).action_confirm()
                self.partner_ids.append(partner.id)
            self.assertFalse(env["res.partner"].browse(self.partner_ids).loyalty_tier_id, "no tier before the run")
            # Not the first run after installation: tier changes go through the ORM, one by one.
            self.done_run = env["crm.loyalty.run"].create({"date": "2000-01-01", "state": "done"}).id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["crm.loyalty.tier.history"].search([("partner_id", "in", self.partner_ids)]).unlink()
            env["crm.lifecycle.history"].search([("partner_id", "in", self.partner_ids)]).unlink()
            env["mail.mail"].search([("model", "=", "res.partner"), ("res_id", "in", self.partner_ids)]).unlink()
            orders = env["sale.order"].search([("partner_id", "in", self.partner_ids)])
            orders.write({"state": "cancel"})
            orders.unlink()
            env["res.partner"].browse(self.partner_ids).unlink()
            env["crm.loyalty.run"].search([("id", ">=", self.done_run)]).unlink()
            self.product.with_env(env).unlink()

    def _history_counts(self):
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT partner_id, COUNT(*) FROM crm_loyalty_tier_history
                    WHERE partner_id IN %s GROUP BY partner_id""",
                [tuple(self.partner_ids)],
            )
            return dict(cr.fetchall())

    def _run_state(self, run_id):
        with self.registry.cursor() as cr:
            cr.execute("SELECT state, tier_change_count FROM crm_loyalty_run WHERE id = %s", [run_id])
            return cr.fetchone()

    def _in_two_workers(self, work, moment=None, expected=()):
        return super()._in_two_workers(work, moment or self.NIGHT, expected)

    def test_two_workers_running_the_cron_together_move_each_member_once(self):
        self._in_two_workers(lambda env: env["crm.loyalty.run"]._cron_evaluate_tiers(chunk_size=1))
        self.assertEqual(self._history_counts(), dict.fromkeys(self.partner_ids, 1))
        with self.registry.cursor() as cr:
            cr.execute("SELECT id FROM crm_loyalty_run WHERE id > %s", [self.done_run])
            runs = cr.fetchall()
        self.assertEqual(len(runs), 1, "one run")
        state, tier_changes = self._run_state(runs[0][0])
        self.assertEqual(state, "done")
        self.assertGreaterEqual(tier_changes, self.CUSTOMERS, "both workers' counts are summed")

    def test_two_workers_share_the_chunks_of_a_run(self):
        with self.registry.cursor() as cr, frozen(api.Environment(cr, SUPERUSER_ID, {}), self.NIGHT):
            run = api.Environment(cr, SUPERUSER_ID, {})["crm.loyalty.run"]._prepare_run(chunk_size=1)
            run_id, chunks = run.id, run.chunk_count
        self.assertGreaterEqual(chunks, self.CUSTOMERS)
        applied = []
        original = CrmLoyaltyRun._apply_chunk
        both_hold_a_chunk = threading.Barrier(2)

        def recording(self_, chunk, initial=False):
            worker = threading.current_thread().name
            if worker not in {name for name, __ in applied}:
                # Each worker's first chunk: wait until the other holds one too (SKIP LOCKED gave it another).
                applied.append((worker, chunk))
                both_hold_a_chunk.wait(timeout=30)
            else:
                applied.append((worker, chunk))
            return original(self_, chunk, initial=initial)

        with patch.object(CrmLoyaltyRun, "_apply_chunk", recording):
            self._in_two_workers(lambda env: env["crm.loyalty.run"].browse(run_id)._apply_chunks())
        self.assertEqual(sorted(chunk for __, chunk in applied), list(range(chunks)), "each chunk once")
        self.assertEqual(len({worker for worker, __ in applied}), 2, "both workers applied chunks")
        self.assertEqual(self._history_counts(), dict.fromkeys(self.partner_ids, 1))
        state, tier_changes = self._run_state(run_id)
        self.assertEqual(state, "done")
        self.assertGreaterEqual(tier_changes, self.CUSTOMERS)
