"""Mail after resolution and while waiting: people reopen and resume, robots do not.

Every email goes through the mail gateway (`message_process`) as a raw RFC 5322 message, replying (In-Reply-To,
References) to the email the customer really received: the resolution (Odoo's rating request, sent as a
note) or the staff's answer.
"""

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from odoo.tests import tagged

from .common import MONDAY, ComplaintCase

RESOLVED_AT = datetime(2026, 6, 16, 10, 0)
# One robot per header kind: out-of-office and other automatic replies, mailing lists, null sender.
ROBOT_HEADERS = {
    "auto-submitted auto-replied": {"Auto-Submitted": "auto-replied"},
    "auto-submitted auto-generated": {"Auto-Submitted": "auto-generated"},
    "auto-submitted with parameters": {"Auto-Submitted": "Auto-Replied; owner-email=carla@example.com"},
    "x-autoreply": {"X-Autoreply": "yes"},
    "x-autorespond": {"X-Autorespond": "Out of office"},
    "precedence bulk": {"Precedence": "bulk"},
    "precedence list": {"Precedence": "list"},
    "precedence junk": {"Precedence": "junk"},
    "precedence auto_reply": {"Precedence": "auto_reply"},
    "null return-path": {"Return-Path": "<>"},
    # Exchange out-of-office without Auto-Submitted; a mailing list or newsletter without Precedence
    "x-auto-response-suppress": {"X-Auto-Response-Suppress": "All"},
    "list-id": {"List-Id": "Vase owners <vase-owners.lists.example.com>"},
    "list-unsubscribe": {"List-Unsubscribe": "<mailto:leave@lists.example.com>"},
}


