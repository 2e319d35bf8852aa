from datetime import datetime

import lxml.html

from odoo import http
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestAccess(ComplaintCase):
    def test_users_see_their_teams_complaints_and_managers_all(self):
        ours = self._complaint()
        theirs = self._complaint(team_id=self.other_team.id, user=self.outsider)
        untriaged = self._complaint(team_id=False)
        Complaint = self.env["crm.complaint"]
        self.assertEqual(Complaint.with_user(self.agent).search([]), ours | untriaged)
        self.assertEqual(Complaint.with_user(self.outsider).search([]), theirs | untriaged)
        self.assertEqual(
            Complaint.with_user(self.manager).search([]) & (ours | theirs | untriaged), ours | theirs | untriaged
        )
        with self.assertRaises(AccessError):
            theirs.with_user(self.agent).read(["subject"])
        with self.assertRaises(AccessError):
            theirs.with_user(self.agent).write({"subject": "mine"})

    def test_other_companies_complaints_are_hidden(self):
        complaint = self._complaint(team_id=False, user=self.manager)
        # its owner works in the first company only: it moves without one (company consistency)
        complaint.sudo().write({"company_id": self.company_2.id, "user_id": False})
        self.assertFalse(self.env["crm.complaint"].with_user(self.manager).search([("id", "=", complaint.id)]))
        self.manager.company_ids |= self.company_2
        manager = self.manager.with_context(allowed_company_ids=[self.company.id, self.company_2.id])
        self.assertEqual(
            self.env["crm.complaint"]
            .with_user(manager)
            .with_context(allowed_company_ids=[self.company.id, self.company_2.id])
            .search([("id", "=", complaint.id)]),
            complaint,
        )

    def test_only_managers_configure(self):
        with self.assertRaises(AccessError):
            self.env["crm.complaint.sla"].with_user(self.agent).create(
                {"name": "Mine", "response_hours": 1, "resolve_hours": 2}
            )
        self.env["crm.complaint.sla"].with_user(self.manager).create(
            {"name": "Severe", "severity": "high", "response_hours": 1, "resolve_hours": 2}
        )


