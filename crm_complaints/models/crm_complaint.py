import logging
from datetime import datetime, time, timedelta

from markupsafe import Markup
from pytz import timezone, utc

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, float_compare, format_list, split_every
from odoo.tools.intervals import Intervals
from odoo.tools.mail import is_html_empty

from odoo.addons.crm_lifecycle.tools import business_time
from odoo.addons.crm_lifecycle.tools.customer_lang import customer_env

from ..tools.complaint_attachment import get_max_size_mb, sort_attachments
from .crm_complaint_stage import DONE_STATES, OPEN_STATES, RUNNING_STATES

_logger = logging.getLogger(__name__)

SEVERITIES = [("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")]
CHANNELS = [
    ("email", "Email"),
    ("portal", "Portal"),
    ("phone", "Phone"),
    ("store", "In Store"),
    ("social", "Social Media"),
    ("other", "Other"),
]
SLA_STATUSES = [("on_track", "On Track"), ("at_risk", "At Risk"), ("breached", "Breached"), ("met", "Met")]
PRIORITIES = [("0", "Normal"), ("1", "High"), ("2", "Urgent"), ("3", "Very Urgent")]

# Kept by the SLA clock and the workflow, never set by hand: create/write refuse them unless the code runs
# as superuser (our own bookkeeping, always through sudo). `readonly` in the views is only a view attribute.
SLA_BOOKKEEPING_FIELDS = frozenset(
    {
        "sla_policy_id",
        "sla_start_date",
        "response_deadline",
        "resolve_deadline",
        "response_risk_date",
        "resolve_risk_date",
        "response_escalation_date",
        "resolve_escalation_date",
        "sla_paused_since",
        "sla_paused_hours",
        "first_response_date",
        "first_response_hours",
        "resolved_date",
        "closed_date",
        "resolution_hours",
        "sla_status",
        "escalation_level",
        "reopen_count",
        "state",  # follows the stage: writing it would rewrite the stage's own state
    }
)
# Leaving one of these states for an open one starts a new handling round (see `_start_new_round`).
CLOSED_STATES = (*DONE_STATES, "cancelled")
AT_RISK_SHARE = 0.2  # at risk when less than this share of the allowed working time is left
REOPEN_DAYS = 7  # a customer's reply within this many days of the resolution reopens the complaint
LOW_RATING = 2  # a rating at or below this (the unhappy smiley is 1 of 5) reopens the complaint
ESCALATION_CHUNK = 1000
# Headers by which mail robots (out-of-office, autoresponders, mailing lists, bounces) say so:
# RFC 3834 Auto-Submitted (anything but "no"), the de facto X-Autoreply / X-Autorespond, Precedence
# bulk/list/junk/auto_reply, and the null sender Return-Path <> of bounces and auto-replies; Microsoft
# Exchange's X-Auto-Response-Suppress (its out-of-office replies and robots set it, mail clients do not); the
# mailing-list headers of RFC 2919 / RFC 2369 (List-Id, List-Unsubscribe), which lists and newsletters send
# without any Precedence.
AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoreply-From", "X-Mail-Autoreply")
SUPPRESS_HEADER = "X-Auto-Response-Suppress"
LIST_HEADERS = ("List-Id", "List-Unsubscribe")
AUTOMATED_PRECEDENCES = ("bulk", "list", "junk", "auto_reply")


