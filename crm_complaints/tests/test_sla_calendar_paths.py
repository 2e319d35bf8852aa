"""The SLA clock is Odoo's calendar arithmetic, the same on every path a complaint comes in by.

Matrix: entry path (staff, portal over HTTP, email through the mail gateway, a scheduled action run as
OdooBot) x fixed and flexible working schedule x public holiday of the own and of a sister company x the
two daylight-saving changes of Europe/Paris. Plus the three failing inputs of issue 11 section 1.
"""

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from odoo import http
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import MONDAY, ComplaintCase

# Friday 16:00 in Paris before each daylight-saving change (last Sunday of March and of October 2026),
# the Monday after it, and Paris's offset to UTC on that Monday.
SEASONS = {
    "march": (datetime(2026, 3, 27, 15, 0), datetime(2026, 3, 30), 2),  # CET (+1) -> CEST (+2)
    "october": (datetime(2026, 10, 23, 14, 0), datetime(2026, 10, 26), 1),  # CEST (+2) -> CET (+1)
}
# Deadlines in Paris wall-clock time, as (days after the Monday, hour), for 4 h to respond and 16 h to
# resolve from Friday 16:00, with the holiday on that Monday counted or not:
# - fixed (9-13, 14-18): Friday 16-18 is 2 h; then Monday (or Tuesday) 9-11, and 8 h + 6 h more.
# - flexible (Odoo: 8 h a day centred on noon, 8-16, 40 h a week from Monday): nothing left on Friday
#   after 16:00; then 4 h from 8:00, and 16 h ending at 16:00 of the second working day.
EXPECTED = {
    ("fixed", False): ((0, 11), (1, 16)),
    ("fixed", True): ((1, 11), (2, 16)),
    ("flexible", False): ((0, 12), (1, 16)),
    ("flexible", True): ((1, 12), (2, 16)),
}
PATHS = ("staff", "portal", "email", "cron")


def _public_holiday(case, company, start, name="Public holiday"):
    """A public holiday (time off without a calendar) of `company`, 24 hours from `start` (naive UTC),
    created as Odoo does it: by an administrator working in that company (its company is the creator's)."""
    admin = case.env["res.users"].search([("login", "=", f"holiday_admin_{company.id}")]) or mail_new_test_user(
        case.env,
        login=f"holiday_admin_{company.id}",
        name=f"Holiday admin {company.name}",
        groups="base.group_user,base.group_system",
        company_id=company.id,
        company_ids=[Command.set(company.ids)],
    )
    leave = (
        case.env["resource.calendar.leaves"]
        .with_user(admin)
        .create(
            {
                "name": name,
                "date_from": start,
                "date_to": start + timedelta(hours=24, seconds=-1),
                "time_type": "leave",
            }
        )
    )
    leave.env.flush_all()
    case.assertEqual(leave.company_id, company)
    case.assertFalse(leave.calendar_id)
    return leave


