from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestCompensationCustomerLanguage(ComplaintCase):
    """What a compensation writes for the customer (the credit note's reference and line, the coupon's history
    line) is in the customer's language, whoever approves and applies it; the note for the staff in the credit
    note's chatter stays in the staff's language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.zh_manager = mail_new_test_user(
            cls.env,
            login="cmp_zh_manager",
            name="Li Jing",
            groups="sales_team.group_sale_manager",
            lang="zh_CN",
            tz="Asia/Shanghai",
        )
        cls.team.member_ids |= cls.zh_manager
        cls.zh_customer = cls.env["res.partner"].create(
            {"name": "Wang Fang", "email": "wangfang@example.com", "lang": "zh_CN"}
        )
        cls.coupons = cls.env["loyalty.program"].create({"name": "Apology coupons", "program_type": "coupons"})
        cls.product = cls.env["product.product"].create(
            {"name": "Vase", "list_price": 300.0, "invoice_policy": "order", "taxes_id": [Command.clear()]}
        )

    def _complaint_of(self, customer):
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        order._create_invoices().action_post()
        return self._complaint(partner_id=customer.id, sale_order_id=order.id)

    def _approved_and_applied(self, complaint, kind, approver, **vals):
        """A compensation of 150 (above the approval amount) requested by the agent, approved and applied by
        `approver`."""
        compensation = (
            self.env["crm.complaint.compensation"]
            .with_user(self.agent)
            .create({"complaint_id": complaint.id, "kind": kind, "amount": 150.0, **vals})
        )
        compensation.with_user(self.agent).action_submit()
        self.assertEqual(compensation.state, "to_approve")
        # as the web client calls it: in the user's own language (the context's lang)
        as_approver = compensation.with_user(approver).with_context(lang=approver.lang)
        as_approver.action_approve()
        as_approver.action_apply()
        self.assertEqual(compensation.state, "done")
        return compensation.with_user(self.env.user)  # read back as the test's administrator (an accountant)

    def _coupon_line(self, compensation):
        card = self.env["loyalty.card"].search([("code", "=", compensation.coupon_code)])
        self.assertEqual(len(card), 1)
        return card.history_ids.description

    def test_chinese_manager_compensates_an_english_customer_in_english(self):
        complaint = self._complaint_of(self.customer)  # Carla, en_US
        english = f"Compensation for complaint {complaint.name}"
        credit = self._approved_and_applied(complaint, "credit_note", self.zh_manager)
        credit_note = credit.credit_note_id
        self.assertEqual(credit_note.ref, english)
        self.assertEqual(credit_note.invoice_line_ids.name, english)
        note = credit_note.message_ids.filtered(lambda m: complaint.name in str(m.body))
        self.assertIn(f"投诉 {complaint.name} 的补偿", str(note.body), "the staff's note, in the staff's language")
        coupon = self._approved_and_applied(complaint, "coupon", self.zh_manager, coupon_program_id=self.coupons.id)
        self.assertEqual(self._coupon_line(coupon), english)

    def test_english_manager_compensates_a_chinese_customer_in_chinese(self):
        complaint = self._complaint_of(self.zh_customer)
        chinese = f"投诉 {complaint.name} 的补偿"
        credit = self._approved_and_applied(complaint, "credit_note", self.manager)
        self.assertEqual(self.manager.lang, "en_US")
        credit_note = credit.credit_note_id
        self.assertEqual(credit_note.ref, chinese)
        self.assertEqual(credit_note.invoice_line_ids.name, chinese)
        note = credit_note.message_ids.filtered(lambda m: complaint.name in str(m.body))
        self.assertIn(f"Compensation for complaint {complaint.name}", str(note.body))
        coupon = self._approved_and_applied(complaint, "coupon", self.manager, coupon_program_id=self.coupons.id)
        self.assertEqual(self._coupon_line(coupon), chinese)


@tagged("post_install", "-at_install")
class TestMailedComplaintCustomerLanguage(ComplaintCase):
    """A complaint mailed without a subject gets a default subject in its customer's language (they read it on
    the portal and in replies), not in the mail gateway's."""

    def _mailed_without_subject(self, email_from):
        msg = EmailMessage()
        msg["From"] = email_from
        msg["To"] = f"complaints@{self.alias_domain}"
        msg["Subject"] = ""
        msg["Message-ID"] = make_msgid(domain="example.com")
        msg.set_content("The vase arrived broken.")
        with self.mock_datetime_and_now(datetime(2026, 6, 15, 10, 0)), self.mock_mail_gateway():
            thread_id = self.env["mail.thread"].sudo().message_process(False, msg.as_string())
            self.env.flush_all()
        return self.env["crm.complaint"].browse(thread_id)

    def test_default_subject_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["res.partner"].create({"name": "Wang Fang", "email": "wangfang@example.com", "lang": "zh_CN"})
        self.assertEqual(self._mailed_without_subject("wangfang@example.com").subject, "无主题")
        self.env = self.env(context=dict(self.env.context, lang="zh_CN"))  # whatever the gateway's language
        self.assertEqual(self._mailed_without_subject("carla@example.com").subject, "No subject")
