from collections import deque
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.crm_lifecycle.models.res_partner import ResPartner

from .common import LifecycleCase


@tagged("post_install", "-at_install")
class TestInstallLargeDatabase(LifecycleCase):
    """Installing on a database with millions of customers: the first classification and the new columns are
    written set-based, each customer row once (issue 14: installation ≤ 5 minutes at 1,000,000 customers)."""

    def _auto_init(self, model):
        """What installation runs for the model's table (outside of a registry loading: its post-init queue)."""
        with patch.object(self.registry, "_post_init_queue", deque(), create=True):
            self.env[model]._auto_init()

    def _row_version(self, record):
        self.env.flush_all()
        self.env.cr.execute(f"SELECT ctid::text FROM {record._table} WHERE id = %s", [record.id])  # noqa: S608
        return self.env.cr.fetchone()[0]

    def test_new_currency_column_filled_without_rewriting_partners(self):
        """lifecycle_currency_id, created at installation: the main company's currency for every existing
        partner without an UPDATE of each row; a partner of a company in another currency gets that one."""
        customer = self._customer("Existing Customer")
        euro = self.env.ref("base.EUR")
        euro.active = True
        other = self.env["res.company"].create({"name": "Euro Company", "currency_id": euro.id})
        foreign = self._customer("Euro Customer", company_id=other.id)
        self.env.cr.execute("SELECT currency_id FROM res_company ORDER BY sequence, id LIMIT 1")
        main_currency = self.env.cr.fetchone()[0]
        self.assertNotEqual(main_currency, euro.id)
        before = self._row_version(customer)
        self.env.cr.execute("ALTER TABLE res_partner DROP COLUMN lifecycle_currency_id CASCADE")
        self._auto_init("res.partner")
        self.env.invalidate_all()
        self.assertEqual(customer.lifecycle_currency_id.id, main_currency)
        self.assertEqual(foreign.lifecycle_currency_id, euro)
        self.assertEqual(self._row_version(customer), before, "the partner row was not rewritten")
        self.env.cr.execute(
            """SELECT column_default FROM information_schema.columns
                WHERE table_name = 'res_partner' AND column_name = 'lifecycle_currency_id'"""
        )
        self.assertIsNone(self.env.cr.fetchone()[0], "no column default left: new partners are computed by the ORM")
        created = self._customer("New Customer", company_id=other.id)
        self.assertEqual(created.lifecycle_currency_id, euro)

    def test_first_run_sets_first_stages_in_the_values_update(self):
        """The first run after installation: a customer without a stage gets it with her values in the same
        UPDATE, her contacts too, a history line, no chatter message; a customer an order already
        classified since the installation moves through the ORM as on any night."""
        company = self._customer("Old Company", is_company=True)
        contact = self._customer("Old Contact", parent_id=company.id)
        self._order(company, self._days_ago(500))
        classified = self._customer("Classified Since")
        self._order(classified, self._days_ago(100))  # new on its order day: active today, through the ORM
        self.assertEqual(classified.lifecycle_stage_id, self.stage["new"])
        # The state installation leaves: existing customers without a stage nor history.
        self.env.cr.execute(
            "UPDATE res_partner SET lifecycle_stage_id = NULL, lifecycle_stage_date = NULL WHERE id IN %s",
            [(company.id, contact.id)],
        )
        self.env.cr.execute("DELETE FROM crm_lifecycle_history WHERE partner_id IN %s", [(company.id, contact.id)])
        self.env.invalidate_all()
        messages = len(company.message_ids)
        calls = []
        original = ResPartner._lifecycle_apply_stage_changes

        def spy(self_, moves, **kwargs):
            calls.append(sorted(move[0] for move in moves))
            return original(self_, moves, **kwargs)

        with patch.object(ResPartner, "_lifecycle_apply_stage_changes", spy):
            self._run_cron()
        self.assertEqual(company.lifecycle_stage_id, self.stage["churned"])
        self.assertEqual(contact.lifecycle_stage_id, self.stage["churned"], "contacts follow their entity")
        self.assertEqual((company.order_count, contact.order_count), (1, 1))
        self.assertEqual(company.lifecycle_history_ids.mapped("reason"), ["time"])
        self.assertEqual(len(company.message_ids), messages, "no chatter message for a first stage")
        self.assertEqual(calls, [[classified.id]], "only the customer who had a stage goes through the ORM")
        self.assertEqual(classified.lifecycle_stage_id, self.stage["active"])
        run = self.env["crm.lifecycle.run"].search([], limit=1)
        self.assertEqual((run.state, run.stage_change_count, run.error_count), ("done", 2, 0))
