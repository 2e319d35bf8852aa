import calendar
import logging
from datetime import timedelta

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools import business_time

_logger = logging.getLogger(__name__)

CAMPAIGN_KINDS = [
    ("birthday", "Birthday"),
    ("purchase_anniversary", "Purchase Anniversary"),
    ("after_order", "After Each Order"),
    ("periodic", "Periodic"),
    ("occasion", "Occasion"),
    ("segment_entry", "Entering a Segment"),
    ("segment_exit", "Leaving a Segment"),
    ("stage_entry", "Entering a Lifecycle Stage"),
]
CAMPAIGN_PURPOSES = [
    ("marketing", "Marketing"),
    ("service", "Service"),
]
# Kinds whose trigger is a yearly or calendar date that lead_days anticipates.
DATE_KINDS = ("birthday", "purchase_anniversary", "occasion")
# A cron that did not run for some days plans the missed days, at most this many.
CATCHUP_DAYS = 7
# Key of the advisory locks of care planning and execution ("care" as a number).
CARE_LOCK_KEY = 0x63617265


def _month_days(day):
    """EXTRACT(MONTH) * 100 + EXTRACT(DAY) values celebrated on `day` (29 February on 28 February in other years)."""
    values = [day.month * 100 + day.day]
    if day.month == 2 and day.day == 28 and not calendar.isleap(day.year):
        values.append(229)
    return tuple(values)


def _month_day_sql(column):
    return SQL("(EXTRACT(MONTH FROM %(col)s) * 100 + EXTRACT(DAY FROM %(col)s))", col=column)


