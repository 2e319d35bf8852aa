from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_cron import IrCron
from odoo.addons.crm_lifecycle.models.crm_lifecycle_run import CrmLifecycleRun
from odoo.addons.crm_lifecycle.models.res_partner import ResPartner

from .common import LifecycleCase, frozen


@tagged("post_install", "-at_install")
class TestLifecycleRefresh(LifecycleCase):
    """The nightly run: resumable, idempotent, only changed customers through the ORM."""

    def _mark_classified(self):
        self.env["crm.lifecycle.run"].create({"date": self.TODAY, "state": "done"})

    def _three_customers(self):
        partners = self._customer("One") | self._customer("Two") | self._customer("Three")
        for partner in partners:
            self._order(partner, self._days_ago(100))
        # Order events classified them on their order day: the run at TODAY has work for each.
        return partners

    def test_first_run_classifies_set_based_with_history(self):
        partner = self._customer("Old Customer")
        self._order(partner, self._days_ago(500))
        self.env.cr.execute("UPDATE res_partner SET lifecycle_stage_id = NULL WHERE id = %s", [partner.id])
        self.env.cr.execute("DELETE FROM crm_lifecycle_history")
        self.env.invalidate_all()
        messages = len(partner.message_ids)
        self._run_cron()
        self.assertEqual(partner.lifecycle_stage_id, self.stage["churned"])
        self.assertEqual(partner.lifecycle_history_ids.reason, "time")
        self.assertEqual(len(partner.message_ids), messages, "first classification posts no chatter message")
        run = self.env["crm.lifecycle.run"].search([], limit=1)
        self.assertEqual((run.state, run.stage_change_count), ("done", 1))

    def test_rerun_same_day_changes_nothing(self):
        self._mark_classified()
        partners = self._three_customers()
        self._run_cron()
        history = partners.lifecycle_history_ids
        self._run_cron()
        run = self.env["crm.lifecycle.run"].search([], limit=1)
        self.assertEqual((run.state, run.changed_count, run.stage_change_count), ("done", 0, 0))
        self.assertEqual(partners.lifecycle_history_ids, history)

    def test_only_stage_changes_go_through_the_orm(self):
        self._mark_classified()
        moving = self._customer("Moving")
        self._order(moving, self._days_ago(100))  # new on its order day, active today
        steady = self._customer("Steady")
        self._order(steady, self.TODAY)  # new, stays new
        calls = []
        original = ResPartner._lifecycle_apply_stage_changes

        def spy(self_, moves, **kwargs):
            calls.append([move[0] for move in moves])
            return original(self_, moves, **kwargs)

        with patch.object(ResPartner, "_lifecycle_apply_stage_changes", spy):
            self._run_cron()
        self.assertEqual(calls, [[moving.id]])
        self.assertEqual(moving.lifecycle_stage_id, self.stage["active"])

    def test_killed_run_resumes_without_redoing_finished_chunks(self):
        self._mark_classified()
        one, two, three = self._three_customers()
        applied = []
        original = CrmLifecycleRun._apply_chunk

        def crash_on_second_chunk(self_, chunk, initial=False):
            if len(applied) == 1:
                raise RuntimeError("worker killed")
            applied.append(chunk)
            return original(self_, chunk, initial=initial)

        # Not assertRaises: Odoo's rolls back to a savepoint, we want what a killed worker had committed.
        with patch.object(CrmLifecycleRun, "_apply_chunk", crash_on_second_chunk):
            killed = False
            try:
                self._run_cron(chunk_size=1)
            except RuntimeError:
                killed = True
            self.assertTrue(killed, "the worker should have been killed")
        run = self.env["crm.lifecycle.run"].search([], limit=1)
        self.assertEqual((run.state, run.chunk_count), ("apply", 3))
        self.assertEqual(one.lifecycle_stage_id, self.stage["active"])
        self.assertEqual(two.lifecycle_stage_id, self.stage["new"], "second chunk was not applied")

        def count(self_, chunk, initial=False):
            applied.append(chunk)
            return original(self_, chunk, initial=initial)

        with patch.object(CrmLifecycleRun, "_apply_chunk", count):
            self._run_cron(chunk_size=1)
        self.assertEqual(applied, [0, 1, 2], "chunk 0 was applied once, the resumed run did chunks 1 and 2")
        self.assertEqual(self.env["crm.lifecycle.run"].search([], limit=1), run)
        self.assertEqual(run.state, "done")
        self.assertEqual((two | three).lifecycle_stage_id, self.stage["active"])

    def test_stale_run_of_previous_day_is_abandoned(self):
        self._mark_classified()
        stale = self.env["crm.lifecycle.run"].create({"date": self._days_ago(1), "state": "apply"})
        self._three_customers()
        self._run_cron()
        self.assertEqual(stale.state, "cancel")

    def test_run_logs_are_kept_a_year(self):
        Run = self.env["crm.lifecycle.run"]
        old = Run.create({"date": fields.Date.subtract(fields.Date.today(), days=400), "state": "done"})
        recent = Run.create({"date": fields.Date.subtract(fields.Date.today(), days=300), "state": "done"})
        self.env["crm.batch.run.mixin"]._gc_batch_runs()  # the abstract model itself has no logs
        self.assertTrue(old.exists())
        Run._gc_batch_runs()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())

    def test_automation_rule_plans_activity_when_customer_becomes_at_risk(self):
        self._mark_classified()
        self._plan_call_when_at_risk()
        drifting = self._customer("Drifting")
        self._order(drifting, self._days_ago(179))
        self._run_cron()
        self.assertFalse(drifting.activity_ids)
        self._run_cron(on=self._days_ago(-1))
        self.assertEqual(drifting.lifecycle_stage_id, self.stage["at_risk"])
        self.assertEqual(drifting.activity_ids.summary, "Customer at risk")
        self.assertEqual(drifting.activity_ids.user_id, self.salesman)

    @mute_logger(
        "odoo.addons.crm_lifecycle.models.crm_lifecycle_run", "odoo.addons.base_automation.models.base_automation"
    )
    def test_one_failing_customer_does_not_stop_the_batch(self):
        self._mark_classified()
        automation = self.env["base.automation"].create(
            {
                "name": "Broken rule",
                "model_id": self.env.ref("base.model_res_partner").id,
                "trigger": "on_create_or_write",
                "trigger_field_ids": [(4, self.env.ref("crm_lifecycle.field_res_partner__lifecycle_stage_id").id)],
                "filter_domain": "[('name', '=', 'Broken'), ('lifecycle_stage_id', '!=', False)]",
            }
        )
        self.env["ir.actions.server"].create(
            {
                "name": "Fail",
                "model_id": self.env.ref("base.model_res_partner").id,
                "base_automation_id": automation.id,
                "state": "code",
                "code": "raise UserError('broken automation')",
            }
        )
        broken, healthy = self._customer("Broken"), self._customer("Healthy")
        for partner in (broken, healthy):
            # The order itself is confirmed even though Broken's stage change fails.
            self.assertEqual(self._order(partner, self._days_ago(100)).state, "sale")
        self.assertFalse(broken.lifecycle_stage_id)
        self.assertEqual(healthy.lifecycle_stage_id, self.stage["new"])
        self._run_cron()
        run = self.env["crm.lifecycle.run"].search([], limit=1)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.error_count, 1)
        self.assertFalse(broken.lifecycle_stage_id)
        self.assertEqual(healthy.lifecycle_stage_id, self.stage["active"])


