from datetime import date

from odoo.tests import Form, tagged

from odoo.addons.crm_lifecycle.tests.care_common import CareCase


@tagged("post_install", "-at_install")
class TestCareVeto(CareCase):
    """While a customer has an open complaint, campaigns skip them; service messages still go."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls._campaign("birthday")
        cls.customer = cls._customer("Unhappy Ursula", birthday=date(1990, 6, 15))
        cls.happy = cls._customer("Happy Hugo", birthday=date(1990, 6, 15))

    def _complaint(self, partner):
        return self.env["crm.complaint"].create({"subject": "Broken", "partner_id": partner.id, "team_id": False})

    def _touch(self, campaign, partner):
        return self._touches(campaign).filtered(lambda t: t.partner_id == partner)

    def test_open_complaint_vetoes_marketing_touches(self):
        self._complaint(self.customer)
        self._run_care(self.TODAY)
        touch = self._touch(self.campaign, self.customer)
        self.assertEqual((touch.state, touch.reason), ("skipped", "open_complaint"))
        self.assertEqual(self._touch(self.campaign, self.happy).state, "done")

    def test_a_contact_of_the_complaining_company_is_spared_too(self):
        company = self._customer("Ursula Ltd", is_company=True)
        self.customer.parent_id = company
        self._complaint(company)
        self._run_care(self.TODAY)
        self.assertEqual(self._touch(self.campaign, self.customer).reason, "open_complaint")

    def test_service_messages_still_go(self):
        service = self._campaign(
            "birthday",
            steps=[{"action": "email", "mail_template_id": self.birthday_template.id, "respect_pressure": False}],
            name="Service notice",
        )
        self._complaint(self.customer)
        self._run_care(self.TODAY)
        self.assertEqual(self._touch(service, self.customer).state, "done")

    def test_resolved_complaint_no_longer_vetoes(self):
        complaint = self._complaint(self.customer)
        complaint.write(
            {
                "resolution": "<p>Replaced</p>",
                "cause_id": self.env.ref("crm_complaints.crm_complaint_cause_product").id,
                "stage_id": self.env.ref("crm_complaints.crm_complaint_stage_resolved").id,
            }
        )
        self._run_care(self.TODAY)
        self.assertEqual(self._touch(self.campaign, self.customer).state, "done")

    def test_complaint_logged_from_a_follow_up_touch(self):
        """The outcome of a follow-up is a complaint: staff log it from the touch, which stays linked."""
        self._run_care(self.TODAY)
        touch = self._touch(self.campaign, self.happy)
        self.assertEqual(touch.state, "done")
        action = touch.action_log_complaint()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        form.subject = "Gift arrived broken"
        complaint = form.save()
        self.assertEqual(complaint.partner_id, self.happy)
        self.assertEqual(complaint.care_touch_id, touch)
        self.assertEqual(complaint.channel, "phone")
        self.assertEqual(touch.complaint_ids, complaint)
