"""SLA bookkeeping and workflow fields change only through the workflow, not through create/write by RPC."""

from datetime import datetime, timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.crm_complaints.models.crm_complaint import SLA_BOOKKEEPING_FIELDS
from odoo.addons.mail.tests.common import mail_new_test_user

from .common import MONDAY, ComplaintCase

FAR = datetime(2030, 1, 1, 0, 0)


@tagged("post_install", "-at_install")
class TestSlaBookkeepingGuard(ComplaintCase):
    def _forged_value(self, name):
        """A plausible value of field `name`, different from what the SLA engine would write."""
        field = self.env["crm.complaint"]._fields[name]
        return {
            "datetime": FAR,
            "float": 0.0,
            "integer": 0,
            "many2one": self.policy.id,
            "selection": {"state": "resolved", "sla_status": "met"}.get(name),
        }[field.type]

    def test_a_care_user_cannot_write_the_bookkeeping_by_rpc(self):
        complaint = self._complaint()  # resolve by Tuesday 18:00
        deadline = complaint.resolve_deadline
        as_agent = complaint.with_user(self.agent)
        for name in sorted(SLA_BOOKKEEPING_FIELDS):
            with self.subTest(field=name), self.assertRaisesRegex(AccessError, "cannot be set by hand"):
                as_agent.write({name: self._forged_value(name)})
        # the context key of our own bookkeeping opens nothing to an RPC client
        with self.assertRaisesRegex(AccessError, "cannot be set by hand"):
            as_agent.with_context(crm_complaint_bookkeeping=True).write({"resolve_deadline": FAR})
        self.assertEqual(complaint.resolve_deadline, deadline)
        self.assertEqual(complaint.stage_id.state, "new")

    def test_the_bookkeeping_context_does_not_skip_the_workflow(self):
        complaint = self._complaint()
        with self.mock_datetime_and_now(MONDAY + timedelta(hours=1)):
            complaint.with_user(self.agent).with_context(crm_complaint_bookkeeping=True).write(
                {"stage_id": self.stage["waiting"].id}
            )
        self.assertEqual(complaint.sla_paused_since, MONDAY + timedelta(hours=1), "the clock paused as usual")

    def test_a_care_user_cannot_create_with_the_bookkeeping(self):
        Complaint = self.env["crm.complaint"].with_user(self.agent)
        base = {"subject": "Forged", "partner_id": self.customer.id, "team_id": self.team.id}
        for name in sorted(SLA_BOOKKEEPING_FIELDS):
            with self.subTest(field=name), self.assertRaisesRegex(AccessError, "cannot be set by hand"):
                Complaint.create({**base, name: self._forged_value(name)})
        # nor through default_* context keys
        for name in ("resolve_deadline", "escalation_level", "state"):
            with self.subTest(default=name), self.assertRaisesRegex(AccessError, "cannot be set by hand"):
                Complaint.with_context(**{f"default_{name}": self._forged_value(name)}).create(base)
        # other defaults still work
        with self.mock_datetime_and_now(MONDAY):
            complaint = Complaint.with_context(default_severity="high").create(base)
        self.assertEqual(complaint.severity, "high")
        self.assertEqual(complaint.resolve_deadline, datetime(2026, 6, 16, 18, 0))

    def test_a_manager_cannot_rewrite_a_stage_through_a_complaint(self):
        complaint = self._complaint()
        with self.assertRaisesRegex(AccessError, "cannot be set by hand"):
            complaint.with_user(self.manager).write({"state": "resolved"})
        self.assertEqual(self.stage["new"].state, "new")
        self.assertEqual(complaint.state, "new")

    def test_the_form_still_saves(self):
        complaint = self._complaint()
        with self.mock_datetime_and_now(MONDAY + timedelta(hours=1)):
            with Form(complaint.with_user(self.agent)) as form:
                form.subject = "Parcel arrived crushed"
        self.assertEqual(complaint.subject, "Parcel arrived crushed")
        self.assertEqual(complaint.resolve_deadline, datetime(2026, 6, 16, 18, 0))

    def test_created_resolved_needs_a_resolution_and_a_cause(self):
        Complaint = self.env["crm.complaint"].with_user(self.agent)
        base = {
            "subject": "Solved on the phone",
            "partner_id": self.customer.id,
            "team_id": self.team.id,
            "stage_id": self.stage["resolved"].id,
        }
        with self.mock_datetime_and_now(MONDAY):
            with self.assertRaisesRegex(ValidationError, "describe the resolution"):
                Complaint.create(base)
            with self.assertRaisesRegex(ValidationError, "root cause"):
                Complaint.create({**base, "resolution": "<p>Refunded</p>"})
            complaint = Complaint.create({**base, "resolution": "<p>Refunded</p>", "cause_id": self.cause.id})
            self.env.flush_all()
        # resolved through the workflow: dated, clock stopped, met, resolution sent
        self.assertEqual(complaint.resolved_date, MONDAY)
        self.assertEqual(complaint.sla_status, "met")
        self.assertEqual(complaint.resolution_hours, 0.0)
        self.assertTrue(complaint.message_ids.filtered(lambda m: "is resolved" in (m.subject or "")))

    def test_a_portal_customer_cannot_move_the_stage(self):
        portal = mail_new_test_user(self.env, login="gina_portal", name="Gina", groups="base.group_portal")
        complaint = self._complaint(partner_id=portal.partner_id.id)
        for vals in ({"stage_id": self.stage["closed"].id}, {"resolve_deadline": FAR}, {"state": "closed"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                complaint.with_user(portal).write(vals)
        with self.assertRaises(AccessError):
            self.env["crm.complaint"].with_user(portal).create(
                {"subject": "Mine", "partner_id": portal.partner_id.id, "stage_id": self.stage["resolved"].id}
            )
        self.assertEqual(complaint.state, "new")
