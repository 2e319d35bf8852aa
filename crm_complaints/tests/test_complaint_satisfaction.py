from datetime import date, datetime

from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.common import frozen
from odoo.addons.crm_lifecycle.tests.voice_common import VoiceCase


@tagged("post_install", "-at_install")
class TestComplaintSatisfaction(VoiceCase):
    """Complaint ratings are the customer's feedback: 1-5 mapped to 0-100 ((rating - 1) x 25), averaged with
    the satisfaction survey answers of the last 365 days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cause = cls.env.ref("crm_complaints.crm_complaint_cause_product")
        cls.resolved = cls.env.ref("crm_complaints.crm_complaint_stage_resolved")

    def _resolved_complaint(self, partner=None, **vals):
        complaint = self.env["crm.complaint"].create(
            {"subject": "Broken", "partner_id": partner.id if partner else False, "team_id": False, **vals}
        )
        complaint.write({"resolution": "<p>Replaced</p>", "cause_id": self.cause.id, "stage_id": self.resolved.id})
        return complaint

    def _rate(self, complaint, rate, at=datetime(2026, 6, 18, 9, 0), token=None):
        """The customer's rating from the link of the resolution email (the rating page calls rating_apply as
        superuser with the link's token). Returns the token."""
        token = token or complaint._rating_get_access_token()
        with frozen(self.env, at):
            complaint.sudo().rating_apply(rate, token=token, feedback="...")
            self.env.flush_all()
        self.env.invalidate_all()
        return token

    def test_a_low_rating_and_a_survey_answer_move_the_satisfaction_to_the_documented_value(self):
        company = self._customer("Rated Ltd", is_company=True)
        contact = self._customer("Rita Rated", parent_id=company.id)
        self._answer(self._send_nps(contact).survey_user_input_id, 9)  # 17 June, 10:00 UTC
        for partner in (company, contact):
            self.assertEqual((partner.satisfaction_score, partner.satisfaction_count), (90.0, 1), "NPS 9 is 90")
            self.assertEqual((partner.nps_score, partner.nps_category), (9, "promoter"))
        # 16:30 UTC on 17 June is 00:30 on 18 June in the company's business time zone (Shanghai)
        self._rate(self._resolved_complaint(contact), 1, at=datetime(2026, 6, 17, 16, 30))
        for partner in (company, contact):
            self.assertEqual((partner.satisfaction_score, partner.satisfaction_count), (45.0, 2), "(90 + 0) / 2")
            self.assertEqual(partner.date_last_feedback, date(2026, 6, 18))
            self.assertEqual((partner.nps_score, partner.nps_category), (9, "promoter"), "a rating is no NPS")
        self._rate(self._resolved_complaint(company), 3, at=datetime(2026, 6, 19, 9, 0))
        for partner in (company, contact):
            self.assertEqual(partner.satisfaction_score, 46.7, "(90 + 0 + 50) / 3, one decimal")
            self.assertEqual(partner.satisfaction_count, 3)
            self.assertEqual(partner.date_last_feedback, date(2026, 6, 19))

    def test_a_rating_without_customer_is_ignored_with_a_log(self):
        complaint = self._resolved_complaint(email_from="nobody@example.com")
        self.assertFalse(complaint.partner_id)
        with self.assertLogs("odoo.addons.crm_lifecycle.models.rating_rating", level="WARNING") as logs:
            self._rate(complaint, 1)
        self.assertIn("has no customer: not counted in satisfaction", logs.output[0])
        self.assertFalse(self.env["res.partner"].search([("satisfaction_count", ">", 0)]))

    def test_a_rating_changed_by_the_customer_is_counted_once_with_its_last_value(self):
        partner = self._customer("Changing Mind")
        complaint = self._resolved_complaint(partner)
        token = self._rate(complaint, 1)
        self._rate(complaint, 5, token=token)  # the same link of the email, used again
        self.assertEqual((partner.satisfaction_score, partner.satisfaction_count), (100.0, 1))
        with frozen(self.env, datetime(2026, 6, 19, 3, 0)):
            self.env["res.partner"]._crm_care_refresh_satisfaction()  # the nightly statement agrees
        self.assertEqual((partner.satisfaction_score, partner.satisfaction_count), (100.0, 1))

    def test_a_deleted_rating_leaves_the_satisfaction_at_once(self):
        partner = self._customer("Deleted Rating")
        complaint = self._resolved_complaint(partner)
        self._rate(complaint, 1)
        self._rate(self._resolved_complaint(partner), 5)
        self.assertEqual((partner.satisfaction_score, partner.satisfaction_count), (50.0, 2))
        with frozen(self.env, datetime(2026, 6, 19, 9, 0)):
            complaint.rating_ids.unlink()  # an administrator deletes it (Ratings menu)
        self.env.invalidate_all()
        self.assertEqual((partner.satisfaction_score, partner.satisfaction_count), (100.0, 1))
