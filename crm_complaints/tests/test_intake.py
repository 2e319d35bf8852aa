from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from odoo.tests import tagged

from .common import ComplaintCase

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"  # the start of a JPEG file: enough for its type


@tagged("post_install", "-at_install")
class TestIntake(ComplaintCase):
    def _email(self, email_from, subject="My order is broken", html="<p>The vase arrived broken.</p>", **kw):
        msg = EmailMessage()
        msg["From"] = email_from
        msg["To"] = kw.get("to", f"complaints@{self.alias_domain}")
        msg["Subject"] = subject
        msg["Message-ID"] = kw.get("msg_id") or make_msgid(domain="example.com")
        if kw.get("in_reply_to"):
            msg["In-Reply-To"] = kw["in_reply_to"]
            msg["References"] = kw["in_reply_to"]
        msg.set_content("The vase arrived broken.")
        msg.add_alternative(html, subtype="html")
        for name, content in kw.get("attachments", []):
            msg.add_attachment(content, maintype="application", subtype="octet-stream", filename=name)
        return msg.as_string()

    def _process(self, raw, when=datetime(2026, 6, 15, 10, 0)):
        with self.mock_datetime_and_now(when), self.mock_mail_gateway():
            thread_id = self.env["mail.thread"].sudo().message_process(False, raw)
            self.env.flush_all()
        return self.env["crm.complaint"].browse(thread_id)

    def test_email_to_the_team_alias_creates_a_complaint_of_the_known_customer(self):
        complaint = self._process(self._email('"Carla C." <carla@example.com>'))
        self.assertEqual(complaint.team_id, self.team)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(complaint.subject, "My order is broken")
        self.assertIn("The vase arrived broken.", complaint.description)
        self.assertFalse(complaint.user_id, "nobody owns a mailed-in complaint yet")
        self.assertEqual(complaint.sla_policy_id, self.policy)
        incoming = complaint.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(incoming.author_id, self.customer)
        # acknowledged at once, with the reference, to the customer
        ack = complaint.message_ids.filtered(lambda m: complaint.name in (m.subject or ""))
        self.assertEqual(len(ack), 1)
        self.assertIn(self.customer, ack.partner_ids)
        self.assertIn("We are sorry", str(ack.body))
        self.assertFalse(complaint.first_response_date, "the acknowledgement is not a response")

    def test_unknown_sender_without_a_name_becomes_a_customer(self):
        complaint = self._process(self._email("stranger@example.org"))
        self.assertTrue(complaint.partner_id)
        self.assertEqual(complaint.partner_id.email, "stranger@example.org")
        self.assertTrue(complaint.partner_id.name)
        self.assertEqual(complaint.email_from, "stranger@example.org")
        self.assertEqual(
            complaint.message_ids.filtered(lambda m: m.message_type == "email").author_id, complaint.partner_id
        )

    def test_empty_subject_gets_a_default(self):
        complaint = self._process(self._email("carla@example.com", subject=""))
        self.assertEqual(complaint.subject, "No subject")

    def test_replies_thread_into_the_complaint(self):
        complaint = self._process(self._email("carla@example.com"))
        ack = complaint.message_ids.filtered(lambda m: complaint.name in (m.subject or ""))
        reply = self._process(
            self._email(
                "carla@example.com",
                subject=f"Re: {ack.subject}",
                html="<p>Photos attached.</p>",
                in_reply_to=ack.message_id,
            ),
            when=datetime(2026, 6, 15, 11, 0),
        )
        self.assertEqual(reply, complaint)
        self.assertEqual(self.env["crm.complaint"].search_count([("partner_id", "=", self.customer.id)]), 1)
        self.assertIn("Photos attached.", str(complaint.message_ids[0].body))

    def test_scripts_in_html_are_removed(self):
        html = '<p>Broken</p><script>alert("x")</script><img src="x" onerror="alert(1)">'
        complaint = self._process(self._email("carla@example.com", html=html))
        self.assertIn("Broken", complaint.description)
        self.assertNotIn("<script", complaint.description)
        self.assertNotIn("onerror", complaint.description)
        for message in complaint.message_ids:
            self.assertNotIn("<script", str(message.body))

    def test_huge_attachments_are_refused_with_a_note_and_the_rest_kept(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_complaints.attachment_max_size_mb", 1)
        raw = self._email(
            "carla@example.com",
            attachments=[("photo.jpg", JPEG + b"x" * 1000), ("video.mp4", b"y" * (1024 * 1024 + 1))],
        )
        complaint = self._process(raw)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(attachments.mapped("name"), ["photo.jpg"])
        note = complaint.message_ids.filtered(lambda m: "video.mp4" in str(m.body))
        self.assertEqual(len(note), 1)
        self.assertIn("larger than 1 MB", str(note.body))

    def test_emailed_files_follow_the_portal_form_s_type_rule(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_complaints.attachment_max_size_mb", "not a number")
        raw = self._email(
            "carla@example.com",
            attachments=[
                ("photo.jpg", JPEG + b"x" * 100),
                ("invoice.pdf", b"%PDF-1.4\n%%EOF"),
                ("run.exe", b"MZ" * 50),
            ],
        )
        complaint = self._process(raw)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)]
        )
        self.assertEqual(sorted(attachments.mapped("name")), ["invoice.pdf", "photo.jpg"], "25 MB when unreadable")
        note = complaint.message_ids.filtered(lambda m: "run.exe" in str(m.body))
        self.assertIn("not a photo or a PDF", str(note.body))

    def test_staff_may_attach_any_file_type(self):
        complaint = self._process(self._email("carla@example.com"))
        complaint.message_post(body="Our procedure", attachments=[("procedure.docx", b"PK\x03\x04" + b"d" * 50)])
        self.assertIn(
            "procedure.docx",
            self.env["ir.attachment"]
            .search([("res_model", "=", "crm.complaint"), ("res_id", "=", complaint.id)])
            .mapped("name"),
        )

    def test_category_template_is_used_for_the_acknowledgement(self):
        template = self.env.ref("crm_complaints.mail_template_complaint_acknowledgement").copy(
            {"subject": "Delivery trouble {{ object.name }}"}
        )
        self.category.mail_template_id = template
        sub = self.env["crm.complaint.category"].create({"name": "Late", "parent_id": self.category.id})
        complaint = self._complaint(category_id=sub.id)
        self.assertTrue(complaint.message_ids.filtered(lambda m: m.subject == f"Delivery trouble {complaint.name}"))

    def test_staff_log_from_a_sale_order_and_a_partner(self):
        product = self.env["product.product"].create({"name": "Vase", "list_price": 50})
        order = self.env["sale.order"].create(
            {"partner_id": self.customer.id, "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})]}
        )
        order.action_confirm()
        action = order.with_user(self.agent).action_log_complaint()
        self.assertEqual(action["context"]["default_sale_order_id"], order.id)
        complaint = (
            self.env["crm.complaint"]
            .with_user(self.agent)
            .with_context(**action["context"])
            .create({"subject": "Wrong colour", "team_id": self.team.id})
        )
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.product_id, product)
        self.assertEqual(complaint.user_id, self.agent)
        self.assertEqual(order.complaint_count, 1)
        self.assertEqual(self.customer.complaint_count, 1)
        self.assertEqual(self.customer.open_complaint_ids, complaint)
        action = self.customer.with_user(self.agent).action_log_complaint()
        self.assertEqual(action["context"]["default_partner_id"], self.customer.id)
