"""Complaint configuration that needs an Odoo feature is refused when the feature is missing, not stored to do
nothing: a team alias needs an alias domain, or no email ever reaches it."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintConfigFeatures(ComplaintCase):
    def test_a_team_alias_without_domain_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "has no domain, so no email can reach it"):
            self.env["crm.complaint.team"].with_user(self.manager).create(
                {"name": "Returns", "alias_name": "returns", "alias_domain_id": False}
            )
        team = self.env["crm.complaint.team"].with_user(self.manager).create({"name": "Returns"})
        with self.assertRaisesRegex(ValidationError, "has no domain"):
            team.write({"alias_name": "returns", "alias_domain_id": False})
        with self.assertRaisesRegex(ValidationError, "has no domain"):
            self.team.with_user(self.manager).alias_domain_id = False

    def test_a_team_alias_takes_the_company_domain(self):
        team = (
            self.env["crm.complaint.team"].with_user(self.manager).create({"name": "Returns", "alias_name": "returns"})
        )
        self.assertEqual(team.alias_domain_id, self.company.alias_domain_id)
        self.assertEqual(team.alias_email, f"returns@{self.alias_domain}")
        team.name = "Returns desk"  # other fields are written as before
        self.assertEqual(team.alias_email, f"returns@{self.alias_domain}")
