from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestComplaintTour(HttpCase):
    def test_salesperson_logs_and_resolves_a_complaint(self):
        user = mail_new_test_user(
            self.env, login="cmp_tour", name="Tina Tour", groups="sales_team.group_sale_salesman", password="cmp_tour"
        )
        customer = self.env["res.partner"].create({"name": "Tour Customer", "email": "tour.customer@example.com"})
        self.start_tour("/odoo/action-crm_complaints.crm_complaint_action", "crm_complaint_tour", login=user.login)
        complaint = self.env["crm.complaint"].search([("subject", "=", "Lamp arrived broken on tour")])
        self.assertEqual(complaint.partner_id, customer)
        self.assertEqual(complaint.user_id, user)
        self.assertEqual(complaint.state, "resolved")
        self.assertEqual(complaint.cause_id, self.env.ref("crm_complaints.crm_complaint_cause_delivery"))
        self.assertIn("We sent a new lamp", complaint.resolution)
        self.assertTrue(complaint.resolved_date)
        followup = complaint.activity_ids.filtered(
            lambda activity: activity.activity_type_id
            == self.env.ref("crm_complaints.mail_activity_type_complaint_followup")
        )
        self.assertEqual(len(followup), 1, "a follow-up visit is planned")
        self.assertGreater(followup.date_deadline, complaint.resolved_date.date())
