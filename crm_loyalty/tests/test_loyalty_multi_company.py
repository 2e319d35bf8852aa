from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyMultiCompany(LoyaltyCase):
    """Tiers and tier history of one company stay out of reach of a manager of another company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.manager_a = new_test_user(
            cls.env,
            "loyalty_manager_a",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.manager_ab = new_test_user(
            cls.env,
            "loyalty_manager_ab",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            company_ids=[Command.set((cls.company | cls.company_b).ids)],
        )
        cls.tier_b = cls.env["crm.loyalty.tier"].create(
            {"name": "B Gold", "company_id": cls.company_b.id, "sequence": 50, "min_spend": 100000}
        )
        cls.customer_b = cls._customer("Customer B", company_id=cls.company_b.id)
        cls.customer_b._loyalty_set_tier_manually(cls.tier_b, "Founding customer", False)
        cls.records_b = {
            "crm.loyalty.tier": cls.tier_b,
            "crm.loyalty.tier.history": cls.env["crm.loyalty.tier.history"].search(
                [("partner_id", "=", cls.customer_b.id)]
            ),
        }

    def test_manager_of_company_a_reads_nothing_of_company_b(self):
        for model, record in self.records_b.items():
            with self.subTest(model=model):
                self.assertEqual(len(record), 1)
                self.assertFalse(self.env[model].with_user(self.manager_a).search([("id", "=", record.id)]))
                with self.assertRaises(AccessError):
                    record.with_user(self.manager_a).read(["display_name"])

    def test_manager_of_both_companies_reads_both(self):
        both = (self.company | self.company_b).ids
        for model, record in self.records_b.items():
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.manager_ab)
                self.assertEqual(Model.with_context(allowed_company_ids=both).search([("id", "=", record.id)]), record)
                self.assertFalse(
                    Model.with_context(allowed_company_ids=self.company.ids).search([("id", "=", record.id)])
                )

    def test_a_tier_of_company_b_is_not_given_to_a_customer_of_company_a(self):
        customer_a = self._customer("Customer A", company_id=self.company.id)
        Wizard = (
            self.env["crm.loyalty.lock.wizard"]
            .with_user(self.manager_ab)
            .with_context(allowed_company_ids=(self.company | self.company_b).ids)
        )
        wizard = Wizard.create({"partner_id": customer_a.id, "tier_id": self.tier_b.id, "reason": "Friend of B"})
        with self._refused(UserError, "belongs to another company"):
            wizard.action_apply()
        self.assertFalse(customer_a.loyalty_tier_id)
        Wizard.create({"partner_id": customer_a.id, "tier_id": self.gold.id, "reason": "Friend"}).action_apply()
        self.assertEqual(customer_a.loyalty_tier_id, self.gold, "a shared tier is fine")
