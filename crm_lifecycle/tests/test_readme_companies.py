"""README known limit: settings are per company and a customer is evaluated with the settings of its company."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .common import LifecycleCase


@tagged("post_install", "-at_install")
class TestReadmeCompanySettings(LifecycleCase):
    def test_a_customer_is_evaluated_with_the_settings_of_its_company(self):
        company_b = self.env["res.company"].create({"name": "Company B", "lifecycle_new_days": 30})
        company_b.partner_id.tz = "UTC"
        self.assertEqual((self.company.lifecycle_new_days, company_b.lifecycle_new_days), (90, 30))
        customer_a = self._customer("Customer Of A", company_id=self.company.id)
        self._order(customer_a, self._days_ago(40), amount=100)
        customer_b = self._customer("Customer Of B", company_id=company_b.id)
        with freeze_time(datetime.combine(self._days_ago(40), datetime.min.time()) + timedelta(hours=10)):
            self.env["sale.order"].with_company(company_b).create(
                {
                    "partner_id": customer_b.id,
                    "company_id": company_b.id,
                    "order_line": [Command.create({"product_id": self.product.id, "price_unit": 100})],
                }
            ).action_confirm()
        self._run_cron()
        self.assertEqual(customer_a.lifecycle_stage_id, self.stage["new"], "40 days < company A's 90 new days")
        self.assertEqual(customer_b.lifecycle_stage_id, self.stage["active"], "40 days >= company B's 30 new days")
