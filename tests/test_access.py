"""Who sees the Customer Care menus: salespeople do, sales managers also get its configuration, portal
users and employees outside sales see none of it."""

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestCustomerCareMenuAccess(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root = cls.env.ref("crm_lifecycle.crm_care_menu_root")
        # Odoo hides menus that lead to no action. Give Customers and Configuration one each, open to all
        # groups, so that only the groups of Customer Care's own menus decide (whatever the addons add).
        action = cls.env["ir.actions.act_window"].create({"name": "Access check", "res_model": "res.partner"})
        cls.customers_check = cls.env["ir.ui.menu"].create(
            {
                "name": "Access check",
                "parent_id": cls.env.ref("crm_lifecycle.crm_care_menu_customers").id,
                "action": f"ir.actions.act_window,{action.id}",
            }
        )
        cls.config_check = cls.env["ir.ui.menu"].create(
            {
                "name": "Access check",
                "parent_id": cls.env.ref("crm_lifecycle.crm_care_menu_config").id,
                "action": f"ir.actions.act_window,{action.id}",
            }
        )
        cls.care_menus = cls.env["ir.ui.menu"].search([("id", "child_of", cls.root.id)])

        cls.portal = mail_new_test_user(cls.env, login="care_portal", groups="base.group_portal")
        cls.employee = mail_new_test_user(cls.env, login="care_employee", groups="base.group_user")
        cls.salesperson = mail_new_test_user(cls.env, login="care_salesman", groups="sales_team.group_sale_salesman")
        cls.sales_manager = mail_new_test_user(
            cls.env, login="care_sales_manager", groups="sales_team.group_sale_manager"
        )

    def visible_care_menus(self, user, sudo=False):
        """The Customer Care menus that the web client would show `user` (sudo: by the groups alone)."""
        menu = self.env["ir.ui.menu"].with_user(user)
        menus = (menu.sudo() if sudo else menu).load_menus(debug=False)
        return {menu_id for menu_id in menus if menu_id in self.care_menus.ids}

    def test_portal_user_sees_no_customer_care_menu(self):
        with self.assertRaises(AccessError):  # portal users cannot even read the menus
            self.visible_care_menus(self.portal)
        # and if some module let them, the groups of our menus would still hide them all
        self.assertFalse(self.visible_care_menus(self.portal, sudo=True))

    def test_employee_outside_sales_sees_no_customer_care_menu(self):
        self.assertFalse(self.visible_care_menus(self.employee))

    def test_salesperson_sees_customer_care_but_not_its_configuration(self):
        self.assertTrue(self.salesperson.has_group("crm_lifecycle.group_crm_care_user"))
        self.assertFalse(self.salesperson.has_group("crm_lifecycle.group_crm_care_manager"))
        visible = self.visible_care_menus(self.salesperson)
        self.assertIn(self.root.id, visible)
        self.assertIn(self.customers_check.id, visible)
        self.assertNotIn(self.config_check.id, visible)

    def test_sales_manager_manages_customer_care(self):
        self.assertTrue(self.sales_manager.has_group("crm_lifecycle.group_crm_care_manager"))
        visible = self.visible_care_menus(self.sales_manager)
        self.assertIn(self.root.id, visible)
        self.assertIn(self.config_check.id, visible)
