"""The open complaints in the partner form's "Customer Care" summary: every Customer Care user sees how many
open complaints the customer has, the most urgent SLA status and the earliest deadline, also outside the
complaint team; the complaints' content stays behind the team's record rules."""

from datetime import datetime

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import MONDAY, ComplaintCase


@tagged("post_install", "-at_install")
class TestPartnerCareSummaryComplaints(ComplaintCase):
    def test_outsider_sees_count_status_and_deadline_but_not_the_complaint(self):
        complaint = self._complaint(description="<p>Glass in pieces, the courier laughed.</p>")
        self.assertEqual(complaint.team_id, self.team)
        self.assertNotIn(self.outsider, self.team.member_ids | self.team.leader_id)
        with self.mock_datetime_and_now(MONDAY):
            form = Form(self.customer.with_user(self.outsider))
            self.assertEqual(form.open_complaint_count, 1)
            self.assertEqual(form.open_complaint_sla_status, "on_track")
            self.assertEqual(form.open_complaint_deadline, complaint.resolve_deadline.strftime("%Y-%m-%d %H:%M:%S"))
        with self.assertRaises(AccessError):
            complaint.with_user(self.outsider).read(["description"])
        # The summary's button opens the complaints the user may read: none for the outsider, the one for the team.
        action = self.customer.with_user(self.outsider).action_view_complaints()
        self.assertFalse(self.env[action["res_model"]].with_user(self.outsider).search(action["domain"]))
        action = self.customer.with_user(self.agent).action_view_complaints()
        self.assertEqual(self.env[action["res_model"]].with_user(self.agent).search(action["domain"]), complaint)

    def test_counts_only_open_complaints_with_the_most_urgent_status_and_earliest_deadline(self):
        first = self._complaint()
        second = self._complaint(when=datetime(2026, 6, 17, 9, 0))
        done = self._complaint()
        self._respond(done, datetime(2026, 6, 15, 10))
        self._move(done, "resolved", datetime(2026, 6, 15, 11), resolution="<p>Done</p>", cause_id=self.cause.id)
        # Two working days later the first one (16 working hours) is breached; the second not yet.
        self._run_escalation(datetime(2026, 6, 17, 12))
        self.assertEqual(first.sla_status, "breached")
        self.assertNotEqual(second.sla_status, "breached")
        contact = self.env["res.partner"].create({"name": "Carla's colleague", "parent_id": self.customer.id})
        for partner in (self.customer, contact):
            summary = partner.with_user(self.agent)
            self.assertEqual(summary.open_complaint_count, 2, "the resolved one is not open")
            self.assertEqual(summary.open_complaint_sla_status, "breached", "the most urgent status")
            self.assertLess(first.resolve_deadline, second.resolve_deadline)
            self.assertEqual(summary.open_complaint_deadline, first.resolve_deadline, "the earliest")

    def test_other_company_complaints_are_not_counted(self):
        self.customer.company_id = False
        self._complaint()
        self.outsider.write({"company_ids": [(4, self.company_2.id)]})
        in_company_2 = self.customer.with_user(self.outsider).with_context(allowed_company_ids=[self.company_2.id])
        self.assertEqual(in_company_2.open_complaint_count, 0)
        self.assertEqual(self.customer.with_user(self.outsider).open_complaint_count, 1)

    def test_customer_without_open_complaint(self):
        summary = self.customer.with_user(self.outsider)
        self.assertEqual(summary.open_complaint_count, 0)
        self.assertFalse(summary.open_complaint_sla_status)
        self.assertFalse(summary.open_complaint_deadline)
        arch = self.env["res.partner"].with_user(self.outsider).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="crm_care_summary_complaints"', arch)
