import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tools import SQL

from ..tools import business_time
from ..tools.customer_lang import customer_lang
from .crm_care_campaign import CARE_LOCK_KEY

_logger = logging.getLogger(__name__)

TOUCH_STATES = [
    ("planned", "Planned"),
    ("done", "Done"),
    ("skipped", "Skipped"),
    ("failed", "Failed"),
]
TOUCH_REASONS = [
    ("opt_out", "Opted out"),
    ("blacklisted", "Blacklisted"),
    ("no_email", "No email address"),
    ("no_phone", "No phone number"),
    ("invalid_phone", "Invalid phone number"),
    ("pressure_max", "Too many messages in the window"),
    ("pressure_gap", "Too soon after the previous message"),
    ("order_cancelled", "Order cancelled"),
    ("merged", "Contacts merged"),
    ("expired", "Too late to send"),
    ("render_error", "Template error"),
    ("error", "Error"),
    ("archived", "Contact archived"),
    ("other_company", "Contact of another company"),
    ("not_customer", "No longer the order's customer"),
    ("survey_closed", "Survey closed"),
    ("sms_error", "SMS refused by the SMS service"),
    ("retired", "Campaign or step retired"),
    ("consent_missing", "No marketing consent given"),
    ("consent_withdrawn", "Marketing consent withdrawn"),
]
# A planned touch more than this many days overdue (the cron did not run) is skipped, not sent late.
EXPIRY_DAYS = 7


