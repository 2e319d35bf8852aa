import ast
import logging
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval
from odoo.tools.sql import column_exists, create_column, table_exists

_logger = logging.getLogger(__name__)


class CrmSegment(models.Model):
    """A group of customers defined by a contacts domain, with materialised membership.

    Refreshing a segment inserts the partners that entered (date_entered = today) and closes the
    memberships of those that left (date_left = today) in two set-based statements: campaigns and
    automations read "entered" and "left" events from crm.segment.member.

    A segment is always evaluated in one fixed context, whoever triggers the refresh (the Refresh button,
    the nightly job, a campaign): as its owner (`user_id`), with the owner's access rights (record rules and
    field groups), `uid` / `user` in the domain meaning the owner, the segment's company (else the owner's
    companies) as the allowed companies, and "today" the date of that company (`_get_lifecycle_today`).
    """

    _name = "crm.segment"
    _description = "Customer Segment"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    color = fields.Integer()
    domain = fields.Char(
        required=True,
        default="[]",
        help="Which contacts belong to the segment. Dates can be relative, e.g. "
        "(context_today() - relativedelta(months=3)).strftime('%Y-%m-%d').",
    )
    member_ids = fields.One2many(
        "crm.segment.member",
        "segment_id",
        string="Members",
        domain=[("date_left", "=", False)],
        readonly=True,
    )
    member_count = fields.Integer(readonly=True, copy=False)
    preview_count = fields.Integer(
        string="Matching Now", compute="_compute_preview_count", help="Contacts matching the domain right now."
    )
    date_refreshed = fields.Datetime(string="Last Refresh", readonly=True, copy=False)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        index=True,
        check_company=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        help="The segment is evaluated as this user, by the Refresh button and by the nightly refresh alike: "
        "with the owner's access rights, uid and user in the conditions meaning the owner, the segment's company "
        "(else the owner's companies) and the date of that company.",
    )

    def _auto_init(self):
        # Segments made before owners existed belong to their creator (else OdooBot, evaluated as before).
        if table_exists(self.env.cr, "crm_segment") and not column_exists(self.env.cr, "crm_segment", "user_id"):
            create_column(self.env.cr, "crm_segment", "user_id", "int4")
            self.env.cr.execute(SQL("UPDATE crm_segment SET user_id = COALESCE(create_uid, %s)", SUPERUSER_ID))
        return super()._auto_init()

    # ------------------------------------------------------------------
    # Domain
    # ------------------------------------------------------------------

    def _get_eval_env(self):
        """The environment the segment is evaluated in: its owner, not the user or job refreshing it.

        Not a copy of the caller's context: the allowed companies are the segment's company (else every
        company of the owner), the language and time zone the owner's, so the button and the nightly job
        give the same members.
        """
        self.ensure_one()
        owner = self.user_id or self.env.ref("base.user_root")
        companies = self.company_id or owner.company_ids
        if companies - owner.sudo().company_ids:
            # the owner left the segment's company after the segment was saved (else refused by check_company)
            raise UserError(
                self.env._(
                    "Segment %(segment)s is evaluated as its owner %(owner)s, who no longer works in %(company)s: "
                    "choose another owner.",
                    segment=self.display_name,
                    owner=owner.display_name,
                    company=self.company_id.display_name,
                )
            )
        return self.env(
            user=owner,
            su=False,
            context={"lang": owner.lang, "tz": owner.tz, "allowed_company_ids": companies.ids},
        )

    def _get_today(self):
        """The segment's "today": the date of its company (else of its owner's company)."""
        self.ensure_one()
        owner = self.user_id or self.env.ref("base.user_root")
        return (self.company_id or owner.sudo().company_id)._get_lifecycle_today()[0]

    def _get_domain_eval_context(self):
        """Names the domain may use: context_today() (the segment's today), datetime, timedelta,
        relativedelta, uid and user (the owner)."""
        self.ensure_one()
        env = self._get_eval_env()
        today = self._get_today()
        return {
            "context_today": lambda: today,
            "datetime": datetime,
            "timedelta": timedelta,
            "relativedelta": relativedelta,
            "uid": env.uid,
            "user": env.user,
        }

    def _get_partner_domain(self):
        """The segment's domain as a Domain, plus the company restriction."""
        self.ensure_one()
        domain = Domain(safe_eval(self.domain or "[]", self._get_domain_eval_context()))
        if self.company_id:
            domain &= Domain("company_id", "in", [self.company_id.id, False])
        return domain

    def _search_partners(self):
        """Query of the contacts matching the segment, searched as its owner (`_get_eval_env`).

        Raises AccessError when the owner may not search a field of the domain (field groups) and
        ValueError for an invalid domain.
        """
        self.ensure_one()
        return self._get_eval_env()["res.partner"]._search(self._get_partner_domain())

    @api.depends("domain", "company_id", "user_id")
    def _compute_preview_count(self):
        for segment in self:
            try:
                with self.env.cr.savepoint(flush=False):
                    segment.preview_count = segment._get_eval_env()["res.partner"].search_count(
                        segment._get_partner_domain()
                    )
            except Exception:  # noqa: BLE001 - an invalid domain being typed shows no count
                segment.preview_count = 0

    @api.constrains("domain", "user_id", "company_id")
    def _check_domain(self):
        for segment in self:
            if segment.company_id and segment.company_id not in segment.user_id.sudo().company_ids:
                continue  # an owner outside the segment's company is refused by the company check
            try:
                ast.parse(segment.domain or "[]", mode="eval")
                with self.env.cr.savepoint():
                    segment._get_eval_env()["res.partner"].search_count(segment._get_partner_domain(), limit=1)
            except AccessError as error:
                raise ValidationError(
                    self.env._(
                        "The conditions of segment %(segment)s use data its owner %(owner)s may not search, and the "
                        "segment is evaluated as its owner: %(error)s",
                        segment=segment.name,
                        owner=segment.user_id.display_name,
                        error=error.args[0],
                    )
                ) from error
            except Exception as error:  # noqa: BLE001 - any parse or execution error refuses the domain
                raise ValidationError(
                    self.env._(
                        "The conditions of segment %(segment)s are not valid: %(error)s",
                        segment=segment.name,
                        error=error,
                    )
                ) from error

    # ------------------------------------------------------------------
    # Membership
    # ------------------------------------------------------------------

    def write(self, vals):
        retiring = self.filtered("active") if vals.get("active") is False else self.browse()
        result = super().write(vals)
        if retiring:
            retiring._retire()
        return result

    def action_refresh(self):
        if self.filtered(lambda segment: not segment.active):
            raise UserError(self.env._("An archived segment is not refreshed: restore it first."))
        self._refresh_members()
        return True

    def action_view_members(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Members of %s", self.name),
            "res_model": "res.partner",
            "view_mode": "list,kanban,form",
            "views": [
                (self.env.ref("crm_lifecycle.res_partner_view_list").id, "list"),
                (self.env.ref("crm_lifecycle.res_partner_view_kanban").id, "kanban"),
                (False, "form"),
            ],
            "domain": [("segment_ids", "in", self.ids)],
        }

    def _retire(self):
        """Archiving a segment retires it: its open stays end today and the campaigns whose audience it is are
        archived with it, marked as planned up to today, so that no exit (or any other) touch is planned for
        the ending stays, now or when a campaign is restored. Called by write(active=False)."""
        Campaign = self.env["crm.care.campaign"].sudo()
        for segment in self:
            today = segment._get_today()
            self.env.execute_query(
                SQL(
                    "UPDATE crm_segment_member SET date_left = %s WHERE segment_id = %s AND date_left IS NULL",
                    today,
                    segment.id,
                )
            )
            campaigns = Campaign.search([("segment_id", "=", segment.id)])
            for campaign in campaigns:
                campaign.message_post(
                    body=self.env._("Archived with its segment %(segment)s.", segment=segment.display_name)
                )
            campaigns.write({"active": False, "date_last_planned": today})
            segment.member_count = 0
        self.env["crm.segment.member"].invalidate_model()

    def _refresh_members(self):
        """Materialise membership; returns {segment id: (entered partner ids, left partner ids)}.

        Each segment is evaluated as its owner (`_get_eval_env`), whoever calls this. Archived segments are
        left as they are (their stays ended when they were archived).
        """
        events = {}
        self.env.flush_all()
        for segment in self.filtered("active"):
            today = segment._get_today()
            matching = segment._search_partners().subselect()
            entered = self.env.execute_query(
                SQL(
                    """INSERT INTO crm_segment_member (segment_id, partner_id, date_entered)
                       SELECT %(segment)s, id, %(today)s FROM res_partner WHERE id IN %(matching)s
                       ON CONFLICT (segment_id, partner_id) WHERE date_left IS NULL DO NOTHING
                       RETURNING partner_id""",
                    segment=segment.id,
                    matching=matching,
                    today=today,
                )
            )
            left = self.env.execute_query(
                SQL(
                    """UPDATE crm_segment_member SET date_left = %(today)s
                        WHERE segment_id = %(segment)s AND date_left IS NULL
                          AND partner_id NOT IN %(matching)s
                       RETURNING partner_id""",
                    today=today,
                    segment=segment.id,
                    matching=matching,
                )
            )
            count = self.env.execute_query(
                SQL(
                    "SELECT COUNT(*) FROM crm_segment_member WHERE segment_id = %s AND date_left IS NULL",
                    segment.id,
                )
            )[0][0]
            segment.write({"member_count": count, "date_refreshed": fields.Datetime.now()})
            events[segment.id] = ([row[0] for row in entered], [row[0] for row in left])
        self.env["crm.segment.member"].invalidate_model()
        return events

    @api.model
    def _cron_refresh_segments(self):
        """Refresh every active segment, each as its owner; one that fails (its owner lost a right its domain
        needs, a field was removed) is logged and keeps its members, the others go on."""
        # All of them on purpose: a few dozen segments.
        segments = self.search([])  # pylint: disable=no-search-all
        self.env["ir.cron"]._commit_progress(remaining=len(segments))
        for segment in segments:
            try:
                with self.env.cr.savepoint():
                    segment._refresh_members()
            except Exception:  # noqa: BLE001 - a broken segment must not stop the others
                _logger.exception("Segments: could not refresh segment %s", segment.id)
            # Each segment committed, all of them in this call even past the runner's time budget: a call of
            # Odoo's cron runner begins again with the first segment, so stopping at the budget (10 s) would
            # refresh the first segments again and again and never reach the last ones.
            self.env["ir.cron"]._commit_progress(1)
