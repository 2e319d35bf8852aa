from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintMerge(ComplaintCase):
    """Complaints of merged contacts (Odoo's merge wizard) follow the survivor: Odoo repoints them, and our
    merge override gives them the survivor's customer company."""

    def _merge(self, survivor, duplicate):
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_context(active_model="res.partner", active_ids=[survivor.id, duplicate.id])
            .create({"dst_partner_id": survivor.id})
        )
        wizard.action_merge()
        self.env.invalidate_all()
        self.assertFalse(duplicate.exists())

    def test_complaint_of_a_private_duplicate_follows_the_survivor_s_company(self):
        new_co = self.env["res.partner"].create({"name": "New Co", "is_company": True})
        survivor = self.env["res.partner"].create(
            {"name": "Tom Tan", "email": "tom@example.com", "parent_id": new_co.id}
        )
        duplicate = self.env["res.partner"].create({"name": "Tom Tan", "email": "tom@example.com"})
        complaint = self._complaint(partner_id=duplicate.id)
        self.assertEqual(complaint.commercial_partner_id, duplicate)

        self._merge(survivor, duplicate)

        self.assertEqual(complaint.partner_id, survivor)
        self.assertEqual(complaint.commercial_partner_id, new_co, "the survivor's company, not the person")
        self.assertEqual(new_co.complaint_count, 1)
        self.assertEqual(survivor.complaint_count, 1)
        self.assertEqual(new_co.action_view_complaints()["domain"], [("commercial_partner_id", "=", new_co.id)])
        self.assertIn(complaint, self.env["crm.complaint"].search(new_co.action_view_complaints()["domain"]))

    def test_complaints_of_a_duplicate_company_and_its_contacts_follow(self):
        survivor = self.env["res.partner"].create({"name": "Acme", "is_company": True, "email": "info@acme.example"})
        duplicate = self.env["res.partner"].create({"name": "ACME", "is_company": True, "email": "info@acme.example"})
        buyer = self.env["res.partner"].create({"name": "Buyer", "parent_id": duplicate.id})
        by_company = self._complaint(partner_id=duplicate.id)
        by_buyer = self._complaint(partner_id=buyer.id, subject="Wrong colour")

        self._merge(survivor, duplicate)

        self.assertEqual(by_company.partner_id, survivor)
        self.assertEqual((by_buyer.partner_id, buyer.parent_id), (buyer, survivor))
        self.assertEqual((by_company | by_buyer).commercial_partner_id, survivor)
        self.assertEqual(survivor.complaint_count, 2)
