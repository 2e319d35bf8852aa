"""The demo's complaints are about their customers' orders and, for delivery and product complaints, one of the
order's products, so Complaints by Product (and its complaint rate per 100 orders) has figures in the demo.
The demo XML files are loaded with Odoo's XML loader into the test transaction (no demo data in the test
database), for customers who buy."""

from datetime import datetime

from odoo.tests import tagged
from odoo.tools.convert import convert_file

from odoo.addons.crm_lifecycle.tests.common import LifecycleCase, frozen
from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestDemoComplaintsByProduct(LifecycleCase):
    def test_demo_complaints_are_about_their_customers_orders_and_products(self):
        marc = mail_new_test_user(self.env, login="marc_demo", groups="sales_team.group_sale_salesman")
        self.env["ir.model.data"]._update_xmlids([{"xml_id": "base.user_demo", "record": marc}])
        buyers = self.env["res.partner"]
        for number in range(4):
            buyer = self._customer(f"Demo Buyer {number}", is_company=True)
            for age in (40, 10):
                self._order(buyer, self._days_ago(age), amount=100 + number)
            buyers |= buyer
        self._run_cron()
        self.assertEqual(set(buyers.mapped("lifecycle_stage_id.code")) - {"new", "active", "loyal"}, set())
        with frozen(self.env, datetime(2026, 6, 15, 2, 30)):
            for module, filename in (
                ("crm_lifecycle", "data/res_users_demo.xml"),
                ("crm_lifecycle", "data/crm_segment_demo.xml"),
                ("crm_complaints", "data/crm_complaints_demo.xml"),
            ):
                convert_file(self.env, module, filename, {}, mode="init", noupdate=True)
            self.env.flush_all()
        complaints = self.env["crm.complaint"].search([("partner_id", "in", buyers.ids)])
        self.assertEqual(len(complaints), 30)
        self.assertTrue(all(c.sale_order_id.partner_id == c.partner_id for c in complaints), "their own orders")
        self.assertEqual(set(complaints.sale_order_id.mapped("state")), {"sale"})
        with_product = complaints.filtered("product_id")
        self.assertTrue(with_product, "delivery and product complaints name a product")
        self.assertTrue(all(c.product_id in c.sale_order_id.order_line.product_id for c in with_product))
        self.assertEqual(set(with_product.mapped("category_id.name")) & {"Service", "Billing"}, set())
        report = self.env["crm.complaint.product.report"].search([("product_id", "=", self.product.id)])
        counted = with_product.filtered(lambda c: c.state != "cancelled")
        self.assertEqual(sum(report.mapped("complaint_count")), len(counted))
        self.assertEqual(sum(report.mapped("order_count")), 8)