class CrmCareCampaign(models.Model):
    """Who to care for, when (the kind of trigger) and how (the steps).

    A daily cron plans each active campaign's touches of the day set-based (INSERT ... SELECT ... ON CONFLICT
    DO NOTHING on the touch's unique key), then executes the due touches in chunks (crm.care.touch).
    """

    _name = "crm.care.campaign"
    _description = "Care Campaign"
    _inherit = ["mail.thread"]
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    kind = fields.Selection(CAMPAIGN_KINDS, required=True, default="birthday", tracking=True)
    purpose = fields.Selection(
        CAMPAIGN_PURPOSES,
        required=True,
        default="marketing",
        tracking=True,
        help="Marketing: greetings, offers, win-back; its messages, calls and visits need the customer's consent on "
        "the channel as the company's Marketing Consent setting says (opt-in or opt-out). Service: messages the "
        "customer expects about what they bought (thank-you, follow-up visit, satisfaction survey); consent does "
        "not apply (the opt-out of every channel and the blacklist still do).",
    )
    segment_id = fields.Many2one(
        "crm.segment",
        ondelete="restrict",
        tracking=True,
        check_company=True,
        help="The audience. Required for periodic and segment campaigns; otherwise optional: without a segment, "
        "every contact with a birthday (birthday) or every classified customer (other kinds).",
    )
    stage_id = fields.Many2one("crm.lifecycle.stage", string="Lifecycle Stage", ondelete="restrict", tracking=True)
    occasion_id = fields.Many2one("crm.care.occasion", ondelete="restrict", tracking=True, check_company=True)
    interval_days = fields.Integer(
        string="Every (days)", default=90, help="Periodic campaigns reach each segment member every this many days."
    )
    lead_days = fields.Integer(
        string="Days Before",
        default=0,
        help="Birthday, anniversary and occasion campaigns start this many days before the date.",
    )
    date_start = fields.Date(string="Start Date", help="No touch is planned before this date.")
    date_end = fields.Date(string="End Date", help="No touch is planned after this date.")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        tracking=True,
        check_company=True,
        help="Gets the campaign's activities for contacts without a salesperson.",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    step_ids = fields.One2many("crm.care.step", "campaign_id", string="Steps", copy=True)
    touch_ids = fields.One2many("crm.care.touch", "campaign_id", string="Touch Log")
    date_last_planned = fields.Date(string="Planned Until", readonly=True, copy=False)
    audience_count = fields.Integer(compute="_compute_audience_count", string="Audience")
    planned_count = fields.Integer(compute="_compute_statistics", string="Planned")
    touched_count = fields.Integer(compute="_compute_statistics", string="Touched")
    skipped_count = fields.Integer(compute="_compute_statistics", string="Skipped")
    failed_count = fields.Integer(compute="_compute_statistics", string="Failed")
    touch_count = fields.Integer(compute="_compute_statistics", string="Touches")
    conversion_count = fields.Integer(compute="_compute_statistics", string="Conversions")
    conversion_rate = fields.Float(compute="_compute_statistics", string="Conversion Rate (%)", digits=(16, 1))
    revenue = fields.Monetary(compute="_compute_statistics", currency_field="currency_id")

    _interval_positive = models.Constraint(
        "CHECK(interval_days > 0)", "The interval of a periodic campaign must be at least one day."
    )
    _lead_days_range = models.Constraint(
        "CHECK(lead_days >= 0 AND lead_days < 366)", "The days before must be between 0 and 365."
    )
    _dates_ordered = models.Constraint(
        "CHECK(date_end IS NULL OR date_start IS NULL OR date_end >= date_start)",
        "A campaign cannot end before it starts.",
    )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------

    @api.constrains("kind", "segment_id", "stage_id", "occasion_id")
    def _check_kind_settings(self):
        for campaign in self:
            if campaign.kind in ("periodic", "segment_entry", "segment_exit") and not campaign.segment_id:
                raise ValidationError(self.env._("Campaign %s needs a segment.", campaign.name))
            if campaign.kind == "stage_entry" and not campaign.stage_id:
                raise ValidationError(self.env._("Campaign %s needs a lifecycle stage.", campaign.name))
            if campaign.kind == "occasion" and not campaign.occasion_id:
                raise ValidationError(self.env._("Campaign %s needs an occasion.", campaign.name))

    @api.constrains("segment_id", "active")
    def _check_segment_domain(self):
        """An audience whose conditions no longer parse or run (a field was removed) is refused."""
        for campaign in self.filtered(lambda c: c.active and c.segment_id):
            try:
                campaign.segment_id._check_domain()
            except ValidationError as error:
                raise ValidationError(
                    self.env._(
                        "The audience of campaign %(campaign)s is not valid: %(error)s",
                        campaign=campaign.name,
                        error=error.args[0],
                    )
                ) from error

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    def write(self, vals):
        result = super().write(vals)
        if "active" in vals and not vals["active"]:
            self.env["crm.care.touch"]._retire_planned("campaign_id", self.ids)
        return result

    # ------------------------------------------------------------------
    # Statistics
    # ------------------------------------------------------------------

    def _compute_statistics(self):
        ids = [campaign_id for campaign_id in self.ids if isinstance(campaign_id, int)]
        by_state = {}
        conversions = {}
        if ids:
            for campaign, state, count in self.env["crm.care.touch"]._read_group(
                [("campaign_id", "in", ids)], ["campaign_id", "state"], ["__count"]
            ):
                by_state[campaign.id, state] = count
            for campaign, count, amount in self.env["crm.care.conversion"]._read_group(
                [("campaign_id", "in", ids)], ["campaign_id"], ["__count", "amount:sum"]
            ):
                conversions[campaign.id] = (count, amount)
        for campaign in self:
            cid = campaign._origin.id
            campaign.planned_count = by_state.get((cid, "planned"), 0)
            campaign.touched_count = by_state.get((cid, "done"), 0)
            campaign.skipped_count = by_state.get((cid, "skipped"), 0)
            campaign.failed_count = by_state.get((cid, "failed"), 0)
            campaign.touch_count = sum(count for (c, __), count in by_state.items() if c == cid)
            campaign.conversion_count, campaign.revenue = conversions.get(cid, (0, 0.0))
            campaign.conversion_rate = (
                100.0 * campaign.conversion_count / campaign.touched_count if campaign.touched_count else 0.0
            )

    @api.depends("kind", "segment_id", "stage_id", "company_id")
    def _compute_audience_count(self):
        for campaign in self:
            if not campaign.company_id:
                campaign.audience_count = 0
                continue
            self.env.flush_all()
            campaign.audience_count = self.env.execute_query(
                SQL("SELECT COUNT(*) FROM res_partner p WHERE %s", campaign._get_audience_preview_sql())
            )[0][0]

    def _get_audience_preview_sql(self):
        """Conditions on res_partner p: the contacts the campaign may reach (for the preview count)."""
        self.ensure_one()
        conditions = [self._get_audience_sql("p")]
        if self.kind in ("segment_entry", "segment_exit", "periodic"):
            conditions.append(self._get_segment_member_sql("p", self.segment_id.id or 0))
        elif self.kind == "birthday":
            conditions.append(SQL("p.birthday IS NOT NULL AND NOT COALESCE(p.is_company, FALSE)"))
        elif self.kind == "purchase_anniversary":
            conditions.append(SQL("p.id = p.commercial_partner_id AND p.first_order_date IS NOT NULL"))
        elif self.kind == "after_order":
            conditions.append(SQL("p.id = p.commercial_partner_id AND COALESCE(p.order_count, 0) > 0"))
        elif self.kind == "stage_entry":
            conditions.append(
                SQL("p.id = p.commercial_partner_id AND p.lifecycle_stage_id = %s", self.stage_id.id or 0)
            )
        else:
            conditions.append(self._get_customer_sql("p"))
        return SQL(" AND ").join(conditions)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_view_touches(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_lifecycle.crm_care_touch_action")
        action["domain"] = [("campaign_id", "=", self.id)]
        if self.env.context.get("search_default_skipped"):
            action["context"] = {"search_default_skipped": 1, "search_default_group_by_reason": 1}
        elif self.env.context.get("search_default_failed"):
            action["context"] = {"search_default_failed": 1, "search_default_group_by_reason": 1}
        else:
            action["context"] = {"search_default_group_by_state": 1}
        return action

    def action_view_conversions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_lifecycle.crm_care_conversion_action")
        action["domain"] = [("campaign_id", "=", self.id)]
        action["view_mode"] = "list,pivot,graph"
        action["views"] = [(False, "list"), (False, "pivot"), (False, "graph")]
        return action

    def action_send_test(self):
        """Render the campaign's first email step for the current user and queue it to them."""
        self.ensure_one()
        step = self.step_ids.filtered(lambda s: s.action == "email" and s.mail_template_id)[:1]
        if not step:
            raise UserError(self.env._("Campaign %s has no email step to test.", self.name))
        partner = self.env.user.partner_id
        if not partner.email:
            raise UserError(self.env._("Set your email address in your preferences to receive a test."))
        # Rendered in the campaign's company, as the campaign's real emails are.
        template = step.mail_template_id.sudo().with_company(self.company_id)
        try:
            mail = template.send_mail_batch(partner.ids)
        except Exception as error:  # noqa: BLE001 - show the template's problem to its author
            raise UserError(
                self.env._(
                    "The email of campaign %(campaign)s cannot be rendered: %(error)s", campaign=self.name, error=error
                )
            ) from error
        mail.write({"subject": self.env._("[Test] %s", mail.subject or "")})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("A test email was queued to %s.", partner.email),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    # ------------------------------------------------------------------
    # Audience SQL
    # ------------------------------------------------------------------

    def _get_audience_sql(self, alias):
        """Conditions every contact reached by this campaign meets (res_partner `alias`)."""
        self.ensure_one()
        p = SQL.identifier(alias)
        conditions = [
            SQL("%s.active", p),
            SQL("(%(p)s.company_id IS NULL OR %(p)s.company_id = %(company)s)", p=p, company=self.company_id.id),
        ]
        if self.segment_id and self.kind not in ("segment_entry", "segment_exit", "periodic"):
            conditions.append(self._get_segment_member_sql(alias, self.segment_id.id))
        return SQL(" AND ").join(conditions)

    @api.model
    def _get_segment_member_sql(self, alias, segment_id):
        return SQL(
            """EXISTS (SELECT 1 FROM crm_segment_member sm
                        WHERE sm.segment_id = %s AND sm.partner_id = %s.id AND sm.date_left IS NULL)""",
            segment_id,
            SQL.identifier(alias),
        )

    @api.model
    def _get_customer_sql(self, alias):
        """Default audience: classified customers (commercial entities with a lifecycle stage)."""
        p = SQL.identifier(alias)
        return SQL("%(p)s.id = %(p)s.commercial_partner_id AND %(p)s.lifecycle_stage_id IS NOT NULL", p=p)

    def _get_source_sql(self, step, day, tz):
        """SELECT partner_id, occurrence_key, order_id of the touches of `step` to send on `day`, or None."""
        self.ensure_one()
        trigger = day - timedelta(days=step.delay_days)
        if self.kind in DATE_KINDS:
            trigger += timedelta(days=self.lead_days)
        audience = self._get_audience_sql("p")
        kind = self.kind
        if kind == "birthday":
            return SQL(
                """SELECT p.id AS partner_id, %(key)s AS occurrence_key, NULL::int AS order_id
                     FROM res_partner p
                    WHERE p.birthday IS NOT NULL AND %(month_day)s IN %(month_days)s AND p.birthday <= %(trigger)s
                      AND NOT COALESCE(p.is_company, FALSE) AND %(audience)s""",
                key=str(trigger.year),
                month_day=_month_day_sql(SQL("p.birthday")),
                month_days=_month_days(trigger),
                trigger=trigger,
                audience=audience,
            )
        if kind == "purchase_anniversary":
            return SQL(
                """SELECT p.id AS partner_id, %(key)s AS occurrence_key, NULL::int AS order_id
                     FROM res_partner p
                    WHERE p.first_order_date IS NOT NULL AND %(month_day)s IN %(month_days)s
                      AND p.first_order_date < %(year_start)s AND p.id = p.commercial_partner_id AND %(audience)s""",
                key=str(trigger.year),
                month_day=_month_day_sql(SQL("p.first_order_date")),
                month_days=_month_days(trigger),
                year_start=trigger.replace(month=1, day=1),
                audience=audience,
            )
        if kind == "occasion":
            if not self.occasion_id.active or trigger not in self.occasion_id.date_ids.mapped("date"):
                return None
            return SQL(
                """SELECT p.id AS partner_id, %(key)s AS occurrence_key, NULL::int AS order_id
                     FROM res_partner p
                    WHERE %(customer)s AND %(audience)s""",
                key=trigger.isoformat(),
                customer=self._get_customer_sql("p"),
                audience=audience,
            )
        if kind == "after_order":
            return SQL(
                """SELECT p.id AS partner_id, so.id::varchar AS occurrence_key, so.id AS order_id
                     FROM sale_order so
                     JOIN res_partner p ON p.id = so.partner_id
                    WHERE so.state = 'sale' AND so.company_id = %(company)s AND so.amount_untaxed > 0
                      AND so.date_order >= %(start)s AND so.date_order < %(end)s AND %(audience)s""",
                company=self.company_id.id,
                start=business_time.day_start_utc(tz, trigger),
                end=business_time.day_start_utc(tz, trigger + timedelta(days=1)),
                audience=audience,
            )
        if kind == "periodic":
            return SQL(
                """SELECT p.id AS partner_id, %(key)s AS occurrence_key, NULL::int AS order_id
                     FROM crm_segment_member m
                     JOIN res_partner p ON p.id = m.partner_id
                    WHERE m.segment_id = %(segment)s AND m.date_left IS NULL AND m.date_entered < %(trigger)s
                      AND (%(trigger)s - m.date_entered) %% %(interval)s = 0 AND %(audience)s""",
                key=trigger.isoformat(),
                segment=self.segment_id.id,
                trigger=trigger,
                interval=self.interval_days,
                audience=audience,
            )
        if kind in ("segment_entry", "segment_exit"):
            column = SQL.identifier("m", "date_entered" if kind == "segment_entry" else "date_left")
            return SQL(
                """SELECT p.id AS partner_id, m.id::varchar AS occurrence_key, NULL::int AS order_id
                     FROM crm_segment_member m
                     JOIN res_partner p ON p.id = m.partner_id
                    WHERE m.segment_id = %(segment)s AND %(column)s = %(trigger)s AND %(audience)s""",
                segment=self.segment_id.id,
                column=column,
                trigger=trigger,
                audience=audience,
            )
        if kind == "stage_entry":
            if not self.stage_id.active:
                return None  # a retired stage greets no one, even from a restored campaign
            return SQL(
                """SELECT p.id AS partner_id, h.id::varchar AS occurrence_key, h.order_id AS order_id
                     FROM crm_lifecycle_history h
                     JOIN res_partner p ON p.id = h.partner_id
                    WHERE h.to_stage_id = %(stage)s AND h.date = %(trigger)s AND %(audience)s""",
                stage=self.stage_id.id,
                trigger=trigger,
                audience=audience,
            )
        return self._get_extra_source_sql(step, trigger, day, tz)

    def _get_extra_source_sql(self, step, trigger, day, tz):
        """Hook for kinds added by other addons; same columns as _get_source_sql."""
        return None

    # ------------------------------------------------------------------
    # Planning
    # ------------------------------------------------------------------

    def _insert_touches(self, step, source, date_planned, replan_cancelled=False):
        """Insert the planned touches a source selects; returns how many are new (or planned again).

        replan_cancelled (orders just confirmed, one row per order): a touch the source selects again after
        it was skipped because its order was cancelled (the order was set back to quotation and confirmed
        again) is planned again, on the new date. Any other existing touch is kept as it is.
        """
        conflict = SQL("DO NOTHING")
        if replan_cancelled:
            conflict = SQL(
                """DO UPDATE
                      SET state = 'planned', reason = NULL, error_message = NULL,
                          date_planned = EXCLUDED.date_planned, order_id = EXCLUDED.order_id,
                          write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                    WHERE crm_care_touch.state = 'skipped' AND crm_care_touch.reason = 'order_cancelled'
                      AND EXISTS (SELECT 1 FROM sale_order so WHERE so.id = EXCLUDED.order_id AND so.state = 'sale')"""
            )
        self.env.cr.execute(
            SQL(
                """INSERT INTO crm_care_touch
                          (campaign_id, step_id, partner_id, occurrence_key, order_id, date_planned, state,
                           company_id, create_uid, create_date, write_uid, write_date)
                   SELECT %(campaign)s, %(step)s, src.partner_id, src.occurrence_key, src.order_id, %(planned)s,
                          'planned', %(company)s, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                     FROM (%(source)s) src
                       ON CONFLICT (step_id, partner_id, occurrence_key) %(conflict)s""",
                campaign=self.id,
                step=step.id,
                planned=date_planned,
                company=self.company_id.id,
                uid=self.env.uid,
                source=source,
                conflict=conflict,
            )
        )
        return self.env.cr.rowcount

    def _plan_day(self, day, tz):
        """Plan the touches this campaign sends on `day` (idempotent); returns how many are new."""
        self.ensure_one()
        if (self.date_start and day < self.date_start) or (self.date_end and day > self.date_end):
            return 0
        created = 0
        for step in self.step_ids:
            source = self._get_source_sql(step, day, tz)
            if source is not None:
                created += self._insert_touches(step, source, day)
        return created

    def _plan(self, today, tz):
        """Plan every day since the last planning (at most CATCHUP_DAYS back) up to today."""
        self.ensure_one()
        first = today
        if self.date_last_planned:
            first = max(self.date_last_planned + timedelta(days=1), today - timedelta(days=CATCHUP_DAYS))
        created = 0
        day = first
        while day <= today:
            created += self._plan_day(day, tz)
            day += timedelta(days=1)
        return created

    def _refresh_stale_segment(self, today, tz):
        """Segment campaigns read today's entries and exits: refresh the segment first if it was not today."""
        self.ensure_one()
        segment = self.segment_id
        if not segment or self.kind not in ("segment_entry", "segment_exit", "periodic"):
            return
        today_start = business_time.day_start_utc(tz, today)
        # Waits for a worker refreshing the same segment, then sees its refresh.
        self.env.cr.execute(SQL("SELECT date_refreshed FROM crm_segment WHERE id = %s FOR UPDATE", segment.id))
        refreshed = self.env.cr.fetchone()[0]
        if refreshed and refreshed >= today_start:
            return
        try:
            with self.env.cr.savepoint():
                segment.with_context(tz=tz)._refresh_members()
        except Exception:  # noqa: BLE001 - a broken segment must not stop the other campaigns
            _logger.exception("Care: could not refresh segment %s", segment.id)

    @api.model
    def _plan_orders(self, orders):
        """Plan the after-order touches of newly confirmed orders (called at confirmation)."""
        orders = orders.filtered(lambda order: order.state == "sale")
        if not orders:
            return 0
        campaigns = self.sudo().search([("kind", "=", "after_order"), ("company_id", "in", orders.company_id.ids)])
        created = 0
        self.env.flush_all()
        for campaign in campaigns:
            today, tz = campaign.company_id._get_lifecycle_today()
            for step in campaign.step_ids:
                planned = SQL("((so.date_order AT TIME ZONE 'UTC' AT TIME ZONE %s)::date + %s)", tz, step.delay_days)
                source = SQL(
                    """SELECT p.id AS partner_id, so.id::varchar AS occurrence_key, so.id AS order_id,
                              %(planned)s AS date_planned
                         FROM sale_order so
                         JOIN res_partner p ON p.id = so.partner_id
                        WHERE so.id IN %(orders)s AND so.state = 'sale' AND so.company_id = %(company)s
                          AND so.amount_untaxed > 0
                          AND %(planned)s >= %(today)s
                          AND %(planned)s >= COALESCE(%(start)s::date, %(planned)s)
                          AND %(planned)s <= COALESCE(%(end)s::date, %(planned)s)
                          AND %(audience)s""",
                    planned=planned,
                    orders=tuple(orders.ids),
                    company=campaign.company_id.id,
                    today=today,
                    start=campaign.date_start or None,
                    end=campaign.date_end or None,
                    audience=campaign._get_audience_sql("p"),
                )
                created += campaign._insert_touches(step, source, SQL("src.date_planned"), replan_cancelled=True)
        self.env["crm.care.touch"].invalidate_model()
        return created

    # ------------------------------------------------------------------
    # The daily job
    # ------------------------------------------------------------------

    @api.model
    def _cron_care(self, chunk_size=1000):
        """Plan today's touches of every active campaign, then execute the due touches in chunks.

        Each campaign is planned in its own transaction, claimed with FOR UPDATE SKIP LOCKED; touches are
        executed chunk by chunk (the due touches of a set of contacts, claimed with advisory locks) and
        committed with the cron progress API. A run killed half-way, or stopped for lack of time, resumes
        where it stopped; two workers share the work and the touch's unique key makes each touch exist once.
        """
        if not self._plan_campaigns():
            return
        self.env.flush_all()
        company_ids = [
            row[0]
            for row in self.env.execute_query(
                SQL("SELECT DISTINCT company_id FROM crm_care_touch WHERE state = 'planned'")
            )
        ]
        for company in self.env["res.company"].sudo().browse(company_ids):
            today, __ = company._get_lifecycle_today()
            if not self.env["crm.care.touch"]._execute_due(company, today, chunk_size):
                return

    def _claim_and_plan(self, today, tz):
        """Plan this campaign up to today unless another worker holds it or did it already."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                """SELECT id FROM crm_care_campaign
                    WHERE id = %s AND active AND (date_last_planned IS NULL OR date_last_planned < %s)
                      FOR UPDATE SKIP LOCKED""",
                self.id,
                today,
            )
        )
        if not self.env.cr.fetchone():
            return None
        self.invalidate_recordset(["date_last_planned"])
        self._refresh_stale_segment(today, tz)
        self.env.flush_all()
        created = self._plan(today, tz)
        self.date_last_planned = today
        self.env.flush_all()
        _logger.info("Care: campaign %s planned %s touches", self.id, created)
        return created

    @api.model
    def _plan_campaigns(self):
        """Plan today's touches of every active campaign, one transaction each; False when out of time."""
        cron = self.env["ir.cron"]
        campaigns = self.search([("active", "=", True)])
        companies = campaigns.company_id
        cron._commit_progress(remaining=len(campaigns) + 1)
        # Next birthdays (Upcoming Birthdays) move on once a day, by one worker, on the earliest company day:
        # a contact's next birthday never moves on before the day has ended in its company's time zone.
        every_company = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        first_day = min(company._get_lifecycle_today()[0] for company in every_company)
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", CARE_LOCK_KEY, 0))
                if self.env.cr.fetchone()[0]:
                    self.env["res.partner"]._care_roll_next_birthdays(first_day)
        except psycopg2.errors.SerializationFailure:
            self.env.cr.rollback()  # another worker has just moved them on
        if not cron._commit_progress(1):
            return False
        for company in companies:
            today, tz = company._get_lifecycle_today()
            for campaign in campaigns.filtered(lambda c, company=company: c.company_id == company):
                for __ in range(3):
                    try:
                        with self.env.cr.savepoint(flush=False):
                            campaign._claim_and_plan(today, tz)
                        break
                    except psycopg2.errors.SerializationFailure:
                        # Another worker changed what this one read (a segment it refreshed, the campaign
                        # it planned) after this transaction's snapshot: start again with a fresh one.
                        self.env.cr.rollback()
                if not cron._commit_progress(1):
                    return False
        self.env["crm.care.touch"].invalidate_model()
        return True