@tagged("post_install", "-at_install")
class TestPortal(HttpCase, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = mail_new_test_user(
            cls.env, login="carla_portal", name="Carla Customer", groups="base.group_portal", password="carla_portal"
        )
        cls.portal_user.partner_id.write({"email": "carla.portal@example.com"})
        cls.other_user = mail_new_test_user(
            cls.env, login="otto_portal", name="Otto Other", groups="base.group_portal", password="otto_portal"
        )
        cls.product = cls.env["product.product"].create({"name": "Lamp", "list_price": 40.0})
        cls.own_order, cls.other_order = cls.env["sale.order"].create(
            [
                {"partner_id": partner.id, "order_line": [Command.create({"product_id": cls.product.id})]}
                for partner in (cls.portal_user.partner_id, cls.other_user.partner_id)
            ]
        )
        (cls.own_order | cls.other_order).action_confirm()

    def setUp(self):
        super().setUp()
        self.own = self._complaint(partner_id=self.portal_user.partner_id.id, subject="My lamp flickers")
        self.other = self._complaint(partner_id=self.other_user.partner_id.id, subject="Otto's secret")
        self.attachment = self.env["ir.attachment"].create(
            {"name": "otto.txt", "raw": b"secret", "res_model": "crm.complaint", "res_id": self.other.id}
        )

    def test_portal_customer_sees_only_their_own_by_rpc(self):
        Complaint = self.env["crm.complaint"].with_user(self.portal_user)
        self.assertEqual(Complaint.search([]), self.own)
        self.assertEqual(self.own.with_user(self.portal_user).subject, "My lamp flickers")
        with self.assertRaises(AccessError):
            self.other.with_user(self.portal_user).read(["subject"])
        with self.assertRaises(AccessError):
            self.own.with_user(self.portal_user).write({"subject": "changed"})
        with self.assertRaises(AccessError):
            self.attachment.with_user(self.portal_user).read(["raw"])
        with self.assertRaises(AccessError):
            self.other.compensation_ids.with_user(self.portal_user).search([])

    def test_portal_customer_sees_only_their_own_by_url(self):
        self.authenticate("carla_portal", "carla_portal")
        response = self.url_open("/my/complaints")
        self.assertIn("My lamp flickers", response.text)
        self.assertNotIn("Otto", response.text)
        response = self.url_open(f"/my/complaints/{self.own.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.own.name, response.text)
        response = self.url_open(f"/my/complaints/{self.other.id}")
        self.assertNotIn("Otto&#39;s secret", response.text)
        self.assertTrue(response.url.endswith("/my"), "redirected to the portal home")
        response = self.url_open(f"/web/content/{self.attachment.id}")
        self.assertIn(response.status_code, (403, 404))
        self.assertNotEqual(response.content, b"secret")

    def test_a_rating_token_grants_no_access_to_the_complaint(self):
        self._move(self.other, "resolved", datetime(2026, 6, 16, 10, 0), resolution="<p>ok</p>", cause_id=self.cause.id)
        rating_token = self.other._rating_get_access_token()
        self.authenticate("carla_portal", "carla_portal")
        response = self.url_open(f"/my/complaints/{self.other.id}?access_token={rating_token}")
        self.assertTrue(response.url.endswith("/my"))
        self.assertNotIn("Otto&#39;s secret", response.text)
        # while the complaint's own access token (shared by email) does open it
        response = self.url_open(f"/my/complaints/{self.other.id}?access_token={self.other._portal_ensure_token()}")
        self.assertIn(self.other.name, response.text)

    def test_portal_submission_with_one_of_their_orders(self):
        self.authenticate("carla_portal", "carla_portal")
        response = self.url_open("/my/complaints/new")
        options = lxml.html.fromstring(response.content).xpath("//select[@name='sale_order_id']/option/@value")
        self.assertIn(str(self.own_order.id), options)
        self.assertNotIn(str(self.other_order.id), options)

        response = self.url_open(
            "/my/complaints/submit",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "subject": "Someone else's order",
                "sale_order_id": self.other_order.id,
            },
        )
        self.assertIn("Choose one of your own orders", response.text)
        self.assertFalse(self.env["crm.complaint"].search([("subject", "=", "Someone else's order")]))

        response = self.url_open(
            "/my/complaints/submit",
            data={
                "csrf_token": http.Request.csrf_token(self),
                "subject": "Lamp arrived broken",
                "description": "Glass in pieces.\nPlease help.",
                "sale_order_id": self.own_order.id,
            },
        )
        complaint = self.env["crm.complaint"].search([("subject", "=", "Lamp arrived broken")])
        self.assertEqual(complaint.partner_id, self.portal_user.partner_id)
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(complaint.sale_order_id, self.own_order)
        self.assertEqual(complaint.product_id, self.product)
        self.assertFalse(complaint.user_id)
        self.assertTrue(complaint.resolve_deadline)
        self.assertTrue(response.url.endswith(f"/my/complaints/{complaint.id}"), response.url)
        self.assertIn("Glass in pieces.", response.text)
        self.assertTrue(complaint.message_ids.filtered(lambda m: complaint.name in (m.subject or "")), "acknowledged")

    def test_rating_through_the_portal_smileys_and_low_rating_reopens(self):
        self._move(
            self.own, "resolved", datetime(2026, 6, 16, 10, 0), resolution="<p>New lamp</p>", cause_id=self.cause.id
        )
        self.authenticate("carla_portal", "carla_portal")
        page = self.url_open(f"/my/complaints/{self.own.id}")
        token = self.own._rating_get_access_token()
        self.assertIn(f"/rate/{token}/1", page.text)
        self.url_open(f"/rate/{token}/1").raise_for_status()
        self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"rate": 1, "csrf_token": http.Request.csrf_token(self), "feedback": "Still flickers"},
        ).raise_for_status()
        self.env.invalidate_all()
        self.assertEqual(self.own.rating_last_value, 1)
        self.assertEqual(self.own.state, "in_progress")
        self.assertEqual(self.own.user_id, self.leader)
        self.assertEqual(self.own.reopen_count, 1)
