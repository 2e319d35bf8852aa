"""Chinese done properly: the demo's customer-service agent (客服, crm_lifecycle/data/res_users_demo.xml)
works in Chinese. With Chinese loaded for the addons (as setup/demo does before installing them), the tour
crm_complaints/static/tests/tours/crm_care_zh_tour.js runs the Customer Care menus as that user in headless
Chromium and finds menus, a list column and a form tab in Chinese."""

from odoo.tests import HttpCase, tagged
from odoo.tools.convert import convert_file

ADDONS = ["crm_lifecycle", "crm_loyalty", "crm_complaints"]


@tagged("post_install", "-at_install")
class TestCareChineseTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(ADDONS, ["zh_CN"], overwrite=True)
        convert_file(cls.env, "crm_lifecycle", "data/res_users_demo.xml", {}, mode="init", noupdate=True)
        cls.agent = cls.env.ref("crm_lifecycle.user_kefu")
        customer = cls.env["res.partner"].create({"name": "上海明珠茶庄", "email": "mingzhu@example.com"})
        cls.complaint = cls.env["crm.complaint"].create(
            {"subject": "快递延误三天", "partner_id": customer.id, "team_id": False}
        )

    def test_the_demo_agent_is_a_chinese_speaking_customer_care_user(self):
        agent = self.agent
        self.assertEqual((agent.login, agent.lang, agent.tz), ("kefu", "zh_CN", "Asia/Shanghai"))
        self.assertTrue(agent.has_group("crm_lifecycle.group_crm_care_user"))
        self.assertFalse(agent.has_group("crm_lifecycle.group_crm_care_manager"), "an agent, not a manager")
        menu = self.env.ref("crm_lifecycle.crm_care_menu_root")
        self.assertEqual(menu.with_context(lang="zh_CN").name, "客户关怀", "the addons' Chinese is loaded")

    def test_the_agent_sees_customer_care_in_chinese(self):
        self.start_tour("/odoo", "crm_care_zh_tour", login=self.agent.login)
