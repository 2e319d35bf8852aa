"""The partner form's Customer Care summary in the browser, at 1440 px: a long campaign name is cut inside the
summary box (static/tests/tours/crm_care_summary_tour.js), in English and in Chinese."""

from odoo import Command
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCareSummaryTour(HttpCase):
    browser_size = "1440x900"

    def test_long_campaign_name_stays_inside_the_summary(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        campaign = self.env["crm.care.campaign"].create(
            {
                "name": "Follow-up visit after order for our most valued long-standing customers in every region",
                "kind": "after_order",
                "user_id": self.env.ref("base.user_admin").id,
                "step_ids": [
                    Command.create(
                        {
                            "action": "email",
                            "delay_days": 1,
                            "mail_template_id": self.env.ref("crm_lifecycle.mail_template_care_thank_you").id,
                        }
                    )
                ],
            }
        )
        campaign.with_context(lang="zh_CN").name = "面向各地区最尊贵的长期老客户的订单后回访 (most valued)"
        product = self.env["product.product"].create({"name": "Summary Gift", "list_price": 100.0, "type": "consu"})
        customer = self.env["res.partner"].create({"name": "Summary Customer", "email": "summary@example.com"})
        order = self.env["sale.order"].create(
            {"partner_id": customer.id, "order_line": [Command.create({"product_id": product.id})]}
        )
        order.action_confirm()  # plans the thank-you email of the next day: the customer's next care touch
        self.assertEqual(customer.care_next_touch_campaign_id, campaign)
        admin = self.env.ref("base.user_admin")
        for lang in ("en_US", "zh_CN"):
            with self.subTest(lang=lang):
                admin.lang = lang
                self.start_tour(
                    f"/odoo/action-base.action_partner_form/{customer.id}", "crm_care_summary_tour", login="admin"
                )
