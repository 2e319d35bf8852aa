from datetime import datetime

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestSlaDeadlines(ComplaintCase):
    def test_reference_follows_the_sequence(self):
        complaint = self._complaint()
        self.assertRegex(complaint.name, r"^CMP/2026/\d{5}$")
        self.assertEqual(complaint.sla_policy_id, self.policy)

    def test_deadlines_skip_the_weekend(self):
        # Friday 16:00: 2 working hours left on Friday, the rest from Monday 9:00
        complaint = self._complaint(datetime(2026, 6, 19, 16, 0))
        self.assertEqual(complaint.response_deadline, datetime(2026, 6, 22, 11, 0))  # 2 h Friday + 2 h Monday
        # 16 h: 2 Friday, 8 Monday, 6 Tuesday (9-13, 14-16)
        self.assertEqual(complaint.resolve_deadline, datetime(2026, 6, 23, 16, 0))

    def test_deadlines_skip_a_public_holiday(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Dragon Boat Festival",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 6, 22, 0, 0),
                "date_to": datetime(2026, 6, 22, 23, 59, 59),
                "time_type": "leave",
            }
        )
        complaint = self._complaint(datetime(2026, 6, 19, 16, 0))
        self.assertEqual(complaint.response_deadline, datetime(2026, 6, 23, 11, 0))  # Monday is off
        self.assertEqual(complaint.resolve_deadline, datetime(2026, 6, 24, 16, 0))

    def test_deadlines_follow_the_team_calendar(self):
        # A team without a calendar of its own works the company's: an early shift, Mon-Fri 7:00-11:00.
        self.company.resource_calendar_id = self.env["resource.calendar"].create(
            {
                "name": "Early shift",
                "tz": "UTC",
                "company_id": self.company.id,
                "attendance_ids": [
                    Command.create({"name": f"Day {day}", "dayofweek": str(day), "hour_from": 7, "hour_to": 11})
                    for day in range(5)
                ],
            }
        )
        self.other_team.resource_calendar_id = False
        other_policy = self.env["crm.complaint.sla"].create(
            {"name": "Store", "team_id": self.other_team.id, "response_hours": 4, "resolve_hours": 16}
        )
        complaint = self._complaint(team_id=self.other_team.id, user=self.outsider)  # Monday 9:00
        self.assertEqual(complaint.sla_policy_id, other_policy)
        # 2 h on Monday (9-11), 2 h on Tuesday (7-9); the team calendar would have said Monday 13:00
        self.assertEqual(complaint.response_deadline, datetime(2026, 6, 16, 9, 0))
        own = self._complaint()  # the first team's own calendar (9-13, 14-18)
        self.assertEqual(own.response_deadline, datetime(2026, 6, 15, 13, 0))

    def test_clock_pauses_while_waiting_and_resumes(self):
        complaint = self._complaint()  # Monday 9:00, resolve by Tuesday 18:00
        self.assertEqual(complaint.resolve_deadline, datetime(2026, 6, 16, 18, 0))
        self._respond(complaint, datetime(2026, 6, 15, 10, 0))
        self._move(complaint, "waiting", datetime(2026, 6, 15, 13, 0))  # 4 working hours used
        self.assertEqual(complaint.sla_paused_since, datetime(2026, 6, 15, 13, 0))

        # long past the deadline, but waiting: the cron does not breach it
        self._run_escalation(datetime(2026, 6, 17, 10, 0))
        self.assertEqual(complaint.sla_status, "on_track")
        self.assertEqual(complaint.escalation_level, 0)

        self._move(complaint, "in_progress", datetime(2026, 6, 17, 10, 0))
        # paused: Monday 14-18 (4 h), Tuesday (8 h), Wednesday 9-10 (1 h) = 13 working hours
        self.assertAlmostEqual(complaint.sla_paused_hours, 13.0)
        self.assertFalse(complaint.sla_paused_since)
        # 16 + 13 = 29 working hours from Monday 9:00: Mon 8, Tue 8, Wed 8, Thu 5 (9-13, 14-15)
        self.assertEqual(complaint.resolve_deadline, datetime(2026, 6, 18, 15, 0))
        self.assertEqual(complaint.sla_status, "on_track")

    def test_at_risk_when_less_than_a_fifth_is_left_then_breached(self):
        complaint = self._complaint()  # response due Monday 13:00 (4 h), at risk from 12:12
        self.assertEqual(complaint.response_risk_date, datetime(2026, 6, 15, 12, 12))
        self._run_escalation(datetime(2026, 6, 15, 12, 0))
        self.assertEqual(complaint.sla_status, "on_track")
        self._run_escalation(datetime(2026, 6, 15, 12, 15))
        self.assertEqual(complaint.sla_status, "at_risk")
        self._run_escalation(datetime(2026, 6, 15, 13, 1))
        self.assertEqual(complaint.sla_status, "breached")

    def test_first_response_is_the_first_staff_message_to_the_customer(self):
        complaint = self._complaint()
        self.assertFalse(complaint.first_response_date, "the automatic acknowledgement is no response")
        with self.mock_datetime_and_now(datetime(2026, 6, 15, 10, 0)):
            complaint.with_user(self.agent).message_post(body="Internal note", subtype_xmlid="mail.mt_note")
        self.assertFalse(complaint.first_response_date, "an internal note is no response")
        with self.mock_datetime_and_now(datetime(2026, 6, 15, 11, 30)):
            complaint.with_user(self.agent).message_post(
                body="We are on it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(complaint.first_response_date, datetime(2026, 6, 15, 11, 30))
        self.assertAlmostEqual(complaint.first_response_hours, 2.5)
        self.assertEqual(complaint.state, "acknowledged")
        # the response deadline is met; the resolution one still runs
        self._run_escalation(datetime(2026, 6, 15, 14, 0))
        self.assertEqual(complaint.sla_status, "on_track")

    def test_resolved_in_time_is_met_with_working_hours(self):
        complaint = self._complaint()
        self._respond(complaint, datetime(2026, 6, 15, 10, 0))
        self._move(
            complaint,
            "resolved",
            datetime(2026, 6, 16, 10, 0),
            resolution="<p>New parcel sent</p>",
            cause_id=self.cause.id,
        )
        self.assertEqual(complaint.sla_status, "met")
        self.assertAlmostEqual(complaint.resolution_hours, 9.0)  # Monday 8 h + Tuesday 1 h


@tagged("post_install", "-at_install")
class TestSlaPolicies(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vip = cls.env["crm.segment"].create({"name": "VIP", "domain": "[('id', '=', 0)]"})
        cls.env["crm.segment.member"].create({"segment_id": cls.vip.id, "partner_id": cls.customer.id})
        cls.damage = cls.env["crm.complaint.category"].create({"name": "Damaged", "parent_id": cls.category.id})
        Sla = cls.env["crm.complaint.sla"]
        cls.by_category = Sla.create(
            {
                "name": "Delivery",
                "category_ids": [Command.set(cls.category.ids)],
                "response_hours": 2,
                "resolve_hours": 8,
            }
        )
        cls.by_severity = Sla.create(
            {"name": "Critical", "severity": "critical", "response_hours": 1, "resolve_hours": 4}
        )
        cls.by_segment = Sla.create(
            {"name": "VIP", "segment_id": cls.vip.id, "response_hours": 0.5, "resolve_hours": 3}
        )
        cls.other_customer = cls.env["res.partner"].create({"name": "Nina Normal", "email": "nina@example.com"})

    def test_most_specific_policy_wins(self):
        # segment (8) beats category (4) beats severity (2) beats team (1)
        vip = self._complaint(severity="critical", category_id=self.damage.id)
        self.assertEqual(vip.sla_policy_id, self.by_segment)
        subcategory = self._complaint(
            partner_id=self.other_customer.id, severity="critical", category_id=self.damage.id
        )
        self.assertEqual(subcategory.sla_policy_id, self.by_category, "a parent category covers its subcategories")
        critical = self._complaint(partner_id=self.other_customer.id, severity="critical", category_id=False)
        self.assertEqual(critical.sla_policy_id, self.by_severity)
        plain = self._complaint(partner_id=self.other_customer.id, category_id=False)
        self.assertEqual(plain.sla_policy_id, self.policy, "the team's policy")
        elsewhere = self._complaint(
            partner_id=self.other_customer.id, category_id=False, team_id=self.other_team.id, user=self.outsider
        )
        self.assertFalse(elsewhere.sla_policy_id)
        self.assertFalse(elsewhere.resolve_deadline)

    def test_former_segment_members_lose_the_segment_policy(self):
        self.env["crm.segment.member"].search([("segment_id", "=", self.vip.id)]).date_left = "2026-06-01"
        complaint = self._complaint(category_id=False)
        self.assertEqual(complaint.sla_policy_id, self.policy)

    def test_equally_specific_policies_go_by_sequence(self):
        by_subcategory = self.env["crm.complaint.sla"].create(
            {
                "name": "Damaged",
                "category_ids": [Command.set(self.damage.ids)],
                "sequence": 20,
                "response_hours": 3,
                "resolve_hours": 9,
            }
        )
        self.by_category.sequence = 30
        complaint = self._complaint(partner_id=self.other_customer.id, category_id=self.damage.id)
        self.assertEqual(complaint.sla_policy_id, by_subcategory)
        self.by_category.sequence = 10
        complaint = self._complaint(partner_id=self.other_customer.id, category_id=self.damage.id)
        self.assertEqual(complaint.sla_policy_id, self.by_category)

    def test_changing_the_category_reapplies_the_policy(self):
        complaint = self._complaint(partner_id=self.other_customer.id, category_id=False)
        self.assertEqual(complaint.sla_policy_id, self.policy)
        with self.mock_datetime_and_now(datetime(2026, 6, 15, 10, 0)):
            complaint.category_id = self.damage
            self.env.flush_all()
        self.assertEqual(complaint.sla_policy_id, self.by_category)
        self.assertEqual(complaint.resolve_deadline, datetime(2026, 6, 15, 18, 0), "counted from creation")

    def test_bad_policies_are_refused(self):
        Sla = self.env["crm.complaint.sla"]
        with self.assertRaisesRegex(ValidationError, "more than zero hours"):
            Sla.create({"name": "Zero", "response_hours": 0, "resolve_hours": 8})
        with self.assertRaisesRegex(ValidationError, "more than zero hours"):
            Sla.create({"name": "Negative", "response_hours": 2, "resolve_hours": -1})
        with self.assertRaisesRegex(ValidationError, "same conditions"):
            Sla.create({"name": "VIP again", "segment_id": self.vip.id, "response_hours": 1, "resolve_hours": 2})
        with self.assertRaisesRegex(ValidationError, "same conditions"):
            Sla.create(
                {
                    "name": "Delivery again",
                    "category_ids": [Command.set(self.category.ids)],
                    "response_hours": 1,
                    "resolve_hours": 2,
                }
            )
        # same category but another severity: more specific, accepted
        Sla.create(
            {
                "name": "Critical delivery",
                "category_ids": [Command.set(self.category.ids)],
                "severity": "critical",
                "response_hours": 1,
                "resolve_hours": 2,
            }
        )

    def test_policy_matching_is_batched(self):
        partners = self.env["res.partner"].create([{"name": f"P{i}", "email": f"p{i}@example.com"} for i in range(20)])
        complaints = self._complaint(partner_id=self.other_customer.id, category_id=False)
        complaints |= (
            self.env["crm.complaint"]
            .with_context(crm_complaint_no_acknowledgement=True)
            .create([{"subject": "x", "partner_id": p.id, "team_id": self.team.id} for p in partners])
        )
        Sla = self.env["crm.complaint.sla"]

        def queries(records):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            policies = Sla._get_policies(records)
            return self.env.cr.sql_log_count - before, policies

        one, _policies = queries(complaints[:1])
        many, policies = queries(complaints)
        self.assertEqual(one, many, "a constant number of queries, whatever the number of complaints")
        self.assertEqual(set(policies.values()), {self.policy})
