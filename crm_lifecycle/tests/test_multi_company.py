from contextlib import contextmanager

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .care_common import CareCase


@tagged("post_install", "-at_install")
class TestLifecycleMultiCompany(CareCase):
    """A Customer Care manager of company A never reaches company B's lifecycle and care records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.company_b.partner_id.tz = "UTC"
        cls.manager_a = new_test_user(
            cls.env,
            "care_manager_a",
            groups="sales_team.group_sale_manager",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.manager_ab = new_test_user(
            cls.env,
            "care_manager_ab",
            groups="sales_team.group_sale_manager",
            company_id=cls.company_a.id,
            company_ids=[Command.set((cls.company_a | cls.company_b).ids)],
        )
        env_b = cls.env(context={"allowed_company_ids": cls.company_b.ids})
        cls.customer_b = cls._customer("Customer B", company_id=cls.company_b.id, birthday="1980-03-01")
        order = (
            env_b["sale.order"]
            .with_company(cls.company_b)
            .create(
                {
                    "partner_id": cls.customer_b.id,
                    "company_id": cls.company_b.id,
                    "order_line": [Command.create({"product_id": cls.product.id, "price_unit": 100})],
                }
            )
        )
        order.action_confirm()
        cls.customer_b._lifecycle_refresh(reason="manual")
        cls.segment_b = cls.env["crm.segment"].create(
            {"name": "B customers", "domain": "[]", "company_id": cls.company_b.id, "user_id": cls.manager_ab.id}
        )
        cls.segment_b._refresh_members()
        cls.occasion_b = cls.env["crm.care.occasion"].create(
            {"name": "B anniversary", "company_id": cls.company_b.id, "date_ids": [Command.create({"date": cls.TODAY})]}
        )
        cls.campaign_b = cls._campaign(
            "occasion", occasion_id=cls.occasion_b.id, company_id=cls.company_b.id, user_id=cls.manager_ab.id
        )
        cls.touch_b = cls.env["crm.care.touch"].create(
            {
                "campaign_id": cls.campaign_b.id,
                "step_id": cls.campaign_b.step_ids.id,
                "partner_id": cls.customer_b.id,
                "company_id": cls.company_b.id,
                "occurrence_key": "2026-06-15",
                "date_planned": cls.TODAY,
            }
        )
        cls.records_b = {
            "crm.segment": cls.segment_b,
            "crm.segment.member": cls.segment_b.member_ids.filtered(lambda m: m.partner_id == cls.customer_b),
            "crm.lifecycle.history": cls.env["crm.lifecycle.history"].search([("partner_id", "=", cls.customer_b.id)]),
            "crm.care.campaign": cls.campaign_b,
            "crm.care.step": cls.campaign_b.step_ids,
            "crm.care.touch": cls.touch_b,
            "crm.care.occasion": cls.occasion_b,
            "crm.care.occasion.date": cls.occasion_b.date_ids,
        }

    @contextmanager
    def _refused(self, exception, message):
        """assertRaises (rolled back to a savepoint, unlike assertRaisesRegex) plus the message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), message)

    def test_every_record_of_company_b_exists(self):
        for model, record in self.records_b.items():
            self.assertEqual(len(record), 1, model)

    def test_manager_of_company_a_reads_nothing_of_company_b(self):
        for model, record in self.records_b.items():
            with self.subTest(model=model):
                as_a = self.env[model].with_user(self.manager_a)
                self.assertFalse(as_a.search([("id", "=", record.id)]), "not found by search")
                with self.assertRaises(AccessError):
                    record.with_user(self.manager_a).read(["display_name"])
        # Nor through the segment or the customer.
        self.assertFalse(
            self.env["crm.segment.member"].with_user(self.manager_a).search([("partner_id", "=", self.customer_b.id)])
        )

    def test_manager_of_both_companies_reads_both(self):
        for model, record in self.records_b.items():
            with self.subTest(model=model):
                as_ab = (
                    self.env[model]
                    .with_user(self.manager_ab)
                    .with_context(allowed_company_ids=(self.company_a | self.company_b).ids)
                )
                self.assertEqual(as_ab.search([("id", "=", record.id)]), record)
                # With only company A selected, company B's records are out of reach again.
                only_a = self.env[model].with_user(self.manager_ab).with_context(allowed_company_ids=self.company_a.ids)
                self.assertFalse(only_a.search([("id", "=", record.id)]))

    def test_shared_segment_and_occasion_serve_every_company(self):
        shared = self.env["crm.segment"].create({"name": "Everyone", "domain": "[]", "company_id": False})
        for user in (self.manager_a, self.manager_ab):
            self.assertEqual(self.env["crm.segment"].with_user(user).search([("id", "=", shared.id)]), shared)
        new_year = self.env.ref("crm_lifecycle.crm_care_occasion_new_year")
        self.assertFalse(new_year.company_id, "the shipped occasions are shared")
        self.assertTrue(new_year.with_user(self.manager_a).date_ids)

    def test_campaign_of_company_a_on_company_b_records_is_refused(self):
        Campaign = (
            self.env["crm.care.campaign"]
            .with_user(self.manager_ab)
            .with_context(allowed_company_ids=(self.company_a | self.company_b).ids)
        )
        step = [Command.create({"action": "email", "mail_template_id": self.thank_you_template.id})]
        with self._refused(UserError, "company inconsistencies"):
            Campaign.create(
                {
                    "name": "A on B's segment",
                    "kind": "segment_entry",
                    "segment_id": self.segment_b.id,
                    "company_id": self.company_a.id,
                    "step_ids": step,
                }
            )
        with self._refused(UserError, "company inconsistencies"):
            Campaign.create(
                {
                    "name": "A on B's occasion",
                    "kind": "occasion",
                    "occasion_id": self.occasion_b.id,
                    "company_id": self.company_a.id,
                    "step_ids": step,
                }
            )
        with self._refused(UserError, "company inconsistencies"):
            Campaign.create(
                {
                    "name": "B campaign run by A",
                    "kind": "birthday",
                    "company_id": self.company_b.id,
                    "user_id": self.manager_a.id,
                    "step_ids": step,
                }
            )
        # A segment of its own company (or a shared one) is fine.
        campaign = Campaign.create(
            {
                "name": "B on B",
                "kind": "segment_entry",
                "segment_id": self.segment_b.id,
                "company_id": self.company_b.id,
                "step_ids": step,
            }
        )
        with self._refused(UserError, "company inconsistencies"):
            campaign.company_id = self.company_a

    def test_segment_owner_must_work_in_its_company(self):
        with self._refused(UserError, "company inconsistencies"):
            self.env["crm.segment"].create(
                {"name": "B, owned by A", "domain": "[]", "company_id": self.company_b.id, "user_id": self.manager_a.id}
            )

    def test_step_of_company_b_campaign_cannot_name_a_user_of_company_a_only(self):
        with self._refused(UserError, "company inconsistencies"):
            self.campaign_b.write(
                {"step_ids": [Command.create({"action": "assign_salesperson", "user_id": self.manager_a.id})]}
            )
        self.campaign_b.write(
            {"step_ids": [Command.create({"action": "assign_salesperson", "user_id": self.manager_ab.id})]}
        )
        self.assertEqual(len(self.campaign_b.step_ids), 2)
