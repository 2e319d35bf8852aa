import threading
from contextlib import contextmanager, nullcontext
from datetime import date, datetime, time, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, fields
from odoo.fields import Command
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL

from odoo.addons.base.models.ir_cron import IrCron

# The company's business time zone in the fixtures: 8 hours ahead of UTC, so a day boundary taken in UTC
# (or in the user's zone) instead of the company's shows at once.
COMPANY_TZ = "Asia/Shanghai"


@contextmanager
def frozen(env, moment):
    """Both clocks at `moment` (a naive UTC datetime, or a date for its 00:00 UTC): Python's (freezegun) and
    the transaction's (cr.now(), which stamps create_date and write_date), as mail's mock_datetime_and_now."""
    if isinstance(moment, str):
        moment = fields.Datetime.to_datetime(moment)
    elif not isinstance(moment, datetime):
        moment = datetime.combine(moment, time.min)
    with freeze_time(moment), patch.object(env.cr, "now", lambda: moment):
        yield


class LifecycleCase(TransactionCase):
    """Customers with real sale orders on real PostgreSQL, and a company clock we control.

    Realistic by default: the company's business time zone is Asia/Shanghai (UTC+8), products carry a 15 %
    sales tax (price excluded, so amount_total is 1.15 x amount_untaxed), the user running jobs is in UTC
    (like Odoo's bot), the salesperson and manager in other zones, and a second company (America/New_York)
    exists. A test that needs a UTC company says so (`_use_utc_company`).
    """

    TODAY = date(2026, 6, 15)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.partner_id.tz = COMPANY_TZ
        cls.company.crm_care_tz = COMPANY_TZ
        cls.env.user.tz = "UTC"
        cls.company.write(
            {
                "lifecycle_new_days": 90,
                "lifecycle_active_days": 180,
                "lifecycle_churn_days": 365,
                "lifecycle_loyal_min_orders": 3,
                "rfm_window_days": 730,
                "clv_margin_rate": 0.3,
                "clv_discount_rate": 0.1,
                "clv_horizon_years": 5,
                "clv_retention_rate": 0.0,
                "clv_retention_estimate_date": False,  # no estimate of an earlier night (installation's)
                "rfm_cut_points": False,  # nor RFM cut points
                "rfm_cut_points_date": False,
                "rfm_cut_points_check_date": False,
            }
        )
        # Tests measure relative scores and exact stage moves: start from a database without customers.
        cls.env.flush_all()
        cls.env.cr.execute("UPDATE sale_order SET state = 'cancel' WHERE state != 'cancel'")
        cls.env.cr.execute("UPDATE crm_lead SET active = FALSE")
        cls.env.cr.execute("DELETE FROM crm_lifecycle_run")
        cls.env.cr.execute(
            """UPDATE res_partner
                  SET lifecycle_stage_id = NULL, lifecycle_locked = FALSE, order_count = 0, first_order_date = NULL,
                      last_order_date = NULL, total_revenue = 0, revenue_last_year = 0, rfm_recency_score = NULL"""
        )
        cls.env.invalidate_all()
        cls.tax = cls.env["account.tax"].create(
            {
                "name": "Care VAT 15%",
                "amount": 15.0,
                "amount_type": "percent",
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Care Test Product", "list_price": 100.0, "taxes_id": [Command.set(cls.tax.ids)]}
        )
        cls.stages = cls.env["crm.lifecycle.stage"].search([])
        cls.stage = {stage.code: stage for stage in cls.stages}
        cls.manager = new_test_user(
            cls.env, "care_manager", groups="sales_team.group_sale_manager", name="Care Manager", tz="America/New_York"
        )
        cls.salesman = new_test_user(
            cls.env, "care_salesman", groups="sales_team.group_sale_salesman", name="Care Salesman", tz="Europe/Paris"
        )
        cls.company_2 = cls.env["res.company"].create(
            {"name": "Care Second Company", "crm_care_tz": "America/New_York"}
        )

    @classmethod
    def _use_utc_company(cls):
        """For tests whose expected values are written in UTC days: Odoo's defaults, no time zone on the
        company's address, so the company's business time zone is UTC (whatever the users' zones)."""
        cls.company.partner_id.tz = False
        cls.company.crm_care_tz = "UTC"

    @classmethod
    def _customer(cls, name="Customer", **vals):
        email = f"{name.lower().replace(' ', '.')}@example.com"
        return cls.env["res.partner"].create({"name": name, "email": email, **vals})

    @classmethod
    def _order(cls, partner, on, amount=100.0, confirm=True, currency=None):
        """A sale order of `amount` (untaxed; the product's 15 % tax comes on top) for partner, created and
        confirmed on day `on` at 10:00 UTC (18:00 in Shanghai: the same day), or at `on` if it is a datetime."""
        moment = on if isinstance(on, datetime) else datetime.combine(on, datetime.min.time()) + timedelta(hours=10)
        with frozen(cls.env, moment):
            vals = {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 1, "price_unit": amount})
                ],
            }
            if currency:
                pricelist = cls.env["product.pricelist"].create({"name": currency.name, "currency_id": currency.id})
                vals["pricelist_id"] = pricelist.id
            order = cls.env["sale.order"].create(vals)
            if confirm:
                order.action_confirm()
        return order

    def _copy_order(self, order, copies):
        """Bulk-copy a confirmed order `copies` times in SQL: real rows, without as many ORM round trips."""
        self.env.flush_all()
        self.env.cr.execute(
            """SELECT column_name FROM information_schema.columns
                WHERE table_name = 'sale_order' AND column_name != 'id' ORDER BY ordinal_position"""
        )
        columns = SQL(", ").join(SQL.identifier(name) for (name,) in self.env.cr.fetchall())
        self.env.cr.execute(
            SQL(
                "INSERT INTO sale_order (%s) SELECT %s FROM sale_order, generate_series(1, %s) WHERE id = %s",
                columns,
                columns,
                copies,
                order.id,
            )
        )

    def _plan_call_when_at_risk(self):
        """The README's example Automation Rule: on contacts' updates of the lifecycle stage, a call planned
        for the salesperson (summary "Customer at risk") when a customer becomes At Risk."""
        automation = self.env["base.automation"].create(
            {
                "name": "Call customers at risk",
                "model_id": self.env.ref("base.model_res_partner").id,
                "trigger": "on_create_or_write",
                "trigger_field_ids": [(4, self.env.ref("crm_lifecycle.field_res_partner__lifecycle_stage_id").id)],
                "filter_pre_domain": "[('lifecycle_stage_id.code', '!=', 'at_risk')]",
                "filter_domain": "[('lifecycle_stage_id.code', '=', 'at_risk')]",
            }
        )
        self.env["ir.actions.server"].create(
            {
                "name": "Plan a call",
                "model_id": self.env.ref("base.model_res_partner").id,
                "base_automation_id": automation.id,
                "state": "next_activity",
                "activity_type_id": self.env.ref("mail.mail_activity_data_call").id,
                "activity_summary": "Customer at risk",
                "activity_user_type": "specific",
                "activity_user_id": self.salesman.id,
            }
        )

    def _days_ago(self, days):
        return self.TODAY - timedelta(days=days)

    @contextmanager
    def _no_commit(self):
        """The cron's commits are the test transaction's savepoints: progress is kept, nothing committed."""
        with patch.object(IrCron, "_commit_progress", lambda self, processed=0, **kw: float("inf")):
            yield

    def _refresh_cohorts(self, on=None):
        """The nightly scheduled action *Refresh cohort retention*, at `on` (default TODAY), frozen."""
        with frozen(self.env, on or self.TODAY):
            self.env["crm.care.cohort.report"]._cron_refresh_cohorts()
        self.env.invalidate_all()

    def _run_cron(self, on=None, **kwargs):
        with frozen(self.env, on or self.TODAY), self._no_commit():
            self.env["crm.lifecycle.run"]._cron_refresh(**kwargs)
        self.env.invalidate_all()

    def _refresh(self, partners, on=None):
        with frozen(self.env, on or self.TODAY):
            partners._lifecycle_refresh(reason="manual")
        self.env.invalidate_all()


class TwoWorkersCase(TransactionCase):
    """Base of the tests running a batch job in two workers on real, separate database connections.

    Such a test writes nothing in the test transaction (it would hold row locks the workers wait for):
    its data is committed through `self.registry.cursor()` and cleaned up afterwards.
    """

    def _in_two_workers(self, work, moment=None, expected=()):
        """Run work(env) in two threads, each with its own cursor (committed at the end), started together
        at frozen `moment`; fails on an error not of an `expected` type, returns the errors."""
        barrier = threading.Barrier(2)
        errors = []

        def worker():
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    with frozen(env, moment) if moment else nullcontext():  # the worker's own clocks
                        barrier.wait(timeout=30)
                        work(env)
            except Exception as error:  # noqa: BLE001 - reported by the test below
                errors.append(error)

        threads = [threading.Thread(target=worker) for __ in range(2)]
        with freeze_time(moment) if moment else nullcontext():
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.assertFalse([thread for thread in threads if thread.is_alive()], "a worker did not finish")
        self.assertFalse([error for error in errors if not isinstance(error, expected)])
        return errors
