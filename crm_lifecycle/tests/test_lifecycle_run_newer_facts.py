from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.crm_lifecycle.models.crm_batch_run import CrmBatchRunMixin

from .common import TwoWorkersCase


@tagged("post_install", "-at_install")
class TestLifecycleRunKeepsNewerFacts(TwoWorkersCase):
    """A nightly run prepared before an order never writes its older values over the order's.

    Each step runs on its own real database connection, committed, as the cron and a salesperson would:
    the run is prepared at 01:00, the customer orders at 01:02, the run's chunk is applied at 01:05.
    """

    TODAY = date(2026, 6, 15)

    def _at(self, hour, minute=0):
        return datetime.combine(self.TODAY, datetime.min.time()) + timedelta(hours=hour, minutes=minute)

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self._env(cr)
            company = env.company
            self.first_age = company.lifecycle_active_days + 20  # At Risk from today on
            self.assertLess(self.first_age, company.lifecycle_churn_days)
            self.product = env["product.product"].create(
                {"name": "Newer Facts Product", "type": "service", "list_price": 100, "taxes_id": [Command.clear()]}
            )
            self.partner_id = env["res.partner"].create({"name": "Newer Facts Customer"}).id
            # Not the first run after installation: stage changes go through the ORM.
            self.done_run = env["crm.lifecycle.run"].create({"date": "2000-01-01", "state": "done"}).id
            # No RFM cut points yet (as on a new company): her order keeps no RFM scores, so the prepared line
            # (scored against the run's first estimate) writes her row when applied.
            self.rfm_fields = ("rfm_cut_points", "rfm_cut_points_date", "rfm_cut_points_check_date")
            self.rfm_saved = {name: company[name] for name in self.rfm_fields}
            company.write(dict.fromkeys(self.rfm_fields, False))
        with freeze_time(self._at(10) - timedelta(days=self.first_age)), self.registry.cursor() as cr:
            self._confirm_order(self._env(cr))
        self.addCleanup(self._cleanup)

    def _confirm_order(self, env):
        order = env["sale.order"].create(
            {
                "partner_id": self.partner_id,
                "order_line": [Command.create({"product_id": self.product.id, "price_unit": 100})],
            }
        )
        order.action_confirm()

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = self._env(cr)
            env["crm.lifecycle.history"].search([("partner_id", "=", self.partner_id)]).unlink()
            orders = env["sale.order"].search([("partner_id", "=", self.partner_id)])
            orders.write({"state": "cancel"})
            orders.unlink()
            env["res.partner"].browse(self.partner_id).unlink()
            env["crm.lifecycle.run"].search([("id", ">=", self.done_run)]).unlink()
            self.product.with_env(env).unlink()
            env.company.write(self.rfm_saved)

    def _customer(self):
        """(stage code, order count, last order date) as committed."""
        with self.registry.cursor() as cr:
            partner = self._env(cr)["res.partner"].browse(self.partner_id)
            return partner.lifecycle_stage_id.code, partner.order_count, partner.last_order_date

    def test_order_between_preparation_and_application_is_kept(self):
        with freeze_time(self._at(1)), self.registry.cursor() as cr:
            run = self._env(cr)["crm.lifecycle.run"]._prepare_run(chunk_size=20000)
            run_id = run.id
            cr.execute(
                "SELECT order_count, stage_id FROM crm_lifecycle_run_line WHERE run_id = %s AND partner_id = %s",
                [run_id, self.partner_id],
            )
            count, stage_id = cr.fetchone()
            self.assertEqual((count, self._env(cr)["crm.lifecycle.stage"].browse(stage_id).code), (1, "at_risk"))
        with freeze_time(self._at(1, 2)), self.registry.cursor() as cr:
            self._confirm_order(self._env(cr))
        self.assertEqual(self._customer(), ("active", 2, self.TODAY), "the order-time refresh made her Active")
        with freeze_time(self._at(1, 5)), self.registry.cursor() as cr:
            self._env(cr)["crm.lifecycle.run"].browse(run_id)._apply_chunks()
        self.assertEqual(self._customer(), ("active", 2, self.TODAY), "the run did not bring back her older values")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state FROM crm_lifecycle_run WHERE id = %s UNION ALL "
                "SELECT s.code FROM crm_lifecycle_history h JOIN crm_lifecycle_stage s ON s.id = h.to_stage_id "
                "WHERE h.partner_id = %s AND s.code = 'at_risk'",
                [run_id, self.partner_id],
            )
            self.assertEqual(cr.fetchall(), [("done",)], "run finished; she never went At Risk")

    def test_order_committed_while_the_chunk_is_applied_is_kept(self):
        """The order commits after the applying transaction took its snapshot, before it writes: its UPDATE
        meets the newer row (serialization failure), the chunk is applied again with a fresh snapshot."""
        with freeze_time(self._at(1)), self.registry.cursor() as cr:
            run_id = self._env(cr)["crm.lifecycle.run"]._prepare_run(chunk_size=20000).id
        original = CrmBatchRunMixin._get_stale_partner_ids
        calls = []

        def order_meanwhile(self_, chunk, columns):
            calls.append(chunk)
            if len(calls) == 1:
                self_.env.cr.execute("SELECT 1")  # the applying transaction's snapshot is taken
                with self.registry.cursor() as other:
                    self._confirm_order(self._env(other))
            return original(self_, chunk, columns)

        with (
            freeze_time(self._at(1, 5)),
            patch.object(CrmBatchRunMixin, "_get_stale_partner_ids", order_meanwhile),
            self.registry.cursor() as cr,
        ):
            self._env(cr)["crm.lifecycle.run"].browse(run_id)._apply_chunks()
        self.assertEqual(calls, [0, 0], "the chunk was applied again after the conflict")
        self.assertEqual(self._customer(), ("active", 2, self.TODAY))

    def test_unchanged_customer_gets_the_prepared_values(self):
        """The check does not block the run: a customer nobody touched moves to At Risk."""
        with freeze_time(self._at(1)), self.registry.cursor() as cr:
            run_id = self._env(cr)["crm.lifecycle.run"]._prepare_run(chunk_size=20000).id
        with freeze_time(self._at(1, 5)), self.registry.cursor() as cr:
            self._env(cr)["crm.lifecycle.run"].browse(run_id)._apply_chunks()
        self.assertEqual(self._customer(), ("at_risk", 1, self.TODAY - timedelta(days=self.first_age)))
