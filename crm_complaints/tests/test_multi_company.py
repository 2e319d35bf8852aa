from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintsMultiCompany(ComplaintCase):
    """A Customer Care manager of one company never reaches another company's complaint records, and no record
    of one company points to another company's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a, cls.company_b = cls.company, cls.company_2
        cls.manager_a = mail_new_test_user(
            cls.env,
            login="cmp_manager_a",
            groups="sales_team.group_sale_manager",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.manager_ab = mail_new_test_user(
            cls.env,
            login="cmp_manager_ab",
            groups="sales_team.group_sale_manager",
            company_id=cls.company_a.id,
            company_ids=[Command.set((cls.company_a | cls.company_b).ids)],
        )
        cls.team_b = cls.env["crm.complaint.team"].create(
            {"name": "B team", "company_id": cls.company_b.id, "resource_calendar_id": False}
        )
        cls.category_b = cls.env["crm.complaint.category"].create({"name": "B only", "company_id": cls.company_b.id})
        cls.policy_b = cls.env["crm.complaint.sla"].create(
            {"name": "B policy", "company_id": cls.company_b.id, "team_id": cls.team_b.id}
        )
        cls.complaint_b = (
            cls.env["crm.complaint"]
            .with_context(crm_complaint_no_mail=True)
            .create(
                {
                    "subject": "B's customer",
                    "partner_id": cls.customer.id,
                    "company_id": cls.company_b.id,
                    "team_id": cls.team_b.id,
                    "category_id": cls.category_b.id,
                    "user_id": False,
                }
            )
        )
        cls.compensation_b = cls.env["crm.complaint.compensation"].create(
            {"complaint_id": cls.complaint_b.id, "kind": "gift", "amount": 10}
        )
        cls.env.flush_all()
        cls.records_b = {
            "crm.complaint": cls.complaint_b,
            "crm.complaint.compensation": cls.compensation_b,
            "crm.complaint.team": cls.team_b,
            "crm.complaint.sla": cls.policy_b,
            "crm.complaint.category": cls.category_b,
            "crm.complaint.report": cls.env["crm.complaint.report"].search([("complaint_id", "=", cls.complaint_b.id)]),
        }

    def test_manager_of_company_a_reads_nothing_of_company_b(self):
        for model, record in self.records_b.items():
            with self.subTest(model=model):
                self.assertEqual(len(record), 1)
                self.assertFalse(self.env[model].with_user(self.manager_a).search([("id", "=", record.id)]))
                with self.assertRaises(AccessError):
                    record.with_user(self.manager_a).read(["display_name"])

    def test_manager_of_both_companies_reads_both(self):
        both = (self.company_a | self.company_b).ids
        for model, record in self.records_b.items():
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.manager_ab)
                self.assertEqual(Model.with_context(allowed_company_ids=both).search([("id", "=", record.id)]), record)
                self.assertFalse(
                    Model.with_context(allowed_company_ids=self.company_a.ids).search([("id", "=", record.id)])
                )

    def test_records_of_company_a_cannot_use_company_b_configuration(self):
        env = self.env(user=self.manager_ab, context={"allowed_company_ids": (self.company_a | self.company_b).ids})
        Complaint = env["crm.complaint"].with_context(crm_complaint_no_mail=True)
        for vals in ({"team_id": self.team_b.id}, {"category_id": self.category_b.id}):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "company inconsistencies|Incompatible"):
                Complaint.create({"subject": "A's customer", "company_id": self.company_a.id, **vals})
        with self.assertRaisesRegex(UserError, "company inconsistencies|Incompatible"):
            env["crm.complaint.sla"].create(
                {"name": "A policy on B's team", "company_id": self.company_a.id, "team_id": self.team_b.id}
            )
        with self.assertRaisesRegex(UserError, "company inconsistencies|Incompatible"):
            env["crm.complaint.team"].create(
                {"name": "A team led by A only", "company_id": self.company_b.id, "leader_id": self.manager_a.id}
            )
        with self.assertRaisesRegex(UserError, "company inconsistencies|Incompatible"):
            env["crm.complaint.category"].create(
                {"name": "A under B", "company_id": self.company_a.id, "parent_id": self.category_b.id}
            )

    def test_complaint_of_a_company_gets_a_team_of_that_company(self):
        """A complaint made for company B (portal form on one of B's orders) by a user working in company A
        goes to B's team, not to the default team of the user's company."""
        complaint = (
            self.env["crm.complaint"]
            .with_context(crm_complaint_no_mail=True)
            .create({"subject": "Ordered from B", "partner_id": self.customer.id, "company_id": self.company_b.id})
        )
        self.assertEqual(complaint.team_id, self.team_b)
