"""A portal customer uses every complaint page in headless Chromium, in English and in Chinese
(tour crm_complaints/static/tests/tours/crm_complaints_portal_tour.js)."""

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestPortalTour(HttpCase, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["crm_lifecycle", "crm_complaints"], ["zh_CN"], overwrite=True)
        cls.breakage = cls.env["crm.complaint.category"].create({"name": "Breakage", "company_id": cls.company.id})
        cls.sister_category = cls.env["crm.complaint.category"].create(
            {"name": "Sister company only", "company_id": cls.company_2.id}
        )
        cls.product = cls.env["product.product"].create({"name": "Lamp", "list_price": 40.0})

    def _customer(self, login, lang):
        user = mail_new_test_user(
            self.env, login=login, name=f"Customer {login}", groups="base.group_portal", password=login, lang=lang
        )
        user.partner_id.email = f"{login}@example.com"
        order = self.env["sale.order"].create(
            {"partner_id": user.partner_id.id, "order_line": [Command.create({"product_id": self.product.id})]}
        )
        order.action_confirm()
        return user, order

    def _assert_complaint_made_in_the_browser(self, user, order):
        complaint = self.env["crm.complaint"].search([("subject", "=", "Lamp arrived broken on the portal")])
        self.assertEqual(len(complaint), 1, "the refused submission stored nothing")
        self.assertEqual(complaint.partner_id, user.partner_id)
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(complaint.sale_order_id, order)
        self.assertEqual(complaint.category_id, self.breakage)
        self.assertIn("The glass shade was in pieces.", complaint.description)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(
            sorted(attachments.mapped(lambda a: (a.name, a.mimetype))),
            [("broken_lamp.png", "image/png"), ("receipt.pdf", "application/pdf")],
        )
        self.assertFalse(self.env["ir.attachment"].search([("name", "=", "notes.txt")]), "the refused file is not kept")
        customer_messages = complaint.message_ids.filtered(lambda m: m.author_id == user.partner_id)
        self.assertEqual(customer_messages.attachment_ids, attachments, "the files are in the conversation")
        self.assertIn("The lamp was a gift, please hurry.", "".join(customer_messages.mapped("body")))

    def test_portal_customer_uses_the_complaint_pages_in_english(self):
        user, order = self._customer("tour_en_portal", "en_US")
        self.start_tour("/my", "crm_complaints_portal_tour_en", login=user.login)
        self._assert_complaint_made_in_the_browser(user, order)

    def test_portal_customer_uses_the_complaint_pages_in_chinese(self):
        user, order = self._customer("tour_zh_portal", "zh_CN")
        self.start_tour("/my", "crm_complaints_portal_tour_zh", login=user.login)
        self._assert_complaint_made_in_the_browser(user, order)
