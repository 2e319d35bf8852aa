"""The demo spreads its customers over the tier ladder, and its Chinese tier names come with the addon's
translations (no language switched on by the demo). The demo XML files are loaded with Odoo's XML loader
into the test transaction (the test database has no demo data), on the tests' frozen day."""

from collections import Counter
from datetime import datetime

from odoo.tests import tagged
from odoo.tools.convert import convert_file

from odoo.addons.crm_lifecycle.tests.common import LifecycleCase, frozen


@tagged("post_install", "-at_install")
class TestDemoLoyaltyStory(LifecycleCase):
    def _load_demo(self):
        with frozen(self.env, datetime(2026, 6, 15, 2, 0)):
            convert_file(self.env, "crm_lifecycle", "data/crm_lifecycle_demo.xml", {}, mode="init", noupdate=True)
            convert_file(self.env, "crm_loyalty", "data/crm_loyalty_demo.xml", {}, mode="init", noupdate=True)
            self.env.flush_all()

    def test_demo_customers_spread_over_the_tiers(self):
        self._load_demo()
        with frozen(self.env, datetime(2026, 6, 15, 3, 0)), self._no_commit():
            self.env["crm.loyalty.run"]._cron_evaluate_tiers()
        self.env.invalidate_all()
        orders = self.env["sale.order"].search([("order_line.product_id.name", "=", "Care Gift Box")])
        customers = orders.partner_id
        tiers = Counter(partner.loyalty_tier_id.name for partner in customers)
        self.assertLessEqual({"Member", "Silver", "Gold", "Platinum"}, set(tiers), f"every tier used: {dict(tiers)}")
        self.assertGreaterEqual(
            len(customers) - tiers["Member"], len(customers) // 3, f"a third in a paying tier: {dict(tiers)}"
        )

    def test_demo_tier_names_in_chinese_once_chinese_is_loaded(self):
        self.assertFalse(self.env["res.lang"]._get_data(code="zh_CN"), "the test database starts in English")
        self._load_demo()
        self.assertFalse(self.env["res.lang"]._get_data(code="zh_CN"), "the demo switches no language on")
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["crm_loyalty"], ["zh_CN"])
        names = {
            tier: self.env.ref(f"crm_loyalty.crm_loyalty_tier_{tier}").with_context(lang="zh_CN").name
            for tier in ("silver", "gold", "platinum")
        }
        self.assertEqual(names, {"silver": "银卡", "gold": "金卡", "platinum": "钻石卡"})
        zh = self.env(context={"lang": "zh_CN"})
        self.assertEqual(zh.ref("crm_loyalty.crm_loyalty_pricelist_platinum").name, "钻石卡会员")
        self.assertEqual(zh.ref("crm_loyalty.crm_loyalty_program_membership").name, "会员卡")
