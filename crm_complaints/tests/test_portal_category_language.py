"""Complaint categories read in the customer's language on the portal pages, their full path included."""

import lxml.html

from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestPortalCategoryLanguage(HttpCase, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        Category = cls.env["crm.complaint.category"]
        Category.search([]).action_archive()  # only this test's categories (the shipped ones are untranslated here)
        cls.delivery = Category.create({"name": "Delivery", "company_id": cls.company.id})
        cls.late = Category.create(
            {"name": "Late delivery", "parent_id": cls.delivery.id, "company_id": cls.company.id}
        )
        cls.delivery.with_context(lang="zh_CN").name = "配送"
        cls.late.with_context(lang="zh_CN").name = "延迟配送"
        cls.user = mail_new_test_user(
            cls.env,
            login="zh_category",
            name="Zhang Wei",
            groups="base.group_portal",
            password="zh_category",
            lang="zh_CN",
        )
        cls.complaint = (
            cls.env["crm.complaint"]
            .with_context(crm_complaint_no_mail=True)
            .create({"subject": "Late lamp", "partner_id": cls.user.partner_id.id, "category_id": cls.late.id})
        )

    def _option_texts(self, response):
        page = lxml.html.fromstring(response.content)
        return [option.text_content().strip() for option in page.xpath("//select[@id='category_id']/option")]

    def test_categories_read_in_the_customer_s_language(self):
        self.assertEqual(self.late.complete_name, "Delivery / Late delivery")
        self.assertEqual(self.late.with_context(lang="zh_CN").display_name, "配送 / 延迟配送")
        self.assertEqual(self.late.with_context(lang="en_US").display_name, "Delivery / Late delivery")
        self.authenticate("zh_category", "zh_category")
        options = self._option_texts(self.url_open("/my/complaints/new"))
        self.assertIn("配送 / 延迟配送", options)
        self.assertNotIn("Delivery / Late delivery", options)
        page = self.url_open(f"/my/complaints/{self.complaint.id}").text
        self.assertIn("配送 / 延迟配送", page)
        self.assertNotIn("Late delivery", page)