@tagged("post_install", "-at_install")
class TestMailRobots(ComplaintCase):
    def _reply(self, parent, when, headers=None, email_from='"Carla Customer" <carla@example.com>', body=None):
        """A reply to the mail.message `parent` through the mail gateway, at `when`."""
        msg = EmailMessage()
        msg["From"] = email_from
        msg["To"] = f"complaints@{self.alias_domain}"
        msg["Subject"] = f"Re: {parent.subject or 'your complaint'}"
        msg["Message-ID"] = make_msgid(domain="example.com")
        msg["In-Reply-To"] = parent.message_id
        msg["References"] = parent.message_id
        for name, value in (headers or {}).items():
            msg[name] = value
        msg.set_content(body or "It is still not right: the new vase is cracked too.")
        with self.mock_datetime_and_now(when), self.mock_mail_gateway():
            self.env["mail.thread"].message_process(False, msg.as_string())
            self.env.flush_all()
        self.env.invalidate_all()

    def _resolved(self):
        complaint = self._complaint()
        self._respond(complaint, MONDAY + timedelta(hours=1))
        self._move(complaint, "resolved", RESOLVED_AT, resolution="<p>We sent a new vase.</p>", cause_id=self.cause.id)
        resolution = complaint.message_ids.filtered(lambda m: "is resolved" in (m.subject or ""))
        self.assertEqual(len(resolution), 1)
        self.assertTrue(resolution.subtype_id.internal, "Odoo sends the rating request as a note")
        self.assertIn(self.customer, resolution.partner_ids)
        return complaint, resolution

    def _waiting(self):
        complaint = self._complaint()
        self._respond(complaint, MONDAY + timedelta(hours=1))
        answer = complaint.message_ids.filtered(lambda m: "looking into it" in str(m.body))
        self._move(complaint, "waiting", MONDAY + timedelta(hours=1))
        return complaint, answer

    # ------------------------------------------------------------------
    # Resolved
    # ------------------------------------------------------------------

    def test_a_real_reply_to_the_resolution_email_reopens(self):
        complaint, resolution = self._resolved()
        self._reply(resolution, RESOLVED_AT + timedelta(days=6))
        reply = complaint.message_ids.filtered(lambda m: m.message_type == "email" and "still not right" in str(m.body))
        self.assertEqual(len(reply), 1, "threaded into the complaint")
        self.assertEqual(reply.author_id, self.customer)
        self.assertEqual(reply.message_type, "email")
        self.assertTrue(reply.subtype_id.internal, "the gateway stores a reply to a note as a note")
        self.assertEqual(complaint.state, "in_progress")
        self.assertEqual(complaint.reopen_count, 1)
        self.assertEqual(complaint.user_id, self.agent, "the owner keeps it")
        self.assertFalse(complaint.resolved_date)
        reopened = complaint.activity_ids.filtered(lambda a: a.summary == "Reopened complaint: contact the customer")
        self.assertTrue(reopened)

    def test_auto_submitted_no_is_a_person(self):
        complaint, resolution = self._resolved()
        self._reply(resolution, RESOLVED_AT + timedelta(days=1), headers={"Auto-Submitted": "no"})
        self.assertEqual(complaint.state, "in_progress")

    def test_a_real_reply_after_seven_days_does_not_reopen(self):
        complaint, resolution = self._resolved()
        self._reply(resolution, RESOLVED_AT + timedelta(days=7, minutes=1))
        self.assertEqual(complaint.state, "resolved")
        self.assertEqual(complaint.reopen_count, 0)
        self.assertTrue(complaint.message_ids.filtered(lambda m: "still not right" in str(m.body)), "kept")

    def test_a_reply_from_a_colleague_of_the_customer_reopens(self):
        company = self.env["res.partner"].create({"name": "Carla's Shop", "is_company": True})
        self.customer.parent_id = company
        self.env["res.partner"].create({"name": "Colin", "email": "colin@example.com", "parent_id": company.id})
        complaint, resolution = self._resolved()
        self._reply(resolution, RESOLVED_AT + timedelta(days=1), email_from="Colin <colin@example.com>")
        self.assertEqual(complaint.state, "in_progress")
        self.assertEqual(complaint.reopen_count, 1)

    def test_a_reply_from_someone_else_does_not_reopen(self):
        complaint, resolution = self._resolved()
        self._reply(resolution, RESOLVED_AT + timedelta(days=1), email_from="stranger@example.org")
        self.assertEqual(complaint.state, "resolved")

    def test_robots_do_not_reopen_a_resolved_complaint(self):
        complaint, resolution = self._resolved()
        for kind, headers in ROBOT_HEADERS.items():
            with self.subTest(kind=kind):
                self._reply(resolution, RESOLVED_AT + timedelta(days=1), headers=headers, body=f"Robot {kind}")
                self.assertTrue(complaint.message_ids.filtered(lambda m, k=kind: f"Robot {k}" in str(m.body)))
                self.assertEqual(complaint.state, "resolved")
                self.assertEqual(complaint.reopen_count, 0)

    def test_a_bounce_of_the_resolution_email_does_not_reopen(self):
        complaint, resolution = self._resolved()
        bounce = EmailMessage()
        bounce["From"] = f"MAILER-DAEMON@{self.alias_domain}"
        bounce["To"] = f"complaints@{self.alias_domain}"
        bounce["Subject"] = "Undelivered Mail Returned to Sender"
        bounce["Message-ID"] = make_msgid(domain="example.com")
        bounce["In-Reply-To"] = resolution.message_id
        bounce["References"] = resolution.message_id
        bounce.set_content("Your message could not be delivered.")
        bounce.add_attachment(
            "Original-Recipient: rfc822;carla@example.com\nAction: failed\nStatus: 5.1.1\n",
            subtype="delivery-status",
        )
        bounce.replace_header("Content-Type", bounce.get("Content-Type").replace("multipart/mixed", "multipart/report"))
        with self.mock_datetime_and_now(RESOLVED_AT + timedelta(days=1)), self.mock_mail_gateway():
            self.env["mail.thread"].message_process(False, bounce.as_string())
        self.env.invalidate_all()
        self.assertEqual(complaint.state, "resolved")
        self.assertEqual(complaint.reopen_count, 0)
        parsed = {"to": bounce["To"], "email_from": bounce["From"]}
        self.assertTrue(self.env["crm.complaint"]._is_automated_email(bounce, parsed))

    # ------------------------------------------------------------------
    # Waiting
    # ------------------------------------------------------------------

    def test_an_out_of_office_reply_does_not_resume_a_waiting_complaint(self):
        complaint, answer = self._waiting()
        self._reply(answer, MONDAY + timedelta(hours=2), headers={"Auto-Submitted": "auto-replied"})
        self.assertEqual(complaint.state, "waiting")
        self.assertEqual(complaint.sla_paused_since, MONDAY + timedelta(hours=1), "the clock is still paused")
        self.assertEqual(complaint.sla_paused_hours, 0.0)

    def test_robots_do_not_resume_a_waiting_complaint(self):
        complaint, answer = self._waiting()
        for kind, headers in ROBOT_HEADERS.items():
            with self.subTest(kind=kind):
                self._reply(answer, MONDAY + timedelta(hours=2), headers=headers, body=f"Robot {kind}")
                self.assertEqual(complaint.state, "waiting")

    def test_a_real_reply_resumes_a_waiting_complaint(self):
        complaint, answer = self._waiting()
        self._reply(answer, MONDAY + timedelta(hours=3), body="Here is the photo you asked for.")
        self.assertEqual(complaint.state, "in_progress")
        self.assertAlmostEqual(complaint.sla_paused_hours, 2.0)  # Monday 10:00 to 12:00
        self.assertFalse(complaint.sla_paused_since)

    # ------------------------------------------------------------------
    # New mail to the alias
    # ------------------------------------------------------------------

    def test_a_robot_writing_to_the_alias_gets_no_acknowledgement(self):
        for kind, headers in (("robot", {"Auto-Submitted": "auto-generated"}), ("person", {})):
            with self.subTest(kind=kind):
                msg = EmailMessage()
                msg["From"] = "carla@example.com"
                msg["To"] = f"complaints@{self.alias_domain}"
                msg["Subject"] = f"Vase broken ({kind})"
                msg["Message-ID"] = make_msgid(domain="example.com")
                for name, value in headers.items():
                    msg[name] = value
                msg.set_content("The vase arrived broken.")
                with self.mock_datetime_and_now(MONDAY), self.mock_mail_gateway():
                    self.env["mail.thread"].message_process(False, msg.as_string())
                    self.env.flush_all()
                complaint = self.env["crm.complaint"].search([("subject", "=", f"Vase broken ({kind})")])
                self.assertEqual(len(complaint), 1, "nothing is lost")
                ack = complaint.message_ids.filtered(lambda m, c=complaint: c.name in (m.subject or ""))
                self.assertEqual(len(ack), 0 if kind == "robot" else 1)
