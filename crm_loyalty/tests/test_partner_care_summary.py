"""The membership tier in the partner form's "Customer Care" summary, for every Customer Care user."""

from odoo.tests import Form, tagged

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestPartnerCareSummaryTier(LoyaltyCase):
    def test_summary_shows_stage_and_tier_of_the_customer(self):
        company = self._customer("Tiered Company", is_company=True)
        buyer = self._customer("Tiered Buyer", parent_id=company.id)
        self._order(buyer, self.TODAY, amount=6000)
        arch = self.env["res.partner"].with_user(self.salesman).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="crm_care_summary_tier"', arch)
        for partner in (company, buyer):
            form = Form(partner.with_user(self.salesman))
            self.assertEqual(form.lifecycle_stage_id, self.stage["new"])
            self.assertEqual(form.loyalty_tier_id, self.silver, "the contact shows the company's tier")
