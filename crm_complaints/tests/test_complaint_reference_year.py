"""The year in a complaint's reference is the company's business year, whoever logs the complaint."""

from datetime import datetime

from odoo.tests import tagged

from .common import ComplaintCase

# 17:00 UTC on 31 December: already 1 January 2027 in the company's business time zone (Shanghai, +8),
# still 31 December for the agent in Paris and the leader in New York.
NEW_YEAR_EVE = datetime(2026, 12, 31, 17, 0)


@tagged("post_install", "-at_install")
class TestComplaintReferenceYear(ComplaintCase):
    def test_reference_year_is_the_company_s_whoever_creates(self):
        for user in (self.agent, self.leader, self.manager):
            with self.subTest(user=user.login, tz=user.tz):
                complaint = self._complaint(when=NEW_YEAR_EVE, user=user)
                self.assertTrue(complaint.name.startswith("CMP/2027/"), complaint.name)

    def test_reference_of_a_team_of_another_company_uses_that_company_s_year(self):
        self.company_2.crm_care_tz = "America/New_York"  # 12:00 on 31 December there
        self.manager.company_ids |= self.company_2
        team_2 = self.env["crm.complaint.team"].create({"name": "NY desk", "company_id": self.company_2.id})
        with self.mock_datetime_and_now(NEW_YEAR_EVE):
            complaint = (
                self.env["crm.complaint"]
                .with_user(self.manager)
                .with_context(allowed_company_ids=[self.company.id, self.company_2.id])
                .create({"subject": "Late parcel", "partner_id": self.customer.id, "team_id": team_2.id})
            )
        self.assertEqual(complaint.company_id, self.company_2)
        self.assertTrue(complaint.name.startswith("CMP/2026/"), complaint.name)
