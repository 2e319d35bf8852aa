"""Need to know (issue 17): employees outside Customer Care work as before on customers whose CRM Care
values they may not read; CRM Care's own code reads and updates those values for them (as superuser)."""

from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from .common import LifecycleCase, frozen


@tagged("post_install", "-at_install")
class TestNeedToKnowFlows(LifecycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A company where salespeople do not see Customer Care: the administrator removed the implication.
        care_user = cls.env.ref("crm_lifecycle.group_crm_care_user")
        cls.env.ref("sales_team.group_sale_salesman").write({"implied_ids": [Command.unlink(care_user.id)]})
        cls.seller = new_test_user(
            cls.env, "ntk_seller", groups="sales_team.group_sale_salesman,base.group_partner_manager", name="Seller"
        )
        cls.accountant = new_test_user(cls.env, "ntk_accountant", groups="account.group_account_invoice")
        cls.customer = cls._customer("Wang Fang", birthday="1985-03-02")
        cls._order(cls.customer, cls.TODAY)  # a first order: the customer has a stage and metrics

    def test_salesperson_outside_customer_care_confirms_an_order(self):
        self.assertFalse(self.seller.has_group("crm_lifecycle.group_crm_care_user"))
        with frozen(self.env, self.TODAY):
            with Form(self.env["sale.order"].with_user(self.seller)) as order_form:
                order_form.partner_id = self.customer
                with order_form.order_line.new() as line:
                    line.product_id = self.product
                    line.price_unit = 50.0
            order = order_form.record
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        # CRM Care counted the order, though the salesperson cannot read the count
        self.assertEqual(self.customer.order_count, 2)
        self.assertEqual(self.customer.sudo().order_count, 2)

    def test_salesperson_outside_customer_care_edits_the_customer(self):
        with Form(self.customer.with_user(self.seller)) as partner_form:
            partner_form.phone = "+86 10 5555 0101"
        self.assertEqual(self.customer.phone, "+86 10 5555 0101")
        self.assertEqual(str(self.customer.birthday), "1985-03-02", "the hidden birthday is kept")
        company = self.env["res.partner"].with_user(self.seller).create({"name": "Wang Trading", "is_company": True})
        contact = self.env["res.partner"].with_user(self.seller).create({"name": "Li Na", "parent_id": company.id})
        self.assertEqual(contact.commercial_partner_id, company)

    def test_accountant_outside_customer_care_posts_an_invoice(self):
        with frozen(self.env, self.TODAY):
            invoice = (
                self.env["account.move"]
                .with_user(self.accountant)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": self.customer.id,
                        "invoice_line_ids": [Command.create({"product_id": self.product.id, "price_unit": 80.0})],
                    }
                )
            )
            invoice.action_post()
        self.assertEqual(invoice.state, "posted")
