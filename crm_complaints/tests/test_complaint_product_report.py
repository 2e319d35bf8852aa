from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.common import LifecycleCase, frozen
from odoo.addons.crm_lifecycle.tests.purchase_common import PurchaseLedgerMixin


@tagged("post_install", "-at_install")
class TestComplaintProductReport(PurchaseLedgerMixin, LifecycleCase):
    """Complaints by product and per 100 confirmed orders of the product (purchase ledger: net of refunds), on real
    orders, a credit note made with the credit-note wizard and complaints filed through the ORM."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})
        cls.kettle = cls.product
        cls.toaster = cls.env["product.product"].create({"name": "Care Test Toaster", "list_price": 50.0})
        cls.stage_cancelled = cls.env["crm.complaint.stage"].search([("state", "=", "cancelled")], limit=1)

    def _order_of(self, partner, products, days_ago):
        with frozen(self.env, self._days_ago(days_ago)):
            order = self.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": 100})
                        for product in products
                    ],
                }
            )
            order.action_confirm()
        return order

    def _complaint(self, partner, product, order=None):
        return self.env["crm.complaint"].create(
            {
                "subject": f"About {product.name}",
                "partner_id": partner.id,
                "product_id": product.id,
                "sale_order_id": order.id if order else False,
                "team_id": False,
            }
        )

    def _rows(self):
        rows = self.env["crm.complaint.product.report"].search(
            [("product_id", "in", (self.kettle | self.toaster).ids), ("company_id", "=", self.company.id)]
        )
        return {row.product_id: (row.complaint_count, row.order_count, row.complaint_rate) for row in rows}

    def test_complaints_per_100_orders_of_the_product(self):
        ann, bob = self._customer("Kettle Ann"), self._customer("Toaster Bob")
        kettle_orders = [self._order_of(ann, self.kettle, days) for days in (50, 40, 30)]
        both = self._order_of(bob, self.kettle | self.toaster, 20)
        self._order_of(bob, self.toaster, 10)
        self._order_of(bob, self.toaster, 5)
        # An order of the kettle refunded in full (credit-note wizard) is no order of it.
        refunded = self._order_of(ann, self.kettle, 25)
        self._refund(self._invoice(refunded, self._days_ago(24)), self._days_ago(23))
        # A quotation is no order.
        with frozen(self.env, self._days_ago(3)):
            self.env["sale.order"].create(
                {"partner_id": ann.id, "order_line": [Command.create({"product_id": self.kettle.id})]}
            )
        self._complaint(ann, self.kettle, kettle_orders[0])
        self._complaint(bob, self.kettle, both)
        self._complaint(bob, self.toaster)
        # A cancelled complaint (spam, a mistake) is no complaint; one without product is in no product's row.
        cancelled = self._complaint(ann, self.kettle)
        cancelled.write({"stage_id": self.stage_cancelled.id})
        self.env["crm.complaint"].create({"subject": "Rude driver", "partner_id": ann.id, "team_id": False})

        # Kettle: 2 complaints / 4 orders (3 of Ann's, Bob's mixed order) = 50 per 100; toaster: 1 / 3 = 33.3.
        self.assertEqual(self._rows(), {self.kettle: (2, 4, 50.0), self.toaster: (1, 3, 33.3)})
        groups = (
            self.env["crm.complaint.product.report"]
            .with_user(self.salesman)
            ._read_group(
                [("product_id", "in", (self.kettle | self.toaster).ids)],
                ["product_id"],
                ["complaint_count:sum", "order_count:sum", "complaint_rate:avg"],
            )
        )
        self.assertEqual(
            sorted((product.name, *values) for product, *values in groups),
            [("Care Test Product", 2, 4, 50.0), ("Care Test Toaster", 1, 3, 33.3)],
        )
