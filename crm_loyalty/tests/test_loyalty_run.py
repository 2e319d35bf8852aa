from datetime import datetime, time
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.base.models.ir_cron import IrCron
from odoo.addons.crm_lifecycle.tests.common import frozen

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyRun(LoyaltyCase):
    """The nightly evaluation: first run set-based and silent, chunked, resumable, idempotent."""

    def _customers_with_orders(self, amounts):
        partners = self.env["res.partner"]
        for i, amount in enumerate(amounts):
            partner = self._customer(f"Run Customer {i}")
            order = self._order(partner, self.TODAY, amount=amount, confirm=False)
            with frozen(self.env, datetime.combine(self.TODAY, time(10))):
                order.with_context(crm_lifecycle_no_refresh=True).action_confirm()
            partners |= partner
        return partners

    def test_first_run_gives_tiers_set_based_without_mails(self):
        self.env["crm.loyalty.run"].search([]).unlink()
        partners = self._customers_with_orders([100, 6000, 25000])
        self._evaluate(self._day(1), chunk_size=2)
        self.assertEqual(partners.mapped("loyalty_tier_id"), self.member + self.silver + self.gold)
        run = self.env["crm.loyalty.run"].search([])
        self.assertEqual((run.state, run.chunk_count, run.tier_change_count), ("done", 2, 3))
        history = self.env["crm.loyalty.tier.history"].search([("partner_id", "in", partners.ids)])
        self.assertEqual(len(history), 3)
        self.assertEqual(set(history.mapped("reason")), {"upgrade"})
        self.assertEqual(set(history.mapped("direction")), {"up"})
        self.assertEqual(partners[2].property_product_pricelist, self.gold_pricelist, "pricelists set-based too")
        self.assertFalse(
            self.env["mail.mail"].search([("model", "=", "res.partner"), ("res_id", "in", partners.ids)]),
            "no mail flood on the first run",
        )

    def test_later_runs_apply_changes_through_the_orm_and_are_idempotent(self):
        partners = self._customers_with_orders([6000, 100])
        self._evaluate(self._day(1))
        self.assertEqual(partners[0].loyalty_tier_id, self.silver)
        self.assertTrue(partners[0].message_ids.tracking_value_ids, "the tier change is tracked")
        self.assertTrue(self._mails(partners[0], "crm_loyalty.mail_template_loyalty_upgrade"))
        runs = self.env["crm.loyalty.run"].search([("date", "=", self._day(1))])
        self.assertEqual(runs.tier_change_count, 2)
        self._evaluate(self._day(2))
        run = self.env["crm.loyalty.run"].search([("date", "=", self._day(2))])
        self.assertEqual((run.changed_count, run.tier_change_count), (0, 0), "nothing changed: nothing written")
        self.assertEqual(len(self._history(partners[0])), 1)

    def test_a_killed_run_resumes_with_the_chunks_left(self):
        partners = self._customers_with_orders([6000, 7000, 8000])
        calls = []

        def stop_after_first_chunk(cron, processed=0, **kwargs):
            calls.append(processed)
            return 0 if processed else float("inf")  # out of time after the first chunk

        with patch.object(IrCron, "_commit_progress", stop_after_first_chunk):
            with frozen(self.env, self._day(1)):
                self.env["crm.loyalty.run"]._cron_evaluate_tiers(chunk_size=1)
        self.env.invalidate_all()
        run = self.env["crm.loyalty.run"].search([("date", "=", self._day(1))])
        self.assertEqual(run.state, "apply")
        self.assertEqual(len(partners.filtered("loyalty_tier_id")), 1)
        self._evaluate(self._day(1), chunk_size=1)  # the runner calls again: same run, the chunks left
        self.assertEqual(run.state, "done")
        self.assertEqual(partners.mapped("loyalty_tier_id"), self.silver)
        self.assertEqual(run.tier_change_count, 3)
        self.assertEqual(self.env["crm.loyalty.run"].search_count([("date", "=", self._day(1))]), 1)

    def test_a_chunk_without_tier_change_touches_no_contact(self):
        """Only the run's end copies values onto every contact; a chunk without tier change writes nothing."""
        partners = self.env["res.partner"]
        partners.flush_model()
        with self.assertQueryCount(0):
            self.assertEqual(partners._loyalty_apply_tier_changes([]), 0)
            partners._loyalty_sync_contacts([])
