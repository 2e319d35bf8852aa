"""A salesperson opens Customer Care in the browser and every section it shows them (the tour
crm_lifecycle/static/tests/tours/crm_care_menu_tour.js, in headless Chromium)."""

import logging
import re
import unittest

from odoo.tests import HttpCase, tagged
from odoo.tests.common import _find_executable

from odoo.addons.mail.tests.common import mail_new_test_user

OPENED = re.compile(r"crm_care_menu_tour: opened (\S+) > (\S+)")


@tagged("post_install", "-at_install")
class TestCustomerCareMenuTour(HttpCase):
    browser_size = "1920x1080"  # room for every section in the navbar

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        try:
            _find_executable()
        except unittest.SkipTest:  # Odoo would skip the tour; we want to know
            raise AssertionError("Chromium (or Chrome) is needed for the UI tour: apt-get install chromium") from None
        cls.salesperson = mail_new_test_user(
            cls.env, login="care_tour_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.root = cls.env.ref("crm_lifecycle.crm_care_menu_root")

    def visible_sections(self):
        menus = self.env["ir.ui.menu"].with_user(self.salesperson).load_menus(debug=False)
        if self.root.id not in menus:
            return None
        return sorted(menus[child_id]["xmlid"] for child_id in menus[self.root.id]["children"])

    def test_salesperson_opens_every_customer_care_section(self):
        sections = self.visible_sections()
        if sections is None:
            # No addon gives Customer Care an action yet, so Odoo hides it: give Customers one to open.
            action = self.env["ir.actions.act_window"].create({"name": "Tour check", "res_model": "res.partner"})
            self.env["ir.ui.menu"].create(
                {
                    "name": "Tour check",
                    "parent_id": self.env.ref("crm_lifecycle.crm_care_menu_customers").id,
                    "action": f"ir.actions.act_window,{action.id}",
                }
            )
            sections = self.visible_sections()
        self.assertNotIn("crm_lifecycle.crm_care_menu_config", sections, "configuration is for managers")

        # logging.INFO, not "INFO": Odoo names its RUNBOT level (25) "INFO" too
        with self.assertLogs(self._logger.getChild("browser").name, logging.INFO) as logs:
            self.start_tour("/odoo", "crm_care_menu_tour", login=self.salesperson.login)
        opened = [match.group(1) for match in map(OPENED.search, logs.output) if match]
        self.assertEqual(sorted(opened), sections)