class CrmComplaint(models.Model):
    _name = "crm.complaint"
    _description = "Customer Complaint"
    _inherit = ["portal.mixin", "mail.activity.mixin", "rating.mixin", "mail.thread"]
    _order = "priority desc, id desc"
    _primary_email = "email_from"
    _mail_post_access = "read"
    _check_company_auto = True

    # ------------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------------

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", index="btree_not_null"
    )
    subject = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one("res.partner", string="Customer", index=True, tracking=True)
    commercial_partner_id = fields.Many2one(
        "res.partner",
        compute="_compute_commercial_partner_id",
        store=True,
        index=True,
        string="Customer Company",
        help="The customer's company when the complaint was made (or its customer changed): kept when the contact "
        "later moves to another company, so that company's portal users do not see it.",
    )
    email_from = fields.Char(
        string="Email", compute="_compute_contact", store=True, readonly=False, help="Where replies go."
    )
    phone = fields.Char(compute="_compute_contact", store=True, readonly=False)
    channel = fields.Selection(CHANNELS, required=True, default="phone", tracking=True)
    category_id = fields.Many2one("crm.complaint.category", index=True, tracking=True, check_company=True)
    severity = fields.Selection(SEVERITIES, required=True, default="medium", tracking=True, groups="base.group_user")
    priority = fields.Selection(PRIORITIES, default="0", index=True, help="Raised by each escalation.")
    stage_id = fields.Many2one(
        "crm.complaint.stage",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage(),
    )
    state = fields.Selection(related="stage_id.state", store=True, index=True, string="Status")
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
        default=lambda self: self.env.user if not self.env.user.share else False,
        check_company=True,
    )
    team_id = fields.Many2one(
        "crm.complaint.team",
        index=True,
        tracking=True,
        default=lambda self: self._default_team(),
        check_company=True,
        groups="base.group_user",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', commercial_partner_id)]",
    )
    product_id = fields.Many2one("product.product", check_company=True)
    description = fields.Html()
    care_touch_id = fields.Many2one(
        "crm.care.touch",
        ondelete="set null",
        readonly=True,
        check_company=True,
        help="The follow-up (campaign touch) whose outcome this complaint is.",
        groups="base.group_user",
    )
    cause_id = fields.Many2one(
        "crm.complaint.cause", string="Root Cause", index=True, tracking=True, groups="base.group_user"
    )
    resolution = fields.Html()

    # SLA
    sla_policy_id = fields.Many2one(
        "crm.complaint.sla",
        string="SLA Policy",
        readonly=True,
        copy=False,
        check_company=True,
        groups="base.group_user",
    )
    sla_start_date = fields.Datetime(
        string="Handling Round Since",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Start of the current handling round, from which the SLA clock counts: empty for the first round "
        "(the complaint's creation), the moment of the latest reopening after that.",
    )
    response_deadline = fields.Datetime(readonly=True, copy=False, groups="base.group_user")
    resolve_deadline = fields.Datetime(string="Resolution Deadline", readonly=True, copy=False)
    response_risk_date = fields.Datetime(
        readonly=True, copy=False, help="When less than 20% of the time is left.", groups="base.group_user"
    )
    resolve_risk_date = fields.Datetime(readonly=True, copy=False, groups="base.group_user")
    response_escalation_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="Breached by the allowed time again: second escalation level.",
        groups="base.group_user",
    )
    resolve_escalation_date = fields.Datetime(readonly=True, copy=False, groups="base.group_user")
    sla_paused_since = fields.Datetime(readonly=True, copy=False, groups="base.group_user")
    sla_paused_hours = fields.Float(
        string="Paused Working Hours",
        readonly=True,
        copy=False,
        help="Working hours spent waiting or resolved.",
        groups="base.group_user",
    )
    first_response_date = fields.Datetime(readonly=True, copy=False, groups="base.group_user")
    resolved_date = fields.Datetime(readonly=True, copy=False)
    closed_date = fields.Datetime(readonly=True, copy=False)
    first_response_hours = fields.Float(
        string="First Response (Working Hours)",
        readonly=True,
        copy=False,
        aggregator="avg",
        groups="base.group_user",
    )
    resolution_hours = fields.Float(
        string="Resolution (Working Hours)", readonly=True, copy=False, aggregator="avg", groups="base.group_user"
    )
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA Status",
        compute="_compute_sla_status",
        store=True,
        index=True,
        copy=False,
        groups="base.group_user",
    )
    sla_countdown = fields.Char(string="Deadline", compute="_compute_sla_countdown", groups="base.group_user")
    escalation_level = fields.Integer(readonly=True, copy=False, default=0, groups="base.group_user")

    compensation_ids = fields.One2many(
        "crm.complaint.compensation", "complaint_id", string="Compensations", groups="base.group_user"
    )
    compensation_count = fields.Integer(compute="_compute_compensation_count", groups="base.group_user")
    followup_date = fields.Date(string="Follow-up Visit", copy=False, groups="base.group_user")
    followup_result = fields.Text(string="Follow-up Result", copy=False, groups="base.group_user")
    reopen_count = fields.Integer(readonly=True, copy=False, default=0, groups="base.group_user")

    _stage_priority_idx = models.Index("(stage_id, priority DESC, id DESC)")
    # the escalation cron looks only at running complaints whose moment has come
    _resolve_risk_idx = models.Index("(resolve_risk_date) WHERE state IN ('new', 'acknowledged', 'in_progress')")
    _response_risk_idx = models.Index(
        "(response_risk_date) WHERE state IN ('new', 'acknowledged', 'in_progress') AND first_response_date IS NULL"
    )
    _resolve_deadline_idx = models.Index(
        "(resolve_deadline) WHERE state IN ('new', 'acknowledged', 'in_progress') AND escalation_level = 0"
    )
    _response_deadline_idx = models.Index(
        "(response_deadline) WHERE state IN ('new', 'acknowledged', 'in_progress') AND escalation_level = 0"
        " AND first_response_date IS NULL"
    )

    # ------------------------------------------------------------------
    # Defaults and computes
    # ------------------------------------------------------------------

    def _default_stage(self):
        return self._get_stage("new") or self.env["crm.complaint.stage"].search([], limit=1)

    def _default_team(self):
        """The user's own team, else the company's first team (portal and mailed-in complaints)."""
        Team = self.env["crm.complaint.team"].sudo()
        company = self.env.company
        user = self.env.user
        team = Team.browse()
        if not user.share:
            team = Team.search(
                [("company_id", "=", company.id), "|", ("member_ids", "in", user.ids), ("leader_id", "=", user.id)],
                limit=1,
            )
        return team or Team.search([("company_id", "=", company.id)], limit=1)

    @api.model
    def _action_log_complaint(self, **defaults):
        """The form to log a complaint taken by phone, prefilled with `defaults` (field: value): what the
        "Log a Complaint" buttons of customers, orders and care touches open."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Complaint"),
            "res_model": "crm.complaint",
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {"default_channel": "phone", **{f"default_{key}": value for key, value in defaults.items()}},
        }

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        return stages.search([("state", "!=", False)])  # every stage, folded ones included

    @api.depends("partner_id")
    def _compute_contact(self):
        for complaint in self:
            if complaint.partner_id.email and not complaint.email_from:
                complaint.email_from = complaint.partner_id.email
            if complaint.partner_id.phone and not complaint.phone:
                complaint.phone = complaint.partner_id.phone

    @api.depends("partner_id")  # not partner_id.commercial_partner_id: a contact moving on leaves it here
    def _compute_commercial_partner_id(self):
        for complaint in self:
            complaint.commercial_partner_id = complaint.partner_id.commercial_partner_id

    @api.depends("name", "subject")
    def _compute_display_name(self):
        for complaint in self:
            complaint.display_name = f"{complaint.name} {complaint.subject}" if complaint.subject else complaint.name

    def _compute_access_url(self):
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"

    def _compute_compensation_count(self):
        counts = dict(
            self.env["crm.complaint.compensation"]._read_group(
                [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]
            )
        )
        for complaint in self:
            complaint.compensation_count = counts.get(complaint, 0)

    @api.depends(
        "state",
        "response_deadline",
        "resolve_deadline",
        "response_risk_date",
        "resolve_risk_date",
        "first_response_date",
        "first_response_hours",
        "resolved_date",
        "resolution_hours",
        "sla_paused_since",
        "sla_policy_id",
    )
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for complaint in self:
            complaint.sla_status = complaint._get_sla_status(now)

    def _get_sla_status(self, now):
        """on_track, at_risk, breached or met at `now` (naive UTC).

        A response or a resolution that happened is judged by the working hours the clock ran until then
        (`first_response_hours`, `resolution_hours`) against the policy's hours, so that time spent waiting
        never counts, even when the complaint is resolved straight from Waiting. What is still due is
        judged by its deadline against the clock, which stands still while paused.
        """
        self.ensure_one()
        if not self.resolve_deadline:
            return False
        policy = self.sla_policy_id
        clock = self.sla_paused_since or now
        response_due = self.response_deadline and not self.first_response_date
        if (
            self.first_response_date
            and policy
            and float_compare(self.first_response_hours, policy.response_hours, precision_digits=4) > 0
        ):
            return "breached"
        if response_due and clock > self.response_deadline:
            return "breached"
        if self.state in DONE_STATES and self.resolved_date:
            if policy and float_compare(self.resolution_hours, policy.resolve_hours, precision_digits=4) > 0:
                return "breached"
            return "met"
        if clock > self.resolve_deadline:
            return "breached"
        if self.state in DONE_STATES:
            return "met"
        if (response_due and self.response_risk_date and clock >= self.response_risk_date) or (
            self.resolve_risk_date and clock >= self.resolve_risk_date
        ):
            return "at_risk"
        return "on_track"

    def _get_next_deadline(self):
        self.ensure_one()
        if self.response_deadline and not self.first_response_date:
            return self.response_deadline
        return self.resolve_deadline

    def _compute_sla_countdown(self):
        now = fields.Datetime.now()
        for complaint in self:
            deadline = complaint._get_next_deadline()
            if not deadline or complaint.state not in OPEN_STATES:
                complaint.sla_countdown = False
            elif complaint.state == "waiting":
                complaint.sla_countdown = self.env._("Paused")
            else:
                minutes = int((deadline - now).total_seconds() // 60)
                hours, mins = divmod(abs(minutes), 60)
                if minutes >= 0:
                    complaint.sla_countdown = self.env._("%(hours)sh %(minutes)02dm left", hours=hours, minutes=mins)
                else:
                    complaint.sla_countdown = self.env._("late by %(hours)sh %(minutes)02dm", hours=hours, minutes=mins)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("stage_id", "resolution", "cause_id")
    def _check_resolution(self):
        for complaint in self:
            if complaint.state in DONE_STATES and (is_html_empty(complaint.resolution) or not complaint.cause_id):
                raise ValidationError(
                    self.env._(
                        "To resolve complaint %(complaint)s, describe the resolution given to the customer and "
                        "choose its root cause.",
                        complaint=complaint.name,
                    )
                )

    @api.constrains("sale_order_id", "partner_id")
    def _check_sale_order_partner(self):
        for complaint in self:
            order = complaint.sale_order_id
            if (
                order
                and complaint.partner_id
                and (order.partner_id.commercial_partner_id != complaint.partner_id.commercial_partner_id)
            ):
                raise ValidationError(
                    self.env._(
                        "Sales order %(order)s does not belong to customer %(customer)s.",
                        order=order.name,
                        customer=complaint.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def _check_bookkeeping_vals(self, vals):
        """Refuse SLA bookkeeping and workflow fields (SLA_BOOKKEEPING_FIELDS) in `vals` unless the code
        runs as superuser: they change only through the stage, messages and the SLA engine.

        :raises AccessError: naming the refused fields
        """
        forbidden = SLA_BOOKKEEPING_FIELDS & vals.keys()
        if forbidden and not self.env.su:
            raise AccessError(
                self.env._(
                    "These fields are kept by the SLA clock and the complaint's stage and cannot be set by hand: "
                    "%(fields)s.",
                    fields=format_list(self.env, sorted(self._fields[name].string for name in forbidden)),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # nor through default_* context keys (an RPC client sets the context)
            defaults = {key[len("default_") :] for key in self.env.context if key.startswith("default_")}
            self._check_bookkeeping_vals(dict.fromkeys(defaults))
            for vals in vals_list:
                self._check_bookkeeping_vals(vals)
        for vals in vals_list:
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            team = self.env["crm.complaint.team"].sudo().browse(vals.get("team_id"))
            if team and not team.active:
                # a retired team takes no new complaint (its email alias, a stale default): its company's team
                vals["team_id"] = self.with_company(team.company_id).sudo()._default_team().id
            if vals.get("team_id") and not vals.get("company_id"):
                vals["company_id"] = self.env["crm.complaint.team"].browse(vals["team_id"]).company_id.id
                company = self.env["res.company"].browse(vals["company_id"]) or company
            elif vals.get("company_id") and "team_id" not in vals:  # a team of the complaint's company
                vals["team_id"] = self.with_company(company).sudo()._default_team().id
            # The reference always comes from the sequence (the mail gateway would put the subject there), of
            # the complaint's company, its year that of the company's business day (Odoo would take the year
            # in the time zone of whoever creates it: a complaint of 31 December late evening would get next
            # year's reference from a Shanghai user and this year's from the mail gateway).
            vals["name"] = (
                self.env["ir.sequence"]
                .with_company(company)
                .with_context(ir_sequence_date=fields.Date.to_string(company._get_lifecycle_today()[0]))
                .next_by_code("crm.complaint")
                or "/"
            )
        complaints = super().create(vals_list)
        complaints._apply_sla()
        complaints._handle_state_transitions(dict.fromkeys(complaints.ids, "new"))
        if not self.env.context.get("crm_complaint_no_acknowledgement") and not self.env.context.get(
            "crm_complaint_no_mail"
        ):
            complaints._send_acknowledgement()
        return complaints

    def write(self, vals):
        if self.env.context.get("crm_complaint_bookkeeping") and self.env.su:
            return super().write(vals)
        self._check_bookkeeping_vals(vals)
        old_states = {complaint.id: complaint.state for complaint in self} if "stage_id" in vals else None
        result = super().write(vals)
        if old_states is not None:
            self._handle_state_transitions(old_states)
        if {"team_id", "category_id", "severity", "partner_id", "company_id"} & vals.keys():
            self.filtered(lambda c: c.state in OPEN_STATES)._apply_sla()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_committed_compensations(self):
        """A complaint with compensations waiting for approval, approved or done cannot be deleted (the
        database would delete them with it, past their own guard): archive it instead."""
        # sudo: whoever deletes the complaint, every compensation of it counts
        if self.sudo().compensation_ids.filtered(lambda c: c.state in ("to_approve", "approved", "done")):
            raise UserError(
                self.env._(
                    "A complaint with compensations waiting for approval, approved or done cannot be deleted: "
                    "archive it instead."
                )
            )

    def _write_bookkeeping(self, vals):
        """Write SLA and lifecycle bookkeeping fields without the SLA and stage hooks of write() (call it
        on a sudo recordset: only the superuser may write them, see `_check_bookkeeping_vals`)."""
        return self.with_context(crm_complaint_bookkeeping=True).write(vals)

    # ------------------------------------------------------------------
    # SLA engine
    # ------------------------------------------------------------------

    def _get_sla_calendar(self):
        """The working hours of the complaint's SLA clock: its team's, else its company's (may be empty)."""
        self.ensure_one()
        # sudo: working hours and public holidays are configuration, read the same whoever runs the code
        # (a portal customer, the mail gateway's OdooBot, a cron, a user of several companies)
        return (self.team_id.resource_calendar_id or self.company_id.resource_calendar_id).sudo()

    def _get_sla_leave_domain(self):
        """Time off that stops the clock: of the calendar itself or public holidays (time off without a
        calendar), of the complaint's company only. Passed to Odoo's calendar methods, which otherwise
        take every leave the running user can read (a sister company's holiday as superuser)."""
        self.ensure_one()
        return [("time_type", "=", "leave"), ("company_id", "in", [False, self.company_id.id])]

    @api.model
    def _sla_week_start(self, calendar, moment):
        """Monday 00:00, in the calendar's timezone, of the week of `moment` (aware): where Odoo's flexible
        schedule starts counting a week's hours."""
        tz = timezone(calendar.tz or "UTC")
        day = moment.astimezone(tz).date()
        return tz.localize(datetime.combine(day - timedelta(days=day.weekday()), time.min))

    @api.model
    def _sla_flexible_intervals(self, calendar, start, end, domain):
        """Work intervals of a flexible `calendar` between two aware datetimes.

        Odoo's `_work_intervals_batch` gives a flexible schedule `hours_per_day` hours a day centred on
        noon until the week's `full_time_required_hours` are used, weeks counted from the first day asked
        for, and whole days (not cut at `start`). We ask from the Monday of `start`'s week, so every week
        runs Monday to Sunday whatever the question, and keep the part between `start` and `end`.
        """
        intervals = calendar._work_intervals_batch(self._sla_week_start(calendar, start), end, domain=domain)[False]
        return intervals & Intervals([(start, end, self.env["resource.calendar.attendance"])])

    @api.model
    def _sla_has_working_time(self, calendar):
        """Whether `calendar` has working time at all (attendances, or hours a day when flexible)."""
        return bool(calendar) and (
            calendar.attendance_ids if not calendar.flexible_hours else calendar.hours_per_day > 0
        )

    def _sla_plan(self, start, hours_list):
        """{hours: the moment `hours` working hours after `start`} on the complaint's calendar (naive UTC
        in and out, to the second).

        Odoo's `resource.calendar.plan_hours` with the complaint's company leaves; a flexible calendar
        is planned from the Monday of `start`'s week, with the hours it has before `start` added, so that
        its weeks run Monday to Sunday (see `_sla_flexible_intervals`). Without a calendar, or with one
        without working time, the clock runs around the clock.
        """
        self.ensure_one()
        calendar = self._get_sla_calendar()
        domain = self._get_sla_leave_domain()
        working = self._sla_has_working_time(calendar)
        if working and calendar.flexible_hours:
            aware = utc.localize(start)
            anchor = self._sla_week_start(calendar, aware)
            before = sum(
                (stop - begin).total_seconds() / 3600
                for begin, stop, _meta in self._sla_flexible_intervals(calendar, anchor, aware, domain)
            )
        result = {}
        for hours in set(hours_list):
            moment = False
            if working and calendar.flexible_hours:
                moment = calendar.plan_hours(hours + before, anchor, compute_leaves=True, domain=domain)
                moment = moment and moment.astimezone(utc).replace(tzinfo=None)
            elif working:
                moment = calendar.plan_hours(hours, start, compute_leaves=True, domain=domain)
            if not moment:
                moment = start + timedelta(hours=hours)
            result[hours] = (moment + timedelta(microseconds=500000)).replace(microsecond=0)
        return result

    def _get_working_hours(self, start, end):
        """Working hours of the complaint's calendar between two naive UTC datetimes (Odoo's
        `get_work_hours_count` with the complaint's company leaves; around the clock without a calendar)."""
        self.ensure_one()
        if not start or not end or end <= start:
            return 0.0
        calendar = self._get_sla_calendar()
        if not self._sla_has_working_time(calendar):
            return (end - start).total_seconds() / 3600
        domain = self._get_sla_leave_domain()
        if calendar.flexible_hours:
            intervals = self._sla_flexible_intervals(calendar, utc.localize(start), utc.localize(end), domain)
            return sum((stop - begin).total_seconds() / 3600 for begin, stop, _meta in intervals)
        return calendar.get_work_hours_count(utc.localize(start), utc.localize(end), domain=domain)

    def _get_sla_start(self):
        """Where the SLA clock of the current handling round starts (naive UTC): the latest reopening
        (`sla_start_date`), else the creation."""
        self.ensure_one()
        return self.sla_start_date or self.create_date or fields.Datetime.now()

    def _get_sla_hours_used(self, moment):
        """Working hours the SLA clock ran in the current handling round up to `moment` (naive UTC): the
        working hours since the round's start (`_get_sla_start`) minus the paused ones; while paused
        (waiting, resolved) the clock stands still since `sla_paused_since`."""
        self.ensure_one()
        end = min(moment, self.sla_paused_since) if self.sla_paused_since else moment
        return max(self._get_working_hours(self._get_sla_start(), end) - self.sla_paused_hours, 0.0)

    def _prepare_sla_dates(self, policy):
        """Deadlines, at-risk and escalation moments of `policy`, counted from the start of the handling round
        (creation, or the latest reopening) plus paused time."""
        self.ensure_one()
        if not policy:
            return dict.fromkeys(
                [
                    "response_deadline",
                    "resolve_deadline",
                    "response_risk_date",
                    "resolve_risk_date",
                    "response_escalation_date",
                    "resolve_escalation_date",
                ],
                False,
            )
        paused = self.sla_paused_hours
        targets = {
            "resolve_deadline": policy.resolve_hours + paused,
            "resolve_risk_date": (1 - AT_RISK_SHARE) * policy.resolve_hours + paused,
            "resolve_escalation_date": 2 * policy.resolve_hours + paused,
        }
        if not self.first_response_date:
            targets |= {
                "response_deadline": policy.response_hours + paused,
                "response_risk_date": (1 - AT_RISK_SHARE) * policy.response_hours + paused,
                "response_escalation_date": 2 * policy.response_hours + paused,
            }
        moments = self._sla_plan(self._get_sla_start(), targets.values())
        return {field: moments[hours] for field, hours in targets.items()}

    def _apply_sla(self):
        """Choose each complaint's SLA policy and compute its deadlines."""
        # sudo: policies and segment memberships are configuration; complaints created from the portal or
        # the mail gateway get their deadlines whoever creates them.
        policies = self.env["crm.complaint.sla"].sudo()._get_policies(self)
        for complaint in self:
            policy = policies[complaint]
            vals = {"sla_policy_id": policy.id, **complaint._prepare_sla_dates(policy)}
            complaint.sudo()._write_bookkeeping(vals)

    def _sla_replan(self):
        """Plan the deadlines of these complaints again on their working hours as they are now, with the policy
        they were promised (after their team's working hours, the calendar or its time off changed)."""
        for complaint in self.filtered("sla_policy_id"):
            complaint.sudo()._write_bookkeeping(complaint._prepare_sla_dates(complaint.sla_policy_id))

    @api.model
    def _get_open_on_calendars(self, calendars, companies=None):
        """Open complaints (sudo) whose SLA clock runs on `calendars` (see `_get_sla_calendar`), or, with
        `companies`, of those companies (a public holiday of theirs), or of every company when `companies` is an
        empty recordset of res.company (a public holiday of no company)."""
        domain = Domain("state", "in", OPEN_STATES)
        if companies is not None:
            return self.sudo().search(domain & Domain("company_id", "in", companies.ids) if companies else domain)
        own = Domain("team_id.resource_calendar_id", "in", calendars.ids)
        inherited = Domain("team_id.resource_calendar_id", "=", False) & Domain(
            "company_id.resource_calendar_id", "in", calendars.ids
        )
        return self.sudo().search(domain & (own | inherited))

    def _handle_state_transitions(self, old_states):
        """Pause, resume, resolve and reopen as the stage's state changes (old_states: {id: state})."""
        now = fields.Datetime.now()
        for complaint in self:
            old, new = old_states.get(complaint.id), complaint.state
            if old == new:
                continue
            if old in CLOSED_STATES and new in OPEN_STATES:
                complaint._start_new_round(old, now)
                continue
            vals = {}
            resumed = False
            if old in RUNNING_STATES and new not in RUNNING_STATES:
                vals["sla_paused_since"] = now
            elif old not in RUNNING_STATES and new in RUNNING_STATES and complaint.sla_paused_since:
                vals["sla_paused_hours"] = complaint.sla_paused_hours + complaint._get_working_hours(
                    complaint.sla_paused_since, now
                )
                vals["sla_paused_since"] = False
                resumed = True
            resolving = new in DONE_STATES and old not in DONE_STATES
            if resolving:
                vals["resolved_date"] = now
                vals["resolution_hours"] = complaint._get_sla_hours_used(now)
            if new == "closed":
                vals["closed_date"] = now
            # sudo: the SLA bookkeeping fields are read-only for everyone; access to the stage change was checked
            complaint.sudo()._write_bookkeeping(vals)
            if resumed and complaint.sla_policy_id:
                dates = complaint._prepare_sla_dates(complaint.sla_policy_id)
                complaint.sudo()._write_bookkeeping(dates)
            if resolving and new == "resolved":
                complaint._on_resolved()

    def _start_new_round(self, old_state, now):
        """A resolved, closed or cancelled complaint back in an open stage starts a new handling round: the SLA
        clock counts again from `now` (naive UTC) with the best active policy, for a first response (to the
        reopened complaint) and a resolution; the escalation level, first response, resolution, at-risk and
        breach markers start afresh, the follow-up visit is cancelled. A resolved or closed complaint counts
        one more reopening (`reopen_count`). The round that ends is summed up in the chatter first, so its
        escalations and figures stay visible (the escalations' activities and notes stay too)."""
        self.ensure_one()
        self._message_log(body=self._get_round_summary(old_state))
        vals = {
            "sla_start_date": now,
            "sla_paused_hours": 0.0,
            # a complaint reopened straight into Waiting starts its round paused
            "sla_paused_since": False if self.state in RUNNING_STATES else now,
            "first_response_date": False,
            "first_response_hours": 0.0,
            "resolved_date": False,
            "resolution_hours": 0.0,
            "closed_date": False,
            "escalation_level": 0,
            "followup_date": False,
        }
        if old_state in DONE_STATES:
            vals["reopen_count"] = self.reopen_count + 1
        self._cancel_followup()
        self._close_round_escalations()
        # sudo: the SLA bookkeeping fields are read-only for everyone; access to the stage change was checked
        self.sudo()._write_bookkeeping(vals)
        self._apply_sla()

    def _close_round_escalations(self):
        """Mark done the escalation activities still open from the round that ended: they stay in the chatter
        (done, with a note why), and the leader's to-do list only shows the new round's escalations."""
        escalation_type = self.env.ref(
            "crm_complaints.mail_activity_type_complaint_escalation", raise_if_not_found=False
        )
        # sudo: whoever reopens the complaint closes the leader's stale activity of the ended round
        stale = self.sudo().activity_ids.filtered(lambda a: a.activity_type_id == escalation_type)
        if stale:
            stale.action_feedback(feedback=self.env._("The handling round it escalated has ended."))

    def _get_round_summary(self, old_state):
        """The chatter note (Markup) that sums up the handling round ending with a reopening: its SLA status,
        escalation level, first response and resolution in working hours."""
        self.ensure_one()
        sudo = self.sudo()
        statuses = dict(self._fields["sla_status"]._description_selection(self.env))
        lines = [
            self.env._(
                "Reopened from %(state)s: a new handling round starts, with new SLA deadlines.",
                state=dict(self._fields["state"]._description_selection(self.env)).get(old_state, old_state),
            ),
            self.env._(
                "Previous round: SLA %(status)s, escalation level %(level)s.",
                status=statuses.get(sudo.sla_status) or "-",
                level=sudo.escalation_level,
            ),
        ]
        if sudo.first_response_date:
            lines.append(
                self.env._("First response after %(hours)s working hours.", hours=f"{sudo.first_response_hours:.2f}")
            )
        if sudo.resolved_date:
            lines.append(self.env._("Resolved after %(hours)s working hours.", hours=f"{sudo.resolution_hours:.2f}"))
        return Markup("<p>%s</p>") % Markup("<br/>").join(lines)

    def _register_first_response(self, date):
        for complaint in self.filtered(lambda c: not c.first_response_date):
            vals = {
                "first_response_date": date,
                "first_response_hours": complaint._get_sla_hours_used(date),
            }
            if complaint.state == "new":
                stage = self._get_stage("acknowledged")
                if stage:
                    vals["stage_id"] = stage.id
            complaint.sudo().write(vals)

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------

    @api.model
    def _cron_escalate(self):
        """Every 15 minutes: refresh the SLA status of running complaints, then escalate the breaches.

        Level 1 when a deadline passes (an activity for the team leader, priority up); level 2 when it is
        passed by the allowed time again (Customer Care Managers notified). Set-based and chunked; each
        level is taken once, by an UPDATE that only moves escalation_level forward.
        """
        now = fields.Datetime.now()
        self.env.flush_all()
        self._update_sla_status(now)
        for level in (1, 2):
            due = self._get_escalation_due(level, now)
            self.env["ir.cron"]._commit_progress(remaining=len(due))
            for chunk in split_every(ESCALATION_CHUNK, due):
                escalated = self._escalate(level, list(chunk))
                _logger.info("crm.complaint: escalated %s complaints to level %s", len(escalated), level)
                if not self.env["ir.cron"]._commit_progress(len(chunk)):
                    return

    @api.model
    def _update_sla_status(self, now):
        """Time-driven status moves of running complaints (on_track → at_risk → breached), in one statement.

        Only complaints whose at-risk moment has come can move (partial indexes on the risk dates); moves
        back (deadlines pushed by a pause) are computed when the deadlines are written.
        """
        self.env.execute_query(
            SQL(
                """
                UPDATE crm_complaint c
                   SET sla_status = s.status
                  FROM (SELECT id,
                               CASE WHEN (first_response_date IS NULL AND response_deadline < %(now)s)
                                         OR resolve_deadline < %(now)s THEN 'breached'
                                    ELSE 'at_risk' END AS status
                          FROM crm_complaint
                         WHERE state IN ('new', 'acknowledged', 'in_progress')
                           AND sla_status IN ('on_track', 'at_risk')
                           AND (resolve_risk_date <= %(now)s
                                OR (first_response_date IS NULL AND response_risk_date <= %(now)s))) s
                 WHERE c.id = s.id AND c.sla_status IS DISTINCT FROM s.status
                """,
                now=now,
            )
        )
        self.invalidate_model(["sla_status"])

    @api.model
    def _get_escalation_due(self, level, now):
        if level == 1:
            condition = SQL(
                "((first_response_date IS NULL AND response_deadline < %(now)s) OR resolve_deadline < %(now)s)",
                now=now,
            )
        else:
            condition = SQL(
                "((first_response_date IS NULL AND response_escalation_date < %(now)s)"
                " OR resolve_escalation_date < %(now)s)",
                now=now,
            )
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM crm_complaint WHERE state IN ('new', 'acknowledged', 'in_progress')"
                " AND escalation_level = %s AND %s ORDER BY id",
                level - 1,
                condition,
            )
        )
        return [row[0] for row in rows]

    @api.model
    def _escalate(self, level, ids):
        """Escalate complaints `ids` to `level`; those another worker took (locked) or did already are skipped."""
        rows = self.env.execute_query(
            SQL(
                """
                UPDATE crm_complaint c
                   SET escalation_level = %(level)s,
                       sla_status = 'breached',
                       priority = CASE WHEN %(level)s = 1
                                       THEN LEAST(COALESCE(c.priority, '0')::int + 1, 3)::varchar
                                       ELSE c.priority END
                  FROM (SELECT id FROM crm_complaint
                         WHERE id IN %(ids)s AND escalation_level = %(previous)s
                           FOR UPDATE SKIP LOCKED) todo
                 WHERE c.id = todo.id
             RETURNING c.id
                """,
                level=level,
                previous=level - 1,
                ids=tuple(ids),
            )
        )
        self.invalidate_model(["escalation_level", "sla_status", "priority"])
        complaints = self.browse([row[0] for row in rows]).sudo()
        if not complaints:
            return complaints
        if level == 1:
            complaints._escalate_to_leaders()
        else:
            complaints._escalate_to_managers()
        return complaints

    def _escalate_to_leaders(self):
        """An escalation activity on each complaint for its team leader (else its owner).

        One batched `activity_schedule` per leader (Odoo creates the activities of a recordset at once),
        without one notification email per activity: a burst of breaches (the cron was down, a holiday
        ends) lands in the leader's activity menu, not as hundreds of mails. The summary is in the leader's
        language (the cron has none).
        """
        for user, complaints in self.grouped(lambda c: c._get_escalation_user()).items():
            if user:
                summary = self.with_context(lang=user.lang).env._("SLA breached: escalation")
                complaints.with_context(mail_activity_quick_update=True).activity_schedule(
                    "crm_complaints.mail_activity_type_complaint_escalation", summary=summary, user_id=user.id
                )

    def _get_escalation_user(self):
        """Who gets the escalation: CRM Care's assignment chain (res.users._crm_care_get_assignee) from the
        team leader, then the complaint's owner, then Customer Care managers; active and allowed in the
        complaint's company."""
        self.ensure_one()
        return self.env["res.users"]._crm_care_get_assignee(self.company_id, self.team_id.leader_id, self.user_id)

    def _get_followup_user(self):
        """Who follows the complaint up (visit after resolution, reopened complaint): the assignment chain
        from the complaint's owner, then the team leader, then Customer Care managers."""
        self.ensure_one()
        return self.env["res.users"]._crm_care_get_assignee(self.company_id, self.user_id, self.team_id.leader_id)

    def _escalate_to_managers(self):
        managers = (
            self.env.ref("crm_lifecycle.group_crm_care_manager")
            .sudo()
            .all_user_ids.filtered(lambda user: user.active and not user.share)
        )
        for complaint in self:
            partners = managers.filtered(lambda user, c=complaint: c.company_id in user.company_ids).partner_id
            # one notification per language of the managers, each in its readers' language (the cron has none)
            for lang, readers in partners.grouped("lang").items():
                env = self.with_context(lang=lang).env
                complaint.message_notify(
                    partner_ids=readers.ids,
                    subject=env._("Complaint %(complaint)s escalated to managers", complaint=complaint.name),
                    body=Markup("<p>%s</p>")
                    % env._(
                        "Complaint %(complaint)s of %(customer)s has been late by its allowed time again.",
                        complaint=complaint.display_name,
                        customer=complaint.partner_id.display_name or "-",
                    ),
                    email_layout_xmlid="mail.mail_notification_light",
                )
        self._message_log_batch(
            dict.fromkeys(
                self.ids, Markup("<p>%s</p>") % self.env._("SLA breached twice over: Customer Care Managers notified.")
            )
        )

    # ------------------------------------------------------------------
    # Acknowledgement, resolution, rating, follow-up, reopening
    # ------------------------------------------------------------------

    def _send_acknowledgement(self):
        for complaint in self.filtered(lambda c: c.partner_id.email or c.email_from):
            template = (
                complaint.category_id._get_reply_template()
                if complaint.category_id
                else self.env.ref("crm_complaints.mail_template_complaint_acknowledgement", raise_if_not_found=False)
            )
            if not template:
                continue
            complaint.with_context(crm_complaint_auto_message=True).sudo().message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def _on_resolved(self):
        template = self.env.ref("crm_complaints.mail_template_complaint_resolved", raise_if_not_found=False)
        for complaint in self:
            if template and complaint.partner_id.email and not self.env.context.get("crm_complaint_no_mail"):
                complaint.with_context(crm_complaint_auto_message=True).sudo().rating_send_request(
                    template, force_send=False
                )
            complaint._schedule_followup()

    def _schedule_followup(self):
        self.ensure_one()
        days = self.company_id.complaint_followup_days
        # The day of the resolution in the company's business time zone (crm_lifecycle's rule), plus the delay.
        tz = (self.company_id or self.env.company)._get_lifecycle_today()[1]
        date = business_time.local_date(tz, self.resolved_date or fields.Datetime.now()) + timedelta(days=days)
        user = self._get_followup_user()
        self.sudo().activity_schedule(
            "crm_complaints.mail_activity_type_complaint_followup",
            date_deadline=date,
            # in the language of whom it is for (a cron or a customer may resolve or reopen)
            summary=self.with_context(lang=user.lang).env._("Follow-up visit: %(complaint)s", complaint=self.name),
            user_id=user.id,
        )
        self.sudo()._write_bookkeeping({"followup_date": date})

    def _cancel_followup(self):
        self.sudo().activity_unlink(["crm_complaints.mail_activity_type_complaint_followup"])

    def _reopen(self, reason):
        """Back to In Progress; a low rating hands the complaint to the team leader."""
        stage = self._get_stage("in_progress")
        for complaint in self.sudo():
            vals = {"stage_id": stage.id}
            leader = complaint._get_escalation_user() if reason == "rating" else complaint.user_id.browse()
            if leader:
                vals["user_id"] = leader.id
            complaint.write(vals)
            user = complaint._get_followup_user()
            if user:
                complaint.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.with_context(lang=user.lang).env._("Reopened complaint: contact the customer"),
                    user_id=user.id,
                )
            body = (
                self.env._("Reopened after a low rating from the customer.")
                if reason == "rating"
                else self.env._(
                    "Reopened: the customer replied within %(days)s days of the resolution.", days=REOPEN_DAYS
                )
            )
            complaint._message_log(body=Markup("<p>%s</p>") % body)

    def _on_customer_reply(self):
        now = fields.Datetime.now()
        for complaint in self.filtered(lambda c: c.state in DONE_STATES):
            if complaint.resolved_date and now - complaint.resolved_date <= timedelta(days=REOPEN_DAYS):
                complaint._reopen("reply")
        waiting = self.filtered(lambda c: c.state == "waiting")
        if waiting:
            waiting.sudo().write({"stage_id": self._get_stage("in_progress").id})

    def rating_apply(self, rate, token=None, rating=None, feedback=None, subtype_xmlid=None, notify_delay_send=False):
        result = super().rating_apply(
            rate,
            token=token,
            rating=rating,
            feedback=feedback,
            subtype_xmlid=subtype_xmlid,
            notify_delay_send=notify_delay_send,
        )
        if rate <= LOW_RATING:
            self.filtered(lambda c: c.state in DONE_STATES)._reopen("rating")
        return result

    def _rating_get_operator(self):
        return self.user_id.partner_id or self.team_id.leader_id.partner_id

    # ------------------------------------------------------------------
    # Mail
    # ------------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """An email to a team's alias: a complaint of the sender, matched by email or created. A robot's
        email (see `_is_automated_email`) still makes a complaint, nothing is lost, but gets no
        acknowledgement: answering autoresponders and mailing lists only feeds mail loops."""
        # nobody owns a mailed-in complaint yet
        self = self.with_context(  # noqa: PLW0642
            default_user_id=False,
            crm_complaint_no_acknowledgement=self.env.context.get("crm_complaint_no_acknowledgement")
            or self.env.context.get("crm_complaint_automated_email"),
        )
        values = dict(custom_values or {})
        email_from = msg_dict.get("email_from") or msg_dict.get("from")
        partner = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        if not partner and email_from:
            partner = self._partner_find_from_emails_single([email_from], no_create=False)
            if partner:
                msg_dict["author_id"] = partner.id  # the message itself is then the customer's
        # the subject is the customer's (portal, replies): a default one in their language
        default_subject = customer_env(self, partner, self.env.company).env._("No subject")
        values.setdefault("subject", (msg_dict.get("subject") or "").strip() or default_subject)
        values.setdefault("channel", "email")
        values.setdefault("partner_id", partner.id)
        values.setdefault("email_from", email_from)
        values.setdefault("description", msg_dict.get("body"))
        return super().message_new(msg_dict, custom_values=values)

    def message_post(self, **kwargs):
        """Files above the size limit (``crm_complaints.attachment_max_size_mb``) are not stored, nor, in an
        incoming email, files that are not photos or PDFs (the portal form's rule); a note says which, so that
        staff can ask the customer for another way to send them."""
        attachments = kwargs.get("attachments") or []
        incoming = kwargs.get("message_type") == "email"
        kept, too_big, wrong_type = sort_attachments(self.env, attachments, check_type=incoming)
        if too_big or wrong_type:
            kwargs["attachments"] = kept
        message = super().message_post(**kwargs)
        refused = []
        if too_big:
            refused.append(
                self.env._(
                    "Not stored, larger than %(limit)s MB: %(files)s.",
                    limit=get_max_size_mb(self.env),
                    files=format_list(self.env, too_big),
                )
            )
        if wrong_type:
            refused.append(
                self.env._("Not stored, not a photo or a PDF: %(files)s.", files=format_list(self.env, wrong_type))
            )
        if refused:
            refused.append(self.env._("Ask the customer for another way to send them."))
            self._message_log(body=Markup("<p>%s</p>") % " ".join(refused))
        return message

    @api.model
    def _is_automated_email(self, message, message_dict):
        """Whether the incoming `message` (an email.message.EmailMessage) was sent by a robot: an
        out-of-office or other automatic reply, a mailing list, a bounce (Odoo's bounce detection, which
        routes bounces away before they reach a complaint) or a null sender. See AUTO_REPLY_HEADERS,
        SUPPRESS_HEADER and LIST_HEADERS."""
        auto_submitted = (message.get("Auto-Submitted") or "").split(";")[0].strip().lower()
        precedence = (message.get("Precedence") or "").strip().lower()
        return bool(
            (auto_submitted and auto_submitted != "no")
            or any(
                (message.get(header) or "").strip().lower() not in ("", "no", "false") for header in AUTO_REPLY_HEADERS
            )
            or precedence in AUTOMATED_PRECEDENCES
            or (message.get(SUPPRESS_HEADER) or "").strip().lower() not in ("", "none")
            or any((message.get(header) or "").strip() for header in LIST_HEADERS)
            or (message.get("Return-Path") or "").strip() == "<>"
            or message_dict.get("is_bounce")
            or self.env["mail.thread"]._detect_is_bounce(message, message_dict)
        )

    def _message_post_after_hook(self, message, msg_values):
        """Who wrote decides, not the subtype: staff's first message to the customer (not a note) is the
        first response; a message of the customer (a reply to a note, such as the resolution email, is
        stored as a note by the mail gateway) resumes a waiting complaint and reopens one resolved within
        REOPEN_DAYS days, unless a robot sent it (see `_is_automated_email`)."""
        result = super()._message_post_after_hook(message, msg_values)
        if (
            self.env.context.get("crm_complaint_auto_message")
            or msg_values.get("rating_id")
            or message.message_type not in ("comment", "email")
            or not message.author_id
        ):
            return result
        author = message.author_id.sudo()
        if any(not user.share for user in author.user_ids):
            if message.subtype_id and message.subtype_id.internal:
                return result  # a note between colleagues answers nobody
            # first response: the first message to the customer from staff
            self.filtered(lambda c: c.partner_id and c.partner_id != author)._register_first_response(message.date)
        elif not self.env.context.get("crm_complaint_automated_email"):
            customers = self.filtered(
                lambda c: c.partner_id and c.partner_id.commercial_partner_id == author.commercial_partner_id
            )
            # sudo: the customer posted on their own complaint (access checked by message_post)
            customers.sudo()._on_customer_reply()
        return result

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _get_stage(self, state):
        return self.env["crm.complaint.stage"].search([("state", "=", state)], limit=1)

    def action_acknowledge(self):
        self.write({"stage_id": self._get_stage("acknowledged").id})

    def action_start(self):
        self.write({"stage_id": self._get_stage("in_progress").id})

    def action_wait(self):
        self.write({"stage_id": self._get_stage("waiting").id})

    def action_resolve(self):
        self.write({"stage_id": self._get_stage("resolved").id})

    def action_close(self):
        self.write({"stage_id": self._get_stage("closed").id})

    def action_cancel(self):
        self.write({"stage_id": self._get_stage("cancelled").id})

    def action_reopen(self):
        self.write({"stage_id": self._get_stage("in_progress").id})

    def action_view_compensations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_complaints.crm_complaint_compensation_action")
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {"default_complaint_id": self.id}
        return action

    @api.model
    def _load_demo_complaints(self):
        """Demo data (called from the demo XML): 30 complaints told relative to now, on their SLA calendar.

        Each story says how much of its SLA policy's allowed working time had run at the moment that matters
        (now for a running complaint, the resolution for a resolved one): mostly on track, some at risk (over
        80 %), a few breached (over 100 %), the resolved ones mostly in time and rated by their customer. The
        creation moment is planned backwards from now on the complaint's working hours (Odoo's
        `resource.calendar.plan_hours`), so the story holds whatever the day and hour the demo is built.
        """
        ref = self.env.ref
        # Customers who buy (crm_lifecycle's demo history), half of them Chinese-speaking when Chinese is loaded
        buyers = self.env["res.partner"].search(
            [("email", "!=", False), ("lifecycle_stage_id.code", "in", ("new", "active", "loyal", "won_back"))],
            order="id",
        )
        chinese = buyers.filtered(lambda partner: partner.lang == "zh_CN")[:4]
        customers = (chinese | (buyers - chinese)[: 8 - len(chinese)]) or self.env["res.partner"].search(
            [("email", "!=", False)], limit=8
        )
        teams = ref("crm_complaints.crm_complaint_team_after_sales") | ref("crm_complaints.crm_complaint_team_store")
        # (English, Chinese) subject: a customer who speaks Chinese writes in Chinese; the shipped (translated)
        # category it belongs to
        subjects = [
            ("Parcel arrived two weeks late", "包裹晚到了两周", "delivery_late"),
            ("Table top scratched on delivery", "送货时桌面被划伤", "delivery_damaged"),
            ("Chair leg broke after a week", "椅子腿用了一周就断了", "product_defect"),
            ("Rude answer at the store counter", "门店柜台服务态度差", "service_staff"),
            ("Invoiced twice for one order", "同一订单被重复开票", "billing_amount"),
            ("Wrong colour delivered", "送错了颜色", "delivery_wrong"),
            ("Nobody called back as promised", "承诺回电却无人联系", "service_promise"),
            ("Assembly instructions missing", "缺少安装说明书", "product_missing"),
            ("Refund still not received", "退款至今未到账", "billing_refund"),
            ("Delivery driver left the box outside in the rain", "快递员把箱子放在门外淋雨", "delivery_damaged"),
        ]
        # (state, share of the allowed time used: of the response time while none was sent, else of the
        # resolution time, until now or until the resolution, customer's rating 1-5 or 0 for none)
        stories = [("new", share, 0) for share in (0.1, 0.3, 0.5, 0.9, 1.4)]
        stories += [("acknowledged", share, 0) for share in (0.1, 0.2, 0.35, 0.5)]
        stories += [("in_progress", share, 0) for share in (0.15, 0.3, 0.45, 0.6, 0.85, 1.3)]
        stories += [("waiting", share, 0) for share in (0.25, 0.5, 0.9)]
        stories += [("resolved", share, rate) for share, rate in ((0.3, 5), (0.45, 4), (0.6, 5), (0.7, 0), (1.2, 3))]
        stories += [("closed", share, rate) for share, rate in ((0.2, 5), (0.4, 4), (0.55, 5), (0.8, 4))]
        stories += [("cancelled", share, 0) for share in (0.1, 0.2, 0.3)]
        causes = self.env["crm.complaint.cause"].search([("active", "=", True)])
        channels = [key for key, _label in CHANNELS]
        severities = [key for key, _label in SEVERITIES]
        users = teams.member_ids
        now = fields.Datetime.now()
        # Each complaint is about one of its customer's confirmed orders (the latest ones first) and, for the
        # delivery and product categories, one of the order's products: Complaints by Product has figures.
        orders = self.env["sale.order"].search(
            [("partner_id", "child_of", customers.commercial_partner_id.ids), ("state", "=", "sale")],
            order="date_order desc, id desc",
        )
        Complaint = self.with_context(crm_complaint_no_mail=True, mail_create_nolog=True, tracking_disable=True)
        for index, (state, share, rate) in enumerate(stories):
            team = teams[index % 3 == 2]
            customer = customers[index % len(customers)] if customers else customers
            english, chinese, category_key = subjects[index % len(subjects)]
            subject = chinese if customer.lang == "zh_CN" else english
            category = ref(f"crm_complaints.crm_complaint_category_default_{category_key}")
            own_orders = orders.filtered(
                lambda o, c=customer: o.partner_id.commercial_partner_id == c.commercial_partner_id
            )
            order = own_orders[(index // len(customers)) % len(own_orders)] if own_orders else own_orders
            products = order.order_line.filtered(lambda line: not line.display_type).product_id
            about_a_product = category_key.startswith(("delivery", "product"))
            product = products[index % len(products)] if products and about_a_product else products[:0]
            complaint = Complaint.create(
                {
                    "subject": subject,
                    "partner_id": customer.id,
                    "team_id": team.id,
                    "user_id": users[index % len(users)].id if state != "new" else False,
                    "channel": channels[index % len(channels)],
                    "severity": severities[(index * 3) % len(severities)],
                    "category_id": category.id,
                    "sale_order_id": order.id,
                    "product_id": product.id,
                    "description": "<p>%s</p>" % subject,
                }
            )
            policy = complaint.sla_policy_id
            if not policy:
                continue
            answered = state != "new"
            # a running complaint was answered within a tenth of its response time, so its resolution counts
            response_hours = 0.1 * policy.response_hours if answered else share * policy.response_hours
            used = share * policy.resolve_hours if answered else response_hours
            created = complaint._sla_plan(now, [-used])[-used]
            self.env.cr.execute(SQL("UPDATE crm_complaint SET create_date = %s WHERE id = %s", created, complaint.id))
            complaint.invalidate_recordset(["create_date"])
            complaint._apply_sla()
            if answered:
                complaint._register_first_response(complaint._sla_plan(created, [response_hours])[response_hours])
            vals = {"stage_id": self._get_stage(state).id}
            if state in ("resolved", "closed"):
                vals |= {
                    "resolution": "<p>We apologised, replaced the item and refunded the delivery costs.</p>",
                    "cause_id": causes[index % len(causes)].id,
                }
            complaint.write(vals)
            if rate and complaint.partner_id:
                # the customer's answer to the resolution email (what its rating page does with the link)
                complaint.rating_apply(
                    rate, token=complaint._rating_get_access_token(), feedback="Thank you for the quick help."
                )
        self._update_sla_status(now)
        return True

    @api.model
    def _cron_close_resolved(self):
        """Close the complaints resolved more than REOPEN_DAYS days ago (the customer can no longer reopen them)."""
        limit = fields.Datetime.now() - timedelta(days=REOPEN_DAYS)
        complaints = self.search([("state", "=", "resolved"), ("resolved_date", "<", limit)])
        stage = self._get_stage("closed")
        self.env["ir.cron"]._commit_progress(remaining=len(complaints))
        for chunk in split_every(200, complaints.ids, self.browse):
            chunk.write({"stage_id": stage.id})
            if not self.env["ir.cron"]._commit_progress(len(chunk)):
                break