@tagged("post_install", "-at_install")
class TestLifecycleRefreshUnderOdooCronRunner(LifecycleCase):
    """Odoo's cron runner calls a job again and again while it reports work left, each call with a fresh
    progress record (0 remaining) and a time budget of its own (ir.cron._run_job): a run resumed by such a call
    must report its remaining chunks, or the runner takes the job for done after one chunk."""

    def test_resumed_run_reports_its_remaining_chunks(self):
        self.env["crm.lifecycle.run"].create({"date": self.TODAY, "state": "done"})
        partners = self._customer("One") | self._customer("Two") | self._customer("Three")
        for partner in partners:
            self._order(partner, self._days_ago(100))
        progress = {}

        def commit_progress(self_, processed=0, *, remaining=None, deactivate=False):
            # Odoo's bookkeeping of one call (ir.cron._commit_progress), out of time at once.
            progress["remaining"] = max(progress["remaining"] - processed, 0) if remaining is None else remaining
            return 0

        calls = 0
        with frozen(self.env, self.TODAY), patch.object(IrCron, "_commit_progress", commit_progress):
            while True:  # the runner's loop: a new progress record per call, until nothing is left
                calls += 1
                progress["remaining"] = 0
                self.env["crm.lifecycle.run"]._cron_refresh(chunk_size=1)
                if not progress["remaining"] or calls > 10:
                    break
        self.env.invalidate_all()
        run = self.env["crm.lifecycle.run"].search([], limit=1)
        self.assertEqual((run.state, run.chunk_count, run.changed_count), ("done", 3, 3))
        self.assertEqual(partners.mapped("lifecycle_stage_id"), self.stage["active"])
        self.assertEqual(calls, 3, "one chunk per call: the runner called the job until the run was done")
