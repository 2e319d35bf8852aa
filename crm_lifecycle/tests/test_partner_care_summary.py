"""The customer in one view: the "Customer Care" summary of the partner form shows every Customer Care user the
customer's stage and the last and next care touch of the customer (its company and contacts)."""

from datetime import date, datetime

from odoo import Command, fields
from odoo.tests import Form, tagged

from .care_common import CareCase


@tagged("post_install", "-at_install")
class TestPartnerCareSummary(CareCase):
    def test_last_and_next_care_touch_of_the_customer_and_its_contacts(self):
        company = self._customer("Summary Company", is_company=True)
        buyer = self._customer("Summary Buyer", parent_id=company.id)
        campaign = self._campaign(
            "after_order",
            name="After the order",
            steps=[
                {"action": "email", "mail_template_id": self.thank_you_template.id, "delay_days": 1},
                {
                    "action": "activity",
                    "activity_type_id": self.visit_type.id,
                    "delay_days": 7,
                    "activity_summary": "Visit",
                    "respect_pressure": False,
                },
            ],
        )
        form = Form(company.with_user(self.salesman))
        self.assertFalse(form.care_last_touch_id)
        self.assertFalse(form.care_next_touch_id)
        self._order(buyer, self.TODAY)
        self._run_care(self._days_ago(-1))
        thanks, visit = self._touches(campaign).sorted("date_planned")
        self.assertEqual((thanks.state, visit.state), ("done", "planned"))
        for partner in (company, buyer):
            form = Form(partner.with_user(self.salesman))
            self.assertEqual(form.lifecycle_stage_id, self.stage["new"])
            self.assertEqual(form.care_last_touch_id, thanks, "the contact's touch is the customer's")
            self.assertEqual(form.care_last_touch_date, fields.Datetime.to_string(thanks.date_done))
            self.assertEqual(form.care_last_touch_campaign_id, campaign)
            self.assertEqual(form.care_next_touch_id, visit)
            self.assertEqual(form.care_next_touch_date, str(self._days_ago(-7)))
            self.assertEqual(form.care_next_touch_campaign_id, campaign)
        self._run_care(self._days_ago(-7))
        company.invalidate_recordset()
        self.assertEqual(company.with_user(self.salesman).care_last_touch_id, visit, "the latest done")
        self.assertFalse(company.with_user(self.salesman).care_next_touch_id, "nothing planned any more")

    def test_next_touch_is_the_earliest_planned_and_last_the_latest_done(self):
        partner = self._customer("Two Birthdays", birthday=date(1990, 6, 15))
        birthday = self._campaign("birthday", name="Birthdays")
        self._run_care(self.TODAY)
        greeting = self._touches(birthday)
        self.assertEqual(greeting.state, "done")
        self.assertEqual(partner.with_user(self.salesman).care_last_touch_id, greeting)
        self.assertEqual(partner.with_user(self.salesman).care_last_touch_date, greeting.date_done)
        self.assertIsInstance(partner.with_user(self.salesman).care_last_touch_date, datetime)

    def test_summary_is_on_the_partner_form_of_every_customer_care_user(self):
        arch = self.env["res.partner"].with_user(self.salesman).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="crm_care_summary"', arch)
        for field in ("lifecycle_stage_id", "care_last_touch_date", "care_next_touch_date"):
            self.assertIn(f'name="{field}"', arch)
        outsider = self.env["res.users"].create(
            {
                "name": "Accountant",
                "login": "summary_accountant",
                "group_ids": [Command.set(self.env.ref("base.group_user").ids)],
            }
        )
        arch = self.env["res.partner"].with_user(outsider).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn('name="crm_care_summary"', arch, "for Customer Care users only")
