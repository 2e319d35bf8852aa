"""The demo tells a believable Customer Care story: every customer classified once from their order history
(no stage flipping back and forth on the day the demo is built), and a first care day where more touches
are done than skipped. The demo XML files are loaded with Odoo's XML loader into the test transaction (the
test database has no demo data), on the tests' frozen day."""

from collections import Counter
from datetime import datetime

from odoo.tests import tagged
from odoo.tools.convert import convert_file

from .common import LifecycleCase, frozen


@tagged("post_install", "-at_install")
class TestDemoCareStory(LifecycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Stand-ins for Odoo's demo contacts whose birthdays the care demo sets (base's demo data)
        for number in range(1, 6):
            contact = cls.env["res.partner"].create({"name": f"Contact {number}", "email": f"c{number}@example.com"})
            cls.env["ir.model.data"]._update_xmlids(
                [{"xml_id": f"base.res_partner_address_{number}", "record": contact}]
            )
        # the demo is built on TODAY, 10:00 in Shanghai, the first care run follows at once
        cls.built = datetime(2026, 6, 15, 2, 0)
        with frozen(cls.env, cls.built):
            # Odoo's own demo orders (sale's demo data): a dozen on the day for one customer, confirmed before
            cls.odoo_customer = cls._customer("Odoo Demo Customer")
            for __ in range(3):
                cls._order(cls.odoo_customer, cls.built)
            for filename in ("data/crm_lifecycle_demo.xml", "data/crm_care_demo.xml"):
                convert_file(cls.env, "crm_lifecycle", filename, {}, mode="init", noupdate=True)
            cls.env.flush_all()
        orders = cls.env["sale.order"].search([("order_line.product_id.name", "=", "Care Gift Box")])
        cls.customers = orders.partner_id

    def test_demo_customers_are_classified_once_from_their_history(self):
        self.assertEqual(len(self.customers), 30)
        history = self.env["crm.lifecycle.history"].search([("partner_id", "in", self.customers.ids)])
        lines = Counter(line.partner_id.id for line in history)
        self.assertEqual(set(lines.values()), {1}, "one stage move per customer, not a flip per order")
        stages = Counter(partner.lifecycle_stage_id.code for partner in self.customers)
        self.assertEqual(
            set(stages), {"new", "active", "loyal", "at_risk", "churned", "won_back"}, "every stage has customers"
        )
        self.assertEqual(stages["won_back"], 3)
        chinese = self.customers.filtered(lambda p: p.country_id.code == "CN")
        self.assertEqual(
            sorted(set(chinese.mapped("city"))), sorted({"上海", "北京", "杭州"}), "Chinese customers in three cities"
        )
        self.assertIn("上海明珠茶庄", chinese.mapped("name"))

    def test_demo_first_care_day_does_more_than_it_skips(self):
        cron = self.env.ref("crm_lifecycle.ir_cron_care_campaigns")
        triggers = self.env["ir.cron.trigger"].sudo().search([("cron_id", "=", cron.id)])
        self.assertTrue(triggers, "the first care run is triggered by the demo")
        with frozen(self.env, self.built), self._no_commit():
            self.env["crm.care.campaign"]._cron_care()
        self.env.invalidate_all()
        touches = self.env["crm.care.touch"].search([])
        states = Counter(touches.mapped("state"))
        self.assertGreater(states["done"], states["skipped"], f"touches: {dict(states)}")
        done = touches.filtered(lambda t: t.state == "done")
        self.assertLessEqual(
            {"birthday", "after_order"}, set(done.campaign_id.mapped("kind")), "a birthday and after-order touches"
        )
        self.assertGreaterEqual(len(done), 6, f"touches: {dict(states)}")

    def test_demo_customers_have_a_next_care_touch_planned(self):
        follow_up = self.env.ref("crm_lifecycle.crm_care_campaign_follow_up")
        with frozen(self.env, self.built), self._no_commit():
            self.env["crm.care.campaign"]._cron_care()
        self.env.invalidate_all()
        planned = self.customers.filtered("care_next_touch_id")
        self.assertGreaterEqual(len(planned), 3, "yesterday's customers have their follow-up visit planned")
        visits = planned.care_next_touch_id
        self.assertEqual(set(visits.mapped("state")), {"planned"})
        self.assertEqual(visits.campaign_id, follow_up)
        self.assertEqual(set(visits.mapped("step_id.action")), {"activity"}, "the visit a week after the order")
        self.assertTrue(all(date > self.built.date() for date in planned.mapped("care_next_touch_date")))
        self.assertFalse(self.odoo_customer.care_next_touch_id, "not a thank-you per order of Odoo's demo orders")

    def test_demo_segments_and_automation_named_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        convert_file(self.env, "crm_lifecycle", "data/crm_segment_demo.xml", {}, mode="init", noupdate=True)
        self.env["ir.module.module"]._load_module_terms(["crm_lifecycle"], ["zh_CN"], overwrite=True)
        self.env.invalidate_all()  # the translations are written in SQL
        zh = self.env(context={"lang": "zh_CN"})
        self.assertEqual(zh.ref("crm_lifecycle.segment_vip").name, "贵宾客户")
        self.assertEqual(zh.ref("crm_lifecycle.segment_new_this_quarter").name, "本季度新客户")
        self.assertEqual(zh.ref("crm_lifecycle.automation_at_risk_activity").name, "客户进入流失风险时安排电话")
        self.assertEqual(self.env.ref("crm_lifecycle.segment_vip").name, "VIP", "English stays")