@tagged("post_install", "-at_install")
class TestSlaEntryPaths(HttpCase, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sister = cls.company_2
        Calendar = cls.env["resource.calendar"]
        cls.calendars = {
            "fixed": Calendar.create(
                {
                    "name": "Paris office",
                    "tz": "Europe/Paris",
                    "company_id": cls.company.id,
                    "attendance_ids": [
                        Command.create(
                            {"name": f"{day} {period}", "dayofweek": str(day), "hour_from": start, "hour_to": end}
                        )
                        for day in range(5)
                        for start, end, period in ((9, 13, "morning"), (14, 18, "afternoon"))
                    ],
                }
            ),
            "flexible": Calendar.create(
                {
                    "name": "Paris flexible 40 h",
                    "tz": "Europe/Paris",
                    "company_id": cls.company.id,
                    "flexible_hours": True,
                    "hours_per_day": 8.0,
                    "hours_per_week": 40.0,
                    "full_time_required_hours": 40.0,
                    "attendance_ids": [Command.clear()],
                }
            ),
        }
        cls.paris_team = cls.env["crm.complaint.team"].create(
            {
                "name": "Paris",
                "sequence": 0,  # the company's first team: where portal complaints go
                "leader_id": cls.leader.id,
                "member_ids": [Command.set([cls.agent.id])],
                "alias_name": "paris-complaints",
            }
        )
        cls.env["crm.complaint.sla"].create(
            {"name": "Paris", "team_id": cls.paris_team.id, "response_hours": 4, "resolve_hours": 16}
        )
        cls.portal_user = mail_new_test_user(
            cls.env, login="paula_portal", name="Paula Portal", groups="base.group_portal", password="paula_portal"
        )
        cls.portal_user.partner_id.email = "paula@example.com"
        cls.partner = cls.portal_user.partner_id
        cls.cron = cls.env["ir.cron"].create(
            {
                "name": "Complaints from the shop's returns desk",
                "model_id": cls.env["ir.model"]._get_id("crm.complaint"),
                "state": "code",
                "code": "model.create({'subject': env.context['cron_subject'], 'partner_id': %d, 'team_id': %d})"
                % (cls.partner.id, cls.paris_team.id),
                "interval_number": 1,
                "interval_type": "days",
                "user_id": cls.env.ref("base.user_root").id,
            }
        )

    # ------------------------------------------------------------------
    # Entry paths
    # ------------------------------------------------------------------

    def _holiday(self, company, day, name="Public holiday"):
        """A public holiday (time off without a calendar) of `company`, on the whole Paris day `day`."""
        offset = SEASONS["march"][2] if day.month == 3 else SEASONS["october"][2]
        return _public_holiday(self, company, day - timedelta(hours=offset), name)

    def _create_by(self, path, subject, when):
        """Create a complaint of Paula for the Paris team at `when` by `path`; return it."""
        Complaint = self.env["crm.complaint"]
        other_company_context = {"allowed_company_ids": [self.sister.id, self.company.id]}
        with self.mock_datetime_and_now(when):
            if path == "staff":
                Complaint.with_user(self.agent).create(
                    {"subject": subject, "partner_id": self.partner.id, "team_id": self.paris_team.id}
                )
            elif path == "portal":
                self.authenticate("paula_portal", "paula_portal")
                response = self.url_open(
                    "/my/complaints/submit",
                    data={"csrf_token": http.Request.csrf_token(self), "subject": subject, "description": "Broken"},
                )
                response.raise_for_status()
            elif path == "email":
                # the mail gateway: superuser, here in the sister company's context (the fetchmail server's)
                msg = EmailMessage()
                msg["From"] = '"Paula Portal" <paula@example.com>'
                msg["To"] = f"paris-complaints@{self.alias_domain}"
                msg["Subject"] = subject
                msg["Message-ID"] = make_msgid(domain="example.com")
                msg.set_content("Broken")
                with self.mock_mail_gateway():
                    self.env["mail.thread"].with_context(**other_company_context).message_process(
                        False, msg.as_string()
                    )
            else:
                # a scheduled action as the scheduler runs it: OdooBot, in the sister company's context
                self.cron.ir_actions_server_id.with_user(self.env.ref("base.user_root")).with_context(
                    cron_subject=subject, **other_company_context
                ).run()
            self.env.flush_all()
        self.env.invalidate_all()
        complaint = Complaint.search([("subject", "=", subject)])
        self.assertEqual(len(complaint), 1, path)
        return complaint

    # ------------------------------------------------------------------
    # The matrix
    # ------------------------------------------------------------------

    def test_deadlines_are_the_same_on_every_path(self):
        for season, (created, monday, offset) in SEASONS.items():
            for kind, calendar in self.calendars.items():
                self.paris_team.resource_calendar_id = calendar
                for own_holiday in (False, True):
                    holiday = self._holiday(self.company if own_holiday else self.sister, monday)
                    (resp_day, resp_hour), (res_day, res_hour) = EXPECTED[kind, own_holiday]
                    response = monday + timedelta(days=resp_day, hours=resp_hour - offset)
                    resolve = monday + timedelta(days=res_day, hours=res_hour - offset)
                    for path in PATHS:
                        with self.subTest(season=season, calendar=kind, own_holiday=own_holiday, path=path):
                            complaint = self._create_by(path, f"{season} {kind} {own_holiday} {path}", created)
                            self.assertEqual(complaint.company_id, self.company)
                            self.assertEqual(complaint.team_id, self.paris_team)
                            self.assertEqual(complaint.create_date, created)
                            self.assertEqual(complaint.response_deadline, response)
                            self.assertEqual(complaint.resolve_deadline, resolve)
                            # neither breached nor escalated by the next cron runs
                            self._run_escalation(created + timedelta(minutes=15))
                            self.assertEqual(complaint.sla_status, "on_track")
                            self.assertEqual(complaint.escalation_level, 0)
                    holiday.unlink()

    def test_paused_hours_skip_only_the_own_holiday_whoever_resumes(self):
        """Waiting over the weekend and the Monday; resumed by staff or by the customer's email (gateway,
        sister company's context): the paused working hours are the same, the own holiday off."""
        created, monday, offset = SEASONS["march"]
        resumed = monday + timedelta(days=1, hours=10 - offset)  # Tuesday 10:00 in Paris
        for kind, calendar in self.calendars.items():
            self.paris_team.resource_calendar_id = calendar
            for own_holiday in (False, True):
                holiday = self._holiday(self.company if own_holiday else self.sister, monday)
                # fixed: Friday 16-18, Monday 8 h (if not off), Tuesday 9-10
                # flexible: nothing after 16:00 on Friday, Monday 8 h (if not off), Tuesday 8-10
                expected = {"fixed": 3.0, "flexible": 2.0}[kind] + (0.0 if own_holiday else 8.0)
                for resumer in ("staff", "email"):
                    with self.subTest(calendar=kind, own_holiday=own_holiday, resumed_by=resumer):
                        complaint = self._create_by("staff", f"pause {kind} {own_holiday} {resumer}", created)
                        self._move(complaint, "waiting", created)
                        if resumer == "staff":
                            self._move(complaint, "in_progress", resumed)
                        else:
                            self._customer_email_reply(complaint, resumed)
                        self.assertEqual(complaint.state, "in_progress")
                        self.assertAlmostEqual(complaint.sla_paused_hours, expected)
                holiday.unlink()

    def _customer_email_reply(self, complaint, when):
        ack = complaint.message_ids.filtered(lambda m: complaint.name in (m.subject or ""))[:1]
        msg = EmailMessage()
        msg["From"] = '"Paula Portal" <paula@example.com>'
        msg["To"] = f"paris-complaints@{self.alias_domain}"
        msg["Subject"] = f"Re: {ack.subject}"
        msg["Message-ID"] = make_msgid(domain="example.com")
        msg["In-Reply-To"] = ack.message_id
        msg["References"] = ack.message_id
        msg.set_content("Here is the photo you asked for.")
        with self.mock_datetime_and_now(when), self.mock_mail_gateway():
            self.env["mail.thread"].with_context(allowed_company_ids=[self.sister.id, self.company.id]).message_process(
                False, msg.as_string()
            )
            self.env.flush_all()
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestSlaIssueInputs(ComplaintCase):
    """The three failing inputs of issue 11 section 1, with the team calendar of common.py (UTC, Mon-Fri
    9-13 and 14-18, policy 4 h to respond and 16 h to resolve)."""

    def test_resolved_directly_from_waiting_uses_one_hour(self):
        complaint = self._complaint()  # Monday 9:00
        self._move(complaint, "waiting", MONDAY + timedelta(hours=1))
        self._move(
            complaint,
            "resolved",
            MONDAY + timedelta(days=2, hours=1),  # Wednesday 10:00, straight from Waiting
            resolution="<p>New parcel sent</p>",
            cause_id=self.cause.id,
        )
        self.assertAlmostEqual(complaint.resolution_hours, 1.0)
        self.assertEqual(complaint.sla_status, "met")
        # the same through a resume first (the path that was right)
        other = self._complaint()
        self._move(other, "waiting", MONDAY + timedelta(hours=1))
        self._move(other, "in_progress", MONDAY + timedelta(days=2, hours=1))
        self._move(
            other, "resolved", MONDAY + timedelta(days=2, hours=1), resolution="<p>ok</p>", cause_id=self.cause.id
        )
        self.assertAlmostEqual(other.resolution_hours, 1.0)
        self.assertEqual(other.sla_status, "met")

    def test_first_response_while_waiting_counts_no_waiting_time(self):
        complaint = self._complaint()  # Monday 9:00, respond within 4 working hours
        self._move(complaint, "waiting", MONDAY + timedelta(hours=1))
        self._respond(complaint, MONDAY + timedelta(days=2))  # Wednesday 9:00, still waiting
        self.assertAlmostEqual(complaint.first_response_hours, 1.0)
        self._move(complaint, "in_progress", MONDAY + timedelta(days=2, hours=1))
        self.assertEqual(complaint.sla_status, "on_track")

    def test_flexible_schedule_deadline_is_after_creation(self):
        self.calendar.write({"flexible_hours": True, "hours_per_day": 8.0, "full_time_required_hours": 40.0})
        created = MONDAY + timedelta(hours=6)  # Monday 15:00
        complaint = self._complaint(created)
        # Odoo's flexible day is 8:00-16:00 (8 h centred on noon): 1 h on Monday, 3 h on Tuesday
        self.assertEqual(complaint.response_deadline, datetime(2026, 6, 16, 11, 0))
        self.assertGreater(complaint.response_deadline, created)
        self._run_escalation(created + timedelta(minutes=15))
        self.assertEqual(complaint.sla_status, "on_track")
        self.assertEqual(complaint.escalation_level, 0)
        self.assertFalse(
            complaint.activity_ids.filtered(
                lambda a: a.activity_type_id == self.env.ref("crm_complaints.mail_activity_type_complaint_escalation")
            )
        )

    def test_sister_company_holiday_does_not_move_the_deadline(self):
        _public_holiday(self, self.company_2, datetime(2026, 6, 16, 0, 0), "Sister's holiday")
        staff = self._complaint()
        self.assertEqual(staff.resolve_deadline, datetime(2026, 6, 16, 18, 0))
        # a user working in both companies reads both companies' holidays: still only the complaint's count
        self.agent.company_ids |= self.company_2
        with self.mock_datetime_and_now(MONDAY):
            both = (
                self.env["crm.complaint"]
                .with_user(self.agent)
                .with_context(allowed_company_ids=[self.company.id, self.company_2.id])
                .create({"subject": "Both", "partner_id": self.customer.id, "team_id": self.team.id})
            )
        self.assertEqual(both.resolve_deadline, datetime(2026, 6, 16, 18, 0))
        # as the portal controller and the mail gateway create it: superuser, another company's context
        gateway = self._complaint(user=self.env.ref("base.user_root"))
        self.assertEqual(gateway.resolve_deadline, datetime(2026, 6, 16, 18, 0))
        sudo_other_company = (
            self.env["crm.complaint"].sudo().with_context(allowed_company_ids=[self.company_2.id, self.company.id])
        )
        with self.mock_datetime_and_now(MONDAY):
            portal = sudo_other_company.create(
                {"subject": "Portal", "partner_id": self.customer.id, "team_id": self.team.id}
            )
        self.assertEqual(portal.resolve_deadline, datetime(2026, 6, 16, 18, 0))
