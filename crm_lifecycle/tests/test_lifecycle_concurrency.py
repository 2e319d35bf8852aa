import threading
from datetime import date, datetime, timedelta
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.crm_lifecycle.models.crm_lifecycle_run import CrmLifecycleRun

from .common import TwoWorkersCase, frozen


@tagged("post_install", "-at_install")
class TestLifecycleConcurrency(TwoWorkersCase):
    """Two workers refresh the lifecycle on real, separate database connections."""

    TODAY = date(2026, 6, 15)
    CUSTOMERS = 12

    def setUp(self):
        super().setUp()
        ordered = self.TODAY - timedelta(days=100)
        with self.registry.cursor() as cr, frozen(api.Environment(cr, SUPERUSER_ID, {}), ordered):
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.product = env["product.product"].create(
                {"name": "Concurrency Product", "type": "service", "list_price": 10}
            )
            self.partner_ids = []
            for i in range(self.CUSTOMERS):
                partner = env["res.partner"].create({"name": f"Concurrent Customer {i}"})
                order = env["sale.order"].create(
                    {"partner_id": partner.id, "order_line": [Command.create({"product_id": self.product.id})]}
                )
                order.action_confirm()
                self.partner_ids.append(partner.id)
            self.done_run = env["crm.lifecycle.run"].create({"date": self.TODAY, "state": "done"}).id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["crm.lifecycle.history"].search([("partner_id", "in", self.partner_ids)]).unlink()
            orders = env["sale.order"].search([("partner_id", "in", self.partner_ids)])
            orders.write({"state": "cancel"})
            orders.unlink()
            env["res.partner"].browse(self.partner_ids).unlink()
            env["crm.lifecycle.run"].search([("id", ">=", self.done_run)]).unlink()
            self.product.with_env(env).unlink()

    def _in_two_workers(self, work):
        return super()._in_two_workers(work, datetime.combine(self.TODAY, datetime.min.time()) + timedelta(hours=3))

    def _history_counts(self):
        with self.registry.cursor() as cr:
            cr.execute(
                """SELECT partner_id, COUNT(*) FROM crm_lifecycle_history
                    WHERE partner_id IN %s AND reason = 'time' GROUP BY partner_id""",
                [tuple(self.partner_ids)],
            )
            return dict(cr.fetchall())

    def test_two_workers_running_the_cron_together_move_each_customer_once(self):
        self._in_two_workers(lambda env: env["crm.lifecycle.run"]._cron_refresh(chunk_size=1))
        self.assertEqual(self._history_counts(), dict.fromkeys(self.partner_ids, 1))
        with self.registry.cursor() as cr:
            cr.execute("SELECT state FROM crm_lifecycle_run WHERE id > %s", [self.done_run])
            self.assertEqual(cr.fetchall(), [("done",)], "one run, finished")

    def test_two_workers_share_the_chunks_of_a_run(self):
        with self.registry.cursor() as cr, frozen(api.Environment(cr, SUPERUSER_ID, {}), self.TODAY):
            run = api.Environment(cr, SUPERUSER_ID, {})["crm.lifecycle.run"]._prepare_run(chunk_size=1)
            run_id, chunks = run.id, run.chunk_count
        self.assertEqual(chunks, self.CUSTOMERS)
        applied = []
        original = CrmLifecycleRun._apply_chunk
        both_hold_a_chunk = threading.Barrier(2)

        def recording(self_, chunk, initial=False):
            worker = threading.current_thread().name
            first = worker not in {name for name, __ in applied}
            applied.append((worker, chunk))
            if first:  # each worker's first chunk: wait until the other holds one too (SKIP LOCKED)
                both_hold_a_chunk.wait(timeout=30)
            return original(self_, chunk, initial=initial)

        with patch.object(CrmLifecycleRun, "_apply_chunk", recording):
            self._in_two_workers(lambda env: env["crm.lifecycle.run"].browse(run_id)._apply_chunks())
        self.assertEqual(sorted(chunk for __, chunk in applied), list(range(chunks)), "each chunk once")
        self.assertEqual(len({worker for worker, __ in applied}), 2, "both workers applied chunks")
        self.assertEqual(self._history_counts(), dict.fromkeys(self.partner_ids, 1))
        with self.registry.cursor() as cr:
            cr.execute("SELECT state FROM crm_lifecycle_run WHERE id = %s", [run_id])
            self.assertEqual(cr.fetchone()[0], "done")
