from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintEmailCompany(ComplaintCase):
    """Complaint emails are rendered in the complaint's company, not in the running user's."""

    def test_acknowledgement_of_a_company_b_complaint_comes_from_company_b(self):
        company_b = self.env["res.company"].create({"name": "Sister Service", "email": "service@sister.example.com"})
        self.company.email = "service@main.example.com"
        team_b = self.env["crm.complaint.team"].create({"name": "Sister desk", "company_id": company_b.id})
        # Logged by the main company's bot (a scheduled job, the mail gateway) for company B.
        self.assertEqual(self.env.company, self.company)
        complaint = self.env["crm.complaint"].create(
            {
                "subject": "Wrong colour",
                "partner_id": self.customer.id,
                "team_id": team_b.id,
                "company_id": company_b.id,
            }
        )
        self.env.flush_all()
        acknowledgement = complaint.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(acknowledgement), 1)
        self.assertIn("service@sister.example.com", acknowledgement.email_from)
        self.assertIn("Sister Service", str(acknowledgement.body))
