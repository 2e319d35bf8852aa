from odoo import http
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestPortalVisibilityFollowsTheCompanyOfTheComplaint(HttpCase, ComplaintCase):
    """A complaint belongs to the customer company it was made for: a contact moving to another company does
    not take it along, and the new company's portal users do not see it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acme = cls.env["res.partner"].create({"name": "Acme", "is_company": True})
        cls.bolt = cls.env["res.partner"].create({"name": "Bolt", "is_company": True})
        cls.carla = mail_new_test_user(
            cls.env, login="carla_acme", name="Carla", groups="base.group_portal", password="carla_acme"
        )
        cls.alice = mail_new_test_user(
            cls.env, login="alice_acme", name="Alice", groups="base.group_portal", password="alice_acme"
        )
        cls.bob = mail_new_test_user(
            cls.env, login="bob_bolt", name="Bob", groups="base.group_portal", password="bob_bolt"
        )
        cls.carla.partner_id.parent_id = cls.acme
        cls.alice.partner_id.parent_id = cls.acme
        cls.bob.partner_id.parent_id = cls.bolt
        product = cls.env["product.product"].create({"name": "Drill", "list_price": 80.0})
        cls.order = cls.env["sale.order"].create(
            {"partner_id": cls.carla.partner_id.id, "order_line": [Command.create({"product_id": product.id})]}
        )
        cls.order.action_confirm()

    def test_complaint_stays_with_the_company_it_was_made_for(self):
        self.authenticate("carla_acme", "carla_acme")
        response = self.url_open(
            "/my/complaints/submit",
            data={
                "subject": "Drill arrived broken",
                "sale_order_id": self.order.id,
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        complaint = self.env["crm.complaint"].search([("subject", "=", "Drill arrived broken")])
        self.assertEqual(complaint.commercial_partner_id, self.acme)
        Complaint = self.env["crm.complaint"]
        self.assertEqual(Complaint.with_user(self.alice).search([]), complaint, "her colleague at Acme sees it")
        self.assertFalse(Complaint.with_user(self.bob).search([]))

        # Carla moves to Bolt: the complaint is still Acme's.
        self.carla.partner_id.parent_id = self.bolt
        self.env.flush_all()
        self.assertEqual(complaint.commercial_partner_id, self.acme)
        self.assertFalse(Complaint.with_user(self.bob).search([]), "Bolt's portal users do not see Acme's complaint")
        with self.assertRaises(AccessError):
            complaint.with_user(self.bob).read(["subject"])
        self.assertEqual(Complaint.with_user(self.alice).search([]), complaint)
        self.assertEqual(complaint.partner_id.with_user(self.bob).commercial_partner_id, self.bolt)
        self.authenticate("bob_bolt", "bob_bolt")
        self.assertNotIn("Drill arrived broken", self.url_open("/my/complaints").text)
        response = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertTrue(response.url.endswith("/my"))

    def test_staff_changing_the_customer_moves_the_complaint(self):
        complaint = self._complaint(partner_id=self.carla.partner_id.id)
        self.assertEqual(complaint.commercial_partner_id, self.acme)
        complaint.partner_id = self.bob.partner_id
        self.assertEqual(complaint.commercial_partner_id, self.bolt)