class CrmCareTouch(models.Model):
    """One step of one campaign for one contact and one occurrence: the log and the guarantee.

    The unique key (step, partner, occurrence) makes a step reach a contact at most once per occurrence (a
    birthday year, an order, a date), whatever the number of cron runs or workers. A touch moves forward
    once: planned, then done, skipped (with its reason) or failed (with the error).
    """

    _name = "crm.care.touch"
    _description = "Care Touch"
    _order = "date_planned desc, id desc"
    _rec_name = "partner_id"
    _check_company_auto = True

    campaign_id = fields.Many2one(
        "crm.care.campaign", required=True, ondelete="cascade", index=True, readonly=True, check_company=True
    )
    step_id = fields.Many2one("crm.care.step", required=True, ondelete="cascade", readonly=True, check_company=True)
    action = fields.Selection(related="step_id.action")
    partner_id = fields.Many2one(
        "res.partner", required=True, ondelete="cascade", index=True, readonly=True, check_company=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    occurrence_key = fields.Char(
        string="Occurrence",
        required=True,
        readonly=True,
        help="What the touch is for: the year of a birthday, the order, the date of an occasion or period.",
    )
    date_planned = fields.Date(required=True, readonly=True, index=True)
    state = fields.Selection(TOUCH_STATES, required=True, default="planned", readonly=True, index=True)
    reason = fields.Selection(TOUCH_REASONS, readonly=True, index=True, help="Why the touch was skipped or failed.")
    error_message = fields.Text(readonly=True)
    date_done = fields.Datetime(string="Done On", readonly=True)
    mail_message_id = fields.Many2one("mail.message", string="Email", readonly=True, ondelete="set null")
    activity_id = fields.Many2one("mail.activity", readonly=True, ondelete="set null")
    order_id = fields.Many2one(
        "sale.order", readonly=True, ondelete="set null", index="btree_not_null", check_company=True
    )
    lead_id = fields.Many2one("crm.lead", string="Opportunity", readonly=True, ondelete="set null", check_company=True)
    survey_user_input_id = fields.Many2one(
        "survey.user_input", string="Survey Answer", readonly=True, ondelete="set null"
    )
    sms_uuid = fields.Char(
        string="SMS",
        readonly=True,
        index="btree_not_null",
        help="Identifier (uuid) of the queued sms.sms: the touch turns failed when the SMS service refuses it.",
    )

    _step_partner_occurrence_unique = models.Constraint(
        "UNIQUE(step_id, partner_id, occurrence_key)",
        "A step reaches a contact at most once per occurrence.",
    )
    _due_idx = models.Index("(company_id, date_planned) WHERE state = 'planned'")
    _pressure_idx = models.Index("(partner_id, date_done) WHERE state = 'done'")

    # ------------------------------------------------------------------
    # CRUD: a touch is written by its campaign only
    # ------------------------------------------------------------------

    @api.model
    def _care_editable_fields(self):
        """Fields a user may write on a touch; every other one (the key, state, reason, dates, outcome)
        moves only through the campaign's workflow (planning, execution, order changes, retiring)."""
        return set()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(self.env._("Care touches are planned by their campaigns, not created by hand."))
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and set(vals) - self._care_editable_fields():
            raise AccessError(
                self.env._(
                    "The state, reason and outcome of a care touch follow its campaign's workflow; "
                    "they cannot be written by hand."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Execution of due touches
    # ------------------------------------------------------------------

    @api.model
    def _execute_due(self, company, today, chunk_size=1000):
        """Execute the company's due touches chunk by chunk; False when out of time (the cron resumes).

        A chunk is every due touch of up to chunk_size contacts, claimed with an advisory lock per contact
        (pg_try_advisory_xact_lock: a contact another worker holds is skipped), so contact pressure counts
        all of a contact's messages in one transaction. The claim is the first statement of its
        transaction: its snapshot sees what other workers committed; a touch another worker executed in
        the meantime raises a serialization failure, and the chunk is retried with a fresh snapshot.
        """
        cron = self.env["ir.cron"]
        self.env.flush_all()
        due = SQL(
            """FROM crm_care_touch t JOIN crm_care_campaign c ON c.id = t.campaign_id
               WHERE t.state = 'planned' AND t.company_id = %s AND t.date_planned <= %s AND c.active""",
            company.id,
            today,
        )
        remaining = self.env.execute_query(SQL("SELECT COUNT(*) %s", due))[0][0]
        cron._commit_progress(remaining=remaining)
        retries = 0
        while True:
            try:
                with self.env.cr.savepoint(flush=False):
                    self.env.cr.execute(
                        SQL(
                            """SELECT t.id %(due)s AND t.partner_id IN (
                                   SELECT partner_id FROM (
                                       SELECT DISTINCT t.partner_id %(due)s ORDER BY t.partner_id LIMIT %(candidates)s
                                   ) candidates
                                    WHERE pg_try_advisory_xact_lock(%(key)s, candidates.partner_id)
                                    LIMIT %(limit)s)
                               FOR UPDATE OF t""",
                            due=due,
                            limit=chunk_size,
                            candidates=chunk_size * 4,
                            key=CARE_LOCK_KEY,
                        )
                    )
                    ids = [row[0] for row in self.env.cr.fetchall()]
            except psycopg2.errors.SerializationFailure:
                # Another worker executed some of these touches after our snapshot was taken.
                retries += 1
                if retries > 10:
                    return False
                self.env.cr.rollback()
                continue
            if not ids:
                return True
            touches = self.browse(ids).with_company(company)
            touches._process(today)
            self.env.flush_all()
            self.invalidate_model()
            if not cron._commit_progress(len(ids)):
                return False

    def _process(self, today):
        """Skip, veto or execute these claimed due touches; each one leaves the planned state.

        Rendering and assignments happen in the touches' company (the campaign's): `env.company` is it.
        """
        company = self.company_id[:1] or self.env.company
        self = self.with_company(company)  # noqa: PLW0642 - the campaign's company renders and assigns
        expired = self.filtered(lambda t: t.date_planned < today - timedelta(days=EXPIRY_DAYS))
        expired._mark_skipped("expired")
        retired = (self - expired).filtered(lambda t: not (t.campaign_id.active and t.step_id.active))
        retired._mark_skipped("retired")
        todo = (
            (self - expired - retired)
            .with_context(care_today=today, care_company_id=company.id)
            .sorted(lambda t: (t.date_planned, t.step_id.sequence, t.id))
        )
        vetoes = todo._care_veto_reasons()
        by_reason = defaultdict(list)
        for touch_id, reason in vetoes.items():
            by_reason[reason].append(touch_id)
        for reason, touch_ids in by_reason.items():
            if reason == "invalid_phone":  # say which number, so that staff can correct it
                for touch in self.browse(touch_ids):
                    touch._mark_skipped(reason, touch._care_invalid_phone_message())
            else:
                self.browse(touch_ids)._mark_skipped(reason)
        to_run = todo.filtered(lambda t: t.id not in vetoes)
        for step in to_run.step_id:
            step_touches = to_run.filtered(lambda t, step=step: t.step_id == step)
            method = getattr(step_touches, f"_care_execute_{step.action}", None)
            try:
                with self.env.cr.savepoint():
                    if method is None:
                        raise NotImplementedError(self.env._("No way to carry out the action %s.", step.action))
                    method()
                    self.env.flush_all()
            except Exception as error:  # noqa: BLE001 - one broken step must not stop the others
                _logger.exception("Care: step %s failed", step.id)
                self.env.invalidate_all()
                step_touches._mark_failed(error, reason="error")
        leftover = self.filtered(lambda t: t.state == "planned")
        if leftover:
            leftover._mark_failed(self.env._("The action did not report a result."), reason="error")

    # The workflow writes with sudo: the state of a touch is not writable by hand (see write()).
    def _mark_done(self, **values):
        self.sudo().write({"state": "done", "reason": False, "date_done": fields.Datetime.now(), **values})

    def _mark_failed(self, error, reason="error"):
        self.sudo().write({"state": "failed", "reason": reason, "error_message": str(error)})

    def _mark_skipped(self, reason, error=False):
        if self:
            self.sudo().write({"state": "skipped", "reason": reason, "error_message": error and str(error)})

    # ------------------------------------------------------------------
    # Vetoes: contact pressure, opt-out, blacklist; other addons add theirs
    # ------------------------------------------------------------------

    @api.model
    def _care_contact_actions(self):
        """Actions that reach the customer: they honour opt-outs and, if their step says so, contact pressure."""
        return {"email", "sms", "activity", "survey"}

    @api.model
    def _care_email_actions(self):
        """Actions that send an email: they need an address that is not blacklisted."""
        return {"email", "survey"}

    def _care_veto_reasons(self):
        """{touch id: reason key} of the touches about to be executed that must be skipped instead.

        Touches are in execution order. The base vetoes opt-outs, blacklisted or missing addresses and
        contact pressure; an addon overrides it, calls super() and adds its own reasons (a selection_add
        on `reason`) for the touches not vetoed yet.
        """
        reasons = self._care_veto_recipient()
        reasons.update(self.filtered(lambda t: t.id not in reasons)._care_veto_contact())
        reasons.update(self.filtered(lambda t: t.id not in reasons)._care_veto_consent())
        pressured = self.filtered(
            lambda t: t.id not in reasons
            and t.step_id.respect_pressure
            and t.step_id.action in self._care_contact_actions()
        )
        reasons.update(pressured._care_veto_pressure())
        return reasons

    def _care_veto_recipient(self):
        """Re-check, at execution, whom each touch reaches (every action): the contact is still active and
        of the campaign's company (or of none), and an order's touch still has a confirmed order of the
        contact's commercial entity. Returns {touch id: reason key}."""
        reasons = {}
        for touch in self:
            partner = touch.partner_id.sudo()
            order = touch.order_id.sudo()
            if not partner.active:
                reasons[touch.id] = "archived"
            elif partner.company_id and partner.company_id != touch.company_id:
                reasons[touch.id] = "other_company"
            elif (order or touch.campaign_id.kind == "after_order") and order.state != "sale":
                reasons[touch.id] = "order_cancelled"
            elif order and order.partner_id.commercial_partner_id != partner.commercial_partner_id:
                reasons[touch.id] = "not_customer"
        return reasons

    def _care_veto_contact(self):
        reasons = {}
        contact_actions = self._care_contact_actions()
        email_actions = self._care_email_actions()
        touches = self.filtered(lambda t: t.step_id.action in contact_actions)
        if not touches:
            return reasons
        # Odoo's own blacklist flag (mail.thread.blacklist), computed for the whole batch at once.
        blacklisted = set(touches.partner_id.sudo().filtered("is_blacklisted").ids)
        # SMS: the number that would be texted (read live), and which of them Odoo's phone blacklist holds (one
        # query): the stored `phone_sanitized` behind `phone_sanitized_blacklisted` may be another form of the
        # number (computed without a country, or before `phonenumbers` was installed) and miss its entry.
        texted = touches.filtered(lambda t: t.step_id.action == "sms" and t.partner_id.phone)
        sms_numbers = {touch: touch._care_sms_number() for touch in texted}
        numbers = [number for number in sms_numbers.values() if number]
        blacklist = self.env["phone.blacklist"].sudo().search([("number", "in", numbers)]) if numbers else []
        blacklisted_numbers = {entry.number for entry in blacklist}
        for touch in touches:
            partner = touch.partner_id
            action = touch.step_id.action
            if partner.care_opt_out:
                reasons[touch.id] = "opt_out"
            elif action in email_actions and not partner.email_normalized:
                reasons[touch.id] = "no_email"
            elif action in email_actions and partner.id in blacklisted:
                reasons[touch.id] = "blacklisted"
            elif action == "sms" and not partner.phone:
                reasons[touch.id] = "no_phone"
            elif action == "sms" and not sms_numbers[touch]:
                # Odoo's phone validation finds no valid number: the SMS composer's `sms_number_format`, known
                # now rather than when the SMS service refuses it
                reasons[touch.id] = "invalid_phone"
            elif action == "sms" and (
                partner.sudo().phone_sanitized_blacklisted or sms_numbers[touch] in blacklisted_numbers
            ):
                reasons[touch.id] = "blacklisted"
        return reasons

    def _care_sms_number(self):
        """The number to text for this touch (str, E.164, e.g. "+8613800138000"), or False when its contact has
        none or Odoo's phone validation (phone_validation's `_phone_format`, as the SMS composer calls it: the
        contact's country, else the campaign company's) finds it invalid. Read live, not from the stored
        `phone_sanitized`, which may have been computed before the `phonenumbers` library was installed."""
        self.ensure_one()
        partner = self.partner_id.sudo().with_company(self.company_id)
        return partner._phone_format(fname="phone", force_format="E164") if partner.phone else False

    def _care_invalid_phone_message(self):
        """The translated reason (str) why this touch's SMS was not sent: its contact's phone number, which Odoo's
        phone validation finds invalid."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        return self.env._(
            "The phone number %(number)s of %(contact)s is not valid: the SMS was not sent. Correct the number on "
            "the contact.",
            number=partner.phone,
            contact=partner.display_name,
        )

    @api.model
    def _care_consent_channel_by_action(self):
        """{action: consent channel} of the actions that reach the customer on a channel: emails and surveys by
        email, SMS by SMS, activities (calls, visits) by phone. Internal actions (tags, salesperson,
        opportunity) need no consent; another addon adds its actions."""
        return {"email": "email", "survey": "email", "sms": "sms", "activity": "phone"}

    def _care_consent_channels(self):
        """{touch id: consent channel ("email", "sms", "phone")} of these touches that reach the customer on a
        channel; an addon whose action's channel depends on the step overrides it."""
        by_action = self._care_consent_channel_by_action()
        return {touch.id: by_action[touch.step_id.action] for touch in self if touch.step_id.action in by_action}

    def _care_veto_consent(self):
        """Marketing consent, per channel, for the touches of marketing campaigns (service campaigns are not
        concerned): a withdrawn consent skips the touch (`consent_withdrawn`); under the company's opt-in mode
        (care_consent_mode), a consent not given (unknown) skips it too (`consent_missing`). The contacts'
        current consents are read for the whole batch at once. Returns {touch id: reason key}."""
        marketing = self.filtered(lambda touch: touch.campaign_id.purpose == "marketing")
        channels = marketing._care_consent_channels()
        reasons = {}
        for touch in marketing.filtered(lambda touch: touch.id in channels):
            state = touch.partner_id.sudo()[f"consent_{channels[touch.id]}"]
            if state == "withdrawn":
                reasons[touch.id] = "consent_withdrawn"
            elif state != "given" and touch.company_id.sudo().care_consent_mode == "opt_in":
                reasons[touch.id] = "consent_missing"
        return reasons

    def _care_veto_pressure(self):
        """At most care_max_touches messages per care_window_days and care_min_gap_days between two."""
        if not self:
            return {}
        company = self.env["res.company"].browse(self.env.context.get("care_company_id")) or self.company_id[:1]
        company_today, tz = company._get_lifecycle_today()
        today = self.env.context.get("care_today") or company_today
        window_start = business_time.day_start_utc(tz, today - timedelta(days=company.care_window_days - 1))
        gap_start = business_time.day_start_utc(tz, today - timedelta(days=company.care_min_gap_days - 1))
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """SELECT t.partner_id, COUNT(*) FILTER (WHERE t.date_done >= %(window)s), MAX(t.date_done)
                     FROM crm_care_touch t
                     JOIN crm_care_step s ON s.id = t.step_id
                    WHERE t.state = 'done' AND t.partner_id IN %(partners)s AND s.respect_pressure
                      AND s.action IN %(actions)s AND t.date_done >= LEAST(%(window)s, %(gap)s)
                    GROUP BY t.partner_id""",
                window=window_start,
                gap=gap_start,
                partners=tuple(self.partner_id.ids),
                actions=tuple(self._care_contact_actions()),
            )
        )
        count = {partner_id: number for partner_id, number, __ in rows}
        last = {partner_id: moment for partner_id, __, moment in rows}
        reasons = {}
        now = fields.Datetime.now()
        for touch in self:
            partner_id = touch.partner_id.id
            if count.get(partner_id, 0) >= company.care_max_touches:
                reasons[touch.id] = "pressure_max"
            elif last.get(partner_id) and last[partner_id] >= gap_start:
                reasons[touch.id] = "pressure_gap"
            else:
                count[partner_id] = count.get(partner_id, 0) + 1
                last[partner_id] = now
        return reasons

    # ------------------------------------------------------------------
    # Actions: _care_execute_<action> runs on the due touches of one step
    # ------------------------------------------------------------------

    def _care_execute_email(self):
        template = self.step_id.mail_template_id.sudo()
        if len(self) != len(self.partner_id):  # a contact twice in the batch: one mail per touch
            self._care_send_emails_one_by_one(template)
            return
        try:
            with self.env.cr.savepoint():
                mails = template.send_mail_batch(self.partner_id.ids)
        except Exception:  # noqa: BLE001 - find the touches whose rendering fails, send the others
            self._care_send_emails_one_by_one(template)
            return
        by_partner = {mail.res_id: mail for mail in mails}
        for touch in self:
            touch._mark_done(mail_message_id=by_partner[touch.partner_id.id].mail_message_id.id)

    def _care_send_emails_one_by_one(self, template):
        for touch in self:
            try:
                with self.env.cr.savepoint():
                    mail = template.send_mail_batch(touch.partner_id.ids)
            except Exception as error:  # noqa: BLE001 - isolate the touch whose rendering fails
                touch._mark_failed(error, reason="render_error")
                continue
            touch._mark_done(mail_message_id=mail.mail_message_id.id)

    def _care_execute_sms(self):
        template = self.step_id.sms_template_id.sudo()
        bodies = {}
        try:
            with self.env.cr.savepoint():
                bodies = template._render_field("body", self.partner_id.ids, compute_lang=True)
        except Exception:  # noqa: BLE001 - render one by one to isolate the failing contacts
            for partner in self.partner_id:
                try:
                    bodies.update(template._render_field("body", partner.ids, compute_lang=True))
                except Exception as error:  # noqa: BLE001
                    self.filtered(lambda t, partner=partner: t.partner_id == partner)._mark_failed(
                        error, reason="render_error"
                    )
        touches = list(self.filtered(lambda t: t.partner_id.id in bodies))
        # invalid and missing numbers were vetoed (`_care_veto_contact`)
        numbers = {touch: touch._care_sms_number() for touch in touches}
        messages = (
            self.env["sms.sms"]
            .sudo()
            .create(
                [
                    {
                        "partner_id": touch.partner_id.id,
                        # the number Odoo's phone validation formatted (E.164)
                        "number": numbers[touch],
                        "body": bodies[touch.partner_id.id],
                    }
                    for touch in touches
                ]
            )
        )
        # Done once queued (it counts for pressure); the SMS service's refusal turns it failed (sms.sms).
        for touch, message in zip(touches, messages, strict=True):
            touch._mark_done(sms_uuid=message.uuid)

    @api.model
    def _care_sms_failed(self, messages):
        """The SMS service refused these sms.sms (state error): their touches turn failed with the reason,
        so they no longer count for contact pressure and the campaign shows the failure."""
        messages = messages.filtered(lambda sms: sms.state == "error" and sms.uuid)
        if not messages:
            return self
        touches = self.sudo().search([("sms_uuid", "in", messages.mapped("uuid")), ("state", "=", "done")])
        failure_types = dict(messages._fields["failure_type"]._description_selection(self.env))
        by_uuid = {sms.uuid: sms for sms in messages}
        for touch in touches:
            failure = by_uuid[touch.sms_uuid].failure_type
            message = self.env._("The SMS service refused the SMS: %s", failure_types.get(failure) or failure or "-")
            touch.sudo().write({"state": "failed", "reason": "sms_error", "error_message": message, "date_done": False})
        return touches

    def _care_execute_activity(self):
        step = self.step_id
        company = self.company_id[:1] or self.env.company
        today = self.env.context.get("care_today") or company._get_lifecycle_today()[0]
        model_id = self.env["ir.model"]._get_id("res.partner")
        touches = list(self)
        users = [touch._care_get_assignee(responsible=step.user_id) for touch in touches]
        activities = (
            self.env["mail.activity"]
            .sudo()
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": touch.partner_id.id,
                        "activity_type_id": step.activity_type_id.id,
                        "summary": touch._care_work_title(user),
                        "user_id": user.id,
                        "date_deadline": today,
                    }
                    for touch, user in zip(touches, users, strict=True)
                ]
            )
        )
        for touch, activity in zip(touches, activities, strict=True):
            touch._mark_done(activity_id=activity.id)

    def _care_work_title(self, user):
        """Title of the activity or opportunity this touch gives `user` (res.users, maybe empty): the step's
        summary, else the campaign's name, in the user's language (the nightly job has none)."""
        self.ensure_one()
        touch = self.with_context(lang=user.lang)
        return touch.step_id.activity_summary or touch.campaign_id.name

    def _care_execute_add_tag(self):
        self.partner_id.write({"category_id": [Command.link(self.step_id.tag_id.id)]})
        self._mark_done()

    def _care_execute_remove_tag(self):
        self.partner_id.write({"category_id": [Command.unlink(self.step_id.tag_id.id)]})
        self._mark_done()

    def _care_execute_assign_salesperson(self):
        """The step's user becomes the salesperson; if that user left (archived, not in the company), the
        assignment chain decides (the contact's current salesperson stays if still here)."""
        for touch in self:
            user = touch._care_get_assignee(named=touch.step_id.user_id)
            if user != touch.partner_id.user_id:
                touch.partner_id.write({"user_id": user.id})
        self._mark_done()

    def _care_execute_create_opportunity(self):
        step = self.step_id
        touches = list(self)
        users = [touch._care_get_assignee(named=step.user_id) for touch in touches]
        leads = (
            self.env["crm.lead"]
            .sudo()
            .create(
                [
                    {
                        "name": f"{touch._care_work_title(user)} - {touch.partner_id.display_name}",
                        "type": "opportunity",
                        "partner_id": touch.partner_id.id,
                        "user_id": user.id,
                        "company_id": touch.company_id.id,
                    }
                    for touch, user in zip(touches, users, strict=True)
                ]
            )
        )
        for touch, lead in zip(touches, leads, strict=True):
            touch._mark_done(lead_id=lead.id)

    def _care_execute_survey(self):
        """A fresh invitation (survey.user_input) per touch, mailed from the campaign's company.

        A closed (archived) survey sends nothing: its touches are skipped (`survey_closed`); a survey
        Odoo refuses to send (no question...) fails its touches with Odoo's message; a survey requiring a login
        (without external signup) fails the touches of contacts without a user account.
        """
        survey = self.step_id.survey_id.sudo()
        try:
            survey.check_validity()
        except UserError as error:
            if survey.active:
                self._mark_failed(error.args[0], reason="error")
            else:
                self._mark_skipped("survey_closed", error.args[0])
            return
        if survey.users_login_required and not survey.users_can_signup:
            # as Odoo's invitation wizard: a contact without a user account could not open the survey
            no_account = self.filtered(lambda touch: not touch.partner_id.sudo().user_ids)
            for touch in no_account:
                touch._mark_failed(
                    self.env._(
                        "The survey %(survey)s requires a login and %(contact)s has no user account: give the "
                        "contact a portal account or allow external signup.",
                        survey=survey.title,
                        contact=touch.partner_id.display_name,
                    )
                )
            self -= no_account
            if not self:
                return
        template = self.env.ref("survey.mail_template_user_input_invite", raise_if_not_found=False)
        company = self.env.company
        # the invitation in each customer's language (the customer language rule, tools/customer_lang.py)
        for lang, touches in self.grouped(lambda t: customer_lang(t.partner_id, company)).items():
            invite = (
                self.env["survey.invite"]
                .sudo()
                .with_context(lang=lang)
                .create(
                    {
                        "survey_id": survey.id,
                        "partner_ids": [Command.set(touches.partner_id.ids)],
                        "template_id": template.id if template else False,
                        "author_id": company.partner_id.id,
                        # One new invitation per touch: an answer to an earlier one is never sent again.
                        "existing_mode": "new",
                    }
                )
            )
            for touch in touches:
                try:
                    with self.env.cr.savepoint():
                        answer = survey._create_answer(
                            partner=touch.partner_id, check_attempts=False, **invite._get_answers_values()
                        )
                        mail = invite._send_mail(answer)
                        if company.email:
                            mail.email_from = company.email_formatted
                except Exception as error:  # noqa: BLE001 - one contact's failure must not stop the others
                    touch._mark_failed(error, reason="error")
                    continue
                touch._mark_done(mail_message_id=mail.mail_message_id.id, survey_user_input_id=answer.id)

    def _care_get_assignee(self, named=None, responsible=None):
        """The user this touch's work goes to, along CRM Care's assignment chain (res.users.
        _crm_care_get_assignee): the `named` user (the step's user of an opportunity or a salesperson
        assignment), the contact's salesperson, the step's `responsible` user, the campaign's responsible,
        the salesperson's sales team leader, then Customer Care managers; the first one who is active,
        internal and allowed in the touch's company. Empty when nobody is."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        salesperson = partner.user_id or partner.commercial_partner_id.user_id
        return self.env["res.users"]._crm_care_get_assignee(
            self.company_id,
            named,
            salesperson,
            responsible,
            self.campaign_id.sudo().user_id,
            salesperson._crm_care_get_sales_team_leader(),
        )

    # ------------------------------------------------------------------
    # Orders
    # ------------------------------------------------------------------

    @api.model
    def _retire_planned(self, column, ids):
        """Retiring (archiving) a campaign or a step skips its planned touches with the reason `retired`:
        no message is sent for them, even if the campaign or step is restored later (planning then
        resumes with the next days). column: "campaign_id" or "step_id"; ids: the retired records' ids.
        One set-based UPDATE, whatever the number of touches; returns how many were retired."""
        if not ids:
            return 0
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """UPDATE crm_care_touch
                      SET state = 'skipped', reason = 'retired', write_uid = %(uid)s,
                          write_date = NOW() AT TIME ZONE 'UTC'
                    WHERE state = 'planned' AND %(column)s IN %(ids)s""",
                uid=self.env.uid,
                column=SQL.identifier(column),
                ids=tuple(ids),
            )
        )
        retired = self.env.cr.rowcount
        self.invalidate_model(["state", "reason", "write_uid", "write_date"])
        return retired

    @api.model
    def _cancel_for_orders(self, orders):
        """A cancelled order cancels its planned touches (kept, skipped with the reason). Confirmed again,
        the order plans them again (crm.care.campaign._insert_touches)."""
        touches = self.sudo().search([("order_id", "in", orders.ids), ("state", "=", "planned")])
        touches._mark_skipped("order_cancelled")
        return touches
