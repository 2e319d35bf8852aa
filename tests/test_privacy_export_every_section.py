"""The personal-data export works for a person who has records in every section it lists: each section's
columns are fields of its records. A person in a segment (every customer once the nightly refresh ran)
could not download their data: the segments section named a field the memberships do not have."""

from datetime import timedelta

from test_privacy_requests import PEOPLE, PrivacyCase

from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.common import frozen


@tagged("post_install", "-at_install")
class TestPrivacyExportEverySection(PrivacyCase):
    def test_a_person_with_records_in_every_section_downloads_them(self):
        alice = self.people["alice"]
        segment = self.env["crm.segment"].create(
            {"name": "Tea lovers", "user_id": self.manager.id, "domain": f"[('email', '=', '{alice.email}')]"}
        )
        with frozen(self.env, self.TODAY + timedelta(hours=4)):
            segment.with_user(self.manager).action_refresh()
        self.assertEqual(segment.member_ids.partner_id, alice)
        self.authenticate("alice", "alice-pw-2026")
        response = self.url_open("/my/personal_data/download?file_format=json")
        self.assertEqual(response.status_code, 200)
        sections = response.json()["sections"]
        self.assertEqual(
            sections["segments"],
            [{"segment_id": "Tea lovers", "date_entered": self.TODAY.isoformat(), "date_left": None}],
        )
        self.assertEqual([name for name, rows in sections.items() if not rows], [], "a record in every section")
        self.assertEqual(sections["contact"][0]["email"], PEOPLE["alice"]["email"])
        # the staff export (JSON and Excel) of the same person
        self.assertEqual(self._export(alice)["sections"]["segments"][0]["segment_id"], "Tea lovers")
        self.assertTrue(self._export(alice, "xlsx"))
