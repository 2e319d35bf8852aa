"""The demo's Settings page opens, and saves unchanged, without any warning: the tour
crm_complaints/static/tests/tours/crm_care_settings_tour.js opens Settings and the Customer Care page as an
administrator, on the test database with the addons' demo data loaded (Odoo's XML loader, as
test_readme_demo does), in English and in Chinese."""

from odoo.tests import HttpCase, tagged
from odoo.tools.convert import convert_file

from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestSettingsNoWarning(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The database as Odoo's demo template leaves it: Sales' Pricelists feature off, Odoo's demo user
        cls.env.ref("base.group_user")._remove_group(cls.env.ref("product.group_product_pricelist"))
        marc = mail_new_test_user(cls.env, login="marc_demo", groups="sales_team.group_sale_salesman")
        cls.env["ir.model.data"]._update_xmlids([{"xml_id": "base.user_demo", "record": marc}])
        for module, filename in (
            ("crm_lifecycle", "data/res_users_demo.xml"),
            ("crm_lifecycle", "data/crm_segment_demo.xml"),
            ("crm_loyalty", "data/crm_loyalty_demo.xml"),
            ("crm_complaints", "data/crm_complaints_demo.xml"),
        ):
            convert_file(cls.env, module, filename, {}, mode="init", noupdate=True)

    def test_settings_open_and_save_without_warning_in_english(self):
        self.start_tour("/odoo/settings", "crm_care_settings_tour", login="admin")

    def test_settings_open_and_save_without_warning_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["crm_lifecycle", "crm_loyalty", "crm_complaints"], ["zh_CN"], overwrite=True
        )
        self.env.ref("base.user_admin").lang = "zh_CN"
        self.start_tour("/odoo/settings", "crm_care_settings_tour", login="admin")
