import ast
from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools import SQL
from odoo.tools.safe_eval import safe_eval


class CrmSegment(models.Model):
    """A group of customers defined by a contacts domain, with materialised membership.

    Refreshing a segment inserts the partners that entered (date_entered = today) and closes the
    memberships of those that left (date_left = today) in two set-based statements: campaigns and
    automations read "entered" and "left" events from crm.segment.member.
    """

    _name = "crm.segment"
    _description = "Customer Segment"
    _order = "sequence, name, id"

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

    # ------------------------------------------------------------------
    # Domain
    # ------------------------------------------------------------------

    @api.model
    def _get_domain_eval_context(self):
        today = (self.company_id[:1] or self.env.company)._get_lifecycle_today()[0]
        return {
            "context_today": lambda: today,
            "datetime": datetime,
            "timedelta": timedelta,
            "relativedelta": relativedelta,
            "uid": self.env.uid,
            "user": self.env.user,
        }

    def _get_partner_domain(self):
        """The segment's domain as a Domain, plus the company restriction."""
        self.ensure_one()
        domain = Domain(safe_eval(self.domain or "[]", self._get_domain_eval_context()))
        if self.company_id:
            domain &= Domain("company_id", "in", [self.company_id.id, False])
        return domain

    @api.depends("domain", "company_id")
    def _compute_preview_count(self):
        for segment in self:
            try:
                segment.preview_count = self.env["res.partner"].sudo().search_count(segment._get_partner_domain())
            except Exception:  # noqa: BLE001 - an invalid domain being typed shows no count
                segment.preview_count = 0

    @api.constrains("domain")
    def _check_domain(self):
        for segment in self:
            try:
                ast.parse(segment.domain or "[]", mode="eval")
                domain = segment._get_partner_domain()
                with self.env.cr.savepoint():
                    self.env["res.partner"].sudo().search_count(domain, limit=1)
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

    def action_refresh(self):
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

    def _refresh_members(self):
        """Materialise membership; returns {segment id: (entered partner ids, left partner ids)}."""
        events = {}
        self.env.flush_all()
        for segment in self:
            today = (segment.company_id or self.env.company)._get_lifecycle_today()[0]
            query = self.env["res.partner"].sudo()._search(segment._get_partner_domain())
            matching = query.subselect()
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
        # All of them on purpose: a few dozen segments.
        segments = self.search([])  # pylint: disable=no-search-all
        self.env["ir.cron"]._commit_progress(remaining=len(segments))
        for segment in segments:
            segment._refresh_members()
            if not self.env["ir.cron"]._commit_progress(1):
                break
