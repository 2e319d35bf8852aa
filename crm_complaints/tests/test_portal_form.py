"""The portal complaint form over HTTP, as a portal customer: every field is rendered, only ids the customer may
pick are accepted, files are kept within the email intake's size limit and to photos and PDFs."""

import base64

import lxml.html

from odoo import http
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import ComplaintCase

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVQIW2P4v5ThPwAG7wKklwQ/bwAAAABJRU5ErkJggg=="
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@tagged("post_install", "-at_install")
class TestPortalComplaintForm(HttpCase, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = mail_new_test_user(
            cls.env, login="form_portal", name="Fiona Form", groups="base.group_portal", password="form_portal"
        )
        cls.other_user = mail_new_test_user(
            cls.env, login="form_other", name="Oscar Other", groups="base.group_portal", password="form_other"
        )
        cls.product = cls.env["product.product"].create({"name": "Lamp", "list_price": 40.0})
        cls.own_order, cls.other_order, cls.own_quotation = cls.env["sale.order"].create(
            [
                {"partner_id": partner.id, "order_line": [Command.create({"product_id": cls.product.id})]}
                for partner in (cls.portal_user.partner_id, cls.other_user.partner_id, cls.portal_user.partner_id)
            ]
        )
        (cls.own_order | cls.other_order).action_confirm()
        Category = cls.env["crm.complaint.category"]
        cls.shared_category = Category.create({"name": "Shared delivery"})
        cls.own_company_category = Category.create({"name": "Our breakage", "company_id": cls.company.id})
        cls.sister_category = Category.create({"name": "Sister breakage", "company_id": cls.company_2.id})
        cls.archived_category = Category.create({"name": "Retired", "active": False})

    def _submit(self, files=None, **fields):
        data = {"csrf_token": http.Request.csrf_token(self), "subject": "Lamp arrived broken", **fields}
        return self.url_open("/my/complaints/submit", data=data, files=files)

    def _complaints(self, subject="Lamp arrived broken"):
        return self.env["crm.complaint"].search([("subject", "=", subject)])

    def _form(self, response):
        return lxml.html.fromstring(response.content)

    def test_every_field_is_rendered_on_the_empty_form(self):
        self.authenticate("form_portal", "form_portal")
        page = self._form(self.url_open("/my/complaints/new"))
        form = page.xpath("//form[@action='/my/complaints/submit']")[0]
        self.assertEqual(form.get("enctype"), "multipart/form-data", "files are posted")
        for name in ("subject", "sale_order_id", "category_id", "description", "attachments"):
            field = form.xpath(f".//*[@name='{name}']")
            self.assertEqual(len(field), 1, f"field {name} rendered")
            self.assertTrue(form.xpath(f".//label[@for='{field[0].get('id')}']"), f"field {name} has its label")
        self.assertEqual(form.xpath(".//*[@name='description']")[0].tag, "textarea")
        upload = form.xpath(".//input[@name='attachments']")[0]
        self.assertEqual((upload.get("type"), upload.get("multiple")), ("file", "multiple"))
        self.assertIn("image/jpeg", upload.get("accept"))
        self.assertIn("application/pdf", upload.get("accept"))
        self.assertIn("up to 25 MB each", page.text_content())

    def test_only_categories_of_the_customers_company_or_shared_are_listed(self):
        self.authenticate("form_portal", "form_portal")
        page = self._form(self.url_open("/my/complaints/new"))
        options = page.xpath("//select[@name='category_id']/option/@value")
        self.assertIn(str(self.shared_category.id), options)
        self.assertIn(str(self.own_company_category.id), options)
        self.assertNotIn(str(self.sister_category.id), options)
        self.assertNotIn(str(self.archived_category.id), options)
        orders = page.xpath("//select[@name='sale_order_id']/option/@value")
        self.assertIn(str(self.own_order.id), orders)
        self.assertNotIn(str(self.other_order.id), orders)
        self.assertNotIn(str(self.own_quotation.id), orders, "a quotation is not an order yet")

    def test_ids_the_customer_may_not_pick_are_refused_and_nothing_is_stored(self):
        self.authenticate("form_portal", "form_portal")
        refused = [
            ({"category_id": self.sister_category.id}, "category_id", "Choose one of the subjects in the list."),
            ({"category_id": self.archived_category.id}, "category_id", "Choose one of the subjects in the list."),
            ({"category_id": "delivery"}, "category_id", "Choose one of the subjects in the list."),
            ({"category_id": "99999999999"}, "category_id", "Choose one of the subjects in the list."),
            ({"sale_order_id": self.other_order.id}, "sale_order_id", "Choose one of your own orders."),
            ({"sale_order_id": self.own_quotation.id}, "sale_order_id", "Choose one of your own orders."),
            ({"sale_order_id": "-1"}, "sale_order_id", "Choose one of your own orders."),
        ]
        for fields, name, message in refused:
            with self.subTest(fields=fields):
                response = self._submit(description="Glass in pieces.", **fields)
                self.assertEqual(response.status_code, 200)
                page = self._form(response)
                field = page.xpath(f"//*[@name='{name}']")[0]
                self.assertIn("is-invalid", field.get("class"))
                self.assertEqual(page.xpath(f"//*[@name='{name}']/following-sibling::div")[0].text, message)
                self.assertEqual(page.xpath("//input[@name='subject']/@value"), ["Lamp arrived broken"], "kept")
                self.assertEqual(page.xpath("//textarea[@name='description']")[0].text, "Glass in pieces.", "kept")
                self.assertFalse(self._complaints())

    def test_other_posted_ids_are_ignored(self):
        self.authenticate("form_portal", "form_portal")
        self._submit(
            sale_order_id=self.own_order.id,
            category_id=self.own_company_category.id,
            partner_id=self.other_user.partner_id.id,
            company_id=self.company_2.id,
            team_id=self.other_team.id,
            user_id=self.outsider.id,
            channel="phone",
        )
        complaint = self._complaints()
        self.assertEqual(complaint.partner_id, self.portal_user.partner_id)
        self.assertEqual(complaint.company_id, self.own_order.company_id)
        self.assertEqual(complaint.category_id, self.own_company_category)
        self.assertEqual(complaint.channel, "portal")
        self.assertFalse(complaint.user_id)
        self.assertNotEqual(complaint.team_id, self.other_team)

    def test_photos_and_pdfs_are_stored_on_the_complaint_and_shown_in_the_conversation(self):
        self.authenticate("form_portal", "form_portal")
        response = self._submit(
            files=[
                ("attachments", ("broken.png", PNG, "image/png")),
                ("attachments", ("receipt.pdf", PDF, "application/pdf")),
                ("attachments", ("", b"", "application/octet-stream")),  # the browser's empty second input
            ],
            sale_order_id=self.own_order.id,
        )
        complaint = self._complaints()
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(
            sorted(attachments.mapped(lambda a: (a.name, a.mimetype, a.raw))),
            [("broken.png", "image/png", PNG), ("receipt.pdf", "application/pdf", PDF)],
        )
        message = complaint.message_ids.filtered("attachment_ids")
        self.assertEqual(message.author_id, self.portal_user.partner_id)
        self.assertEqual(message.attachment_ids, attachments)
        self.assertFalse(message.subtype_id.internal, "visible to the customer")
        self.assertTrue(response.url.endswith(f"/my/complaints/{complaint.id}"))
        # the customer opens them as the portal chatter links them (portal users read attachments by token only)
        photo = attachments.filtered(lambda a: a.name == "broken.png")
        response = self.url_open(f"/web/content/{photo.id}?access_token={photo._get_raw_access_token()}")
        self.assertEqual(response.content, PNG)

    def test_files_too_big_or_of_the_wrong_type_are_refused_and_nothing_is_stored(self):
        self.env["ir.config_parameter"].set_param("crm_complaints.attachment_max_size_mb", "1")
        self.authenticate("form_portal", "form_portal")
        big_photo = PNG + b"\0" * (1024 * 1024)
        response = self._submit(
            files=[
                ("attachments", ("fine.png", PNG, "image/png")),
                ("attachments", ("huge.png", big_photo, "image/png")),
                ("attachments", ("invoice.png", b"MZ\x90\x00 not an image", "image/png")),  # type from content
                ("attachments", ("drawing.svg", SVG, "image/svg+xml")),
            ],
            description="Glass in pieces.",
            sale_order_id=self.own_order.id,
            category_id=self.shared_category.id,
        )
        page = self._form(response)
        message = page.xpath(
            "//input[@name='attachments']/following-sibling::div[contains(@class, 'invalid-feedback')]"
        )
        self.assertEqual(
            message[0].text,
            "Larger than 1 MB: huge.png. Not a photo or a PDF: invoice.png and drawing.svg. We accept JPEG, PNG, "
            "GIF, WebP, BMP and HEIC photos and PDF files. Nothing was sent: please choose your files again.",
        )
        self.assertIn("up to 1 MB each", page.text_content())
        self.assertEqual(page.xpath("//textarea[@name='description']")[0].text, "Glass in pieces.")
        self.assertEqual(
            page.xpath("//select[@name='sale_order_id']/option[@selected]/@value"), [str(self.own_order.id)]
        )
        self.assertEqual(
            page.xpath("//select[@name='category_id']/option[@selected]/@value"), [str(self.shared_category.id)]
        )
        self.assertFalse(self._complaints())
        self.assertFalse(self.env["ir.attachment"].search([("name", "in", ["fine.png", "huge.png", "invoice.png"])]))

        # exactly at the limit is accepted
        at_limit = PNG + b"\0" * (1024 * 1024 - len(PNG))
        self._submit(files=[("attachments", ("at_limit.png", at_limit, "image/png"))])
        self.assertEqual(self._complaints().message_ids.attachment_ids.mapped("name"), ["at_limit.png"])

    def test_refusal_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.portal_user.lang = "zh_CN"
        self.authenticate("form_portal", "form_portal")
        response = self._submit(files=[("attachments", ("notes.txt", b"just text", "text/plain"))])
        self.assertIn("不是照片或 PDF：notes.txt", response.text)
        self.assertFalse(self._complaints())
