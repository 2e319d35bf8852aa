import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools import business_time
from .crm_batch_run import _assignments, _differs
from .res_partner import CONTACT_COLUMNS

_logger = logging.getLogger(__name__)

NPS_CATEGORIES = [("promoter", "Promoter"), ("passive", "Passive"), ("detractor", "Detractor")]
# Copied from the commercial entity onto its contacts, like the lifecycle values.
VOICE_COLUMNS = (
    "satisfaction_score",
    "satisfaction_count",
    "nps_score",
    "nps_category",
    "date_last_feedback",
    "churn_reason_id",
    "churn_reason_note",
)
SATISFACTION_COLUMNS = VOICE_COLUMNS[:5]
CHURN_FIELDS = {"churn_reason_id", "churn_reason_note"}
SATISFACTION_WINDOW_DAYS = 365
SATISFIED_SCORE = 70  # a satisfaction score from this one (0-100) is a satisfied customer
TRAP_STAGES = ("at_risk", "churned")  # stages where a satisfied customer falls into the satisfaction trap


# One file per feature of CRM Care's customer: the voice of the customer apart from the lifecycle values.
class ResPartner(models.Model):
    """Voice of the customer on the customer (commercial entity, copied to its contacts).

    Feedback, each mapped to 0-100:

    * a complaint rating (rating.rating of a model of `_get_satisfaction_rating_models`, filled by the
      customer): 1 to 5 mapped linearly, ``(rating - 1) * 25`` (1 = 0, 3 = 50, 5 = 100);
    * a completed survey answer linked to a care touch: the average of its scale answers, each mapped
      linearly from the question's scale, ``(value - scale_min) * 100 / (scale_max - scale_min)`` (the NPS
      question 0-10: value x 10). An answer without scale question gives no satisfaction value.
    """

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    satisfaction_score = fields.Float(
        string="Satisfaction",
        digits=(5, 1),
        readonly=True,
        copy=False,
        aggregator="avg",
        groups="crm_lifecycle.group_crm_care_user",
        help="0-100: average of the customer's feedback of the last 365 days (business days of the company): "
        "complaint ratings (1-5 stars: (rating - 1) x 25) and satisfaction survey answers of care campaigns "
        "(scale answers mapped onto 0-100, NPS 0-10: x 10). 0 with no feedback: see Feedback Count.",
    )
    satisfaction_count = fields.Integer(
        string="Feedback Count",
        readonly=True,
        copy=False,
        aggregator="sum",
        groups="crm_lifecycle.group_crm_care_user",
        help="Number of ratings and survey answers of the last 365 days in the satisfaction score.",
    )
    nps_score = fields.Integer(
        string="NPS Answer",
        readonly=True,
        copy=False,
        aggregator="avg",
        groups="crm_lifecycle.group_crm_care_user",
        help="0-10: the customer's last answer to the NPS question (\"How likely are you to recommend us?\"); "
        "meaningful only with an NPS category.",
    )
    nps_category = fields.Selection(
        NPS_CATEGORIES,
        string="NPS Category",
        readonly=True,
        copy=False,
        index=True,
        groups="crm_lifecycle.group_crm_care_user",
        help="From the last NPS answer: Promoter 9-10, Passive 7-8, Detractor 0-6; empty without an answer.",
    )
    date_last_feedback = fields.Date(
        string="Last Feedback",
        readonly=True,
        copy=False,
        groups="crm_lifecycle.group_crm_care_user",
        help="Day (company's business time zone) of the customer's last rating or survey answer.",
    )
    churn_reason_id = fields.Many2one(
        "crm.churn.reason",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        tracking=True,
        groups="crm_lifecycle.group_crm_care_user",
        help="Why the customer left: set when a Customer Care manager marks the customer lost; cleared when the "
        "customer leaves the Churned stage (the stage history keeps it).",
    )
    churn_reason_note = fields.Text(readonly=True, copy=False, groups="crm_lifecycle.group_crm_care_user")
    is_satisfaction_trap = fields.Boolean(
        string="Satisfaction Trap",
        compute="_compute_is_satisfaction_trap",
        search="_search_is_satisfaction_trap",
        groups="crm_lifecycle.group_crm_care_user",
        help="Satisfied (satisfaction 70 or more, with feedback of the last 365 days) yet At Risk or Churned: "
        "satisfied is not loyal.",
    )

    @api.depends("satisfaction_score", "satisfaction_count", "lifecycle_stage_id")
    def _compute_is_satisfaction_trap(self):
        for partner in self:
            partner.is_satisfaction_trap = (
                partner.satisfaction_count > 0
                and partner.satisfaction_score >= SATISFIED_SCORE
                and partner.lifecycle_stage_id.code in TRAP_STAGES
            )

    def _search_is_satisfaction_trap(self, operator, value):
        if operator not in ("in", "not in"):
            return NotImplemented
        trap = Domain(
            [
                ("satisfaction_count", ">", 0),
                ("satisfaction_score", ">=", SATISFIED_SCORE),
                ("lifecycle_stage_id.code", "in", list(TRAP_STAGES)),
            ]
        )
        return trap if (operator == "in") == (True in value) else ~trap

    @api.constrains("churn_reason_id")
    def _check_churn_reason_churned(self):
        if self.env.context.get("crm_care_merge_values"):
            return  # Odoo's merge copies the duplicates' values; the merge settles the reason after it
        for partner in self.filtered("churn_reason_id"):
            if partner.commercial_partner_id.lifecycle_stage_id.code != "churned":
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not churned: a churn reason can only be given to a customer in the "
                        "Churned stage (use Mark as Lost).",
                        partner=partner.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get(name) for vals in vals_list for name in CHURN_FIELDS):
            self._check_churn_reason_access()
        return super().create(vals_list)

    def write(self, vals):
        if CHURN_FIELDS & vals.keys():
            self._check_churn_reason_access()
        if vals.get("lifecycle_stage_id") and "churn_reason_id" not in vals:
            stage = self.env["crm.lifecycle.stage"].browse(vals["lifecycle_stage_id"])
            if stage.code != "churned" and any(self.sudo().mapped("churn_reason_id")):
                # Leaving Churned (won back, a manager's new stage): the reason stays in the stage history only.
                vals = {**vals, "churn_reason_id": False, "churn_reason_note": False}
        result = super().write(vals)
        if CHURN_FIELDS & vals.keys():
            self._crm_care_sync_contacts(tuple(CHURN_FIELDS), self.commercial_partner_id.ids)
        return result

    def _check_churn_reason_access(self):
        """The churn reason is given by a Customer Care manager (Mark as Lost) or cleared by a stage move."""
        if not self.env.su and not self.env.user.has_group("crm_lifecycle.group_crm_care_manager"):
            raise AccessError(self.env._("Only Customer Care managers can record why a customer left."))

    def action_mark_lost(self):
        """Button "Mark as Lost": the wizard that locks the customer in Churned with a churn reason."""
        self._check_lifecycle_manager()
        partner = self.commercial_partner_id[:1]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Mark as Lost"),
            "res_model": "crm.lifecycle.lost.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": partner.id},
        }

    def _crm_care_record_churn_reason(self, reason, note=False, source="lost"):
        """Record why this customer left: `reason` (crm.churn.reason) and `note` (text) on the customer (commercial
        entity, copied to its contacts) and on its stage history: on the line of its last move to Churned when that
        line has no reason yet, else on a line of its own (Churned to Churned), so an earlier reason is kept.

        source: where it comes from, kept on the history line: 'lost' (Mark as Lost), 'win_back_call' (the outcome
        of a care call), 'exit_survey' (the customer's answer). Raises ValidationError when the customer is not in
        the Churned stage; the caller checks the user's rights (this writes as the current user).
        """
        self.ensure_one()
        partner = self.commercial_partner_id
        churned = self.env.ref("crm_lifecycle.stage_churned")
        partner.write({"churn_reason_id": reason.id, "churn_reason_note": note or False})
        values = {"churn_reason_id": reason.id, "churn_reason_note": note or False, "churn_reason_source": source}
        History = self.env["crm.lifecycle.history"]
        line = History.search([("partner_id", "=", partner.id), ("to_stage_id", "=", churned.id)], limit=1)
        if line and not line.churn_reason_id:
            line.write(values)
            return line
        return History.create(
            {
                "partner_id": partner.id,
                "from_stage_id": churned.id if line else partner.lifecycle_stage_id.id,
                "to_stage_id": churned.id,
                "reason": "manual",
                **values,
            }
        )

    def _crm_care_settle_voice_after_merge(self):
        """After a merge of contacts into these survivors (commercial entities): their satisfaction and NPS from
        all the merged feedback, and no churn reason left on a survivor who is not churned (Odoo's merge copies
        a duplicate's reason; the duplicate's stage history keeps it)."""
        not_churned = self.filtered(lambda p: p.churn_reason_id and p.lifecycle_stage_id.code != "churned")
        not_churned.write({"churn_reason_id": False, "churn_reason_note": False})
        self._crm_care_refresh_satisfaction(self.ids)

    # ------------------------------------------------------------------
    # Satisfaction and NPS (set-based)
    # ------------------------------------------------------------------

    @api.model
    def _get_satisfaction_rating_models(self):
        """Models (names) whose customer ratings (rating.rating) count as feedback; read generically by
        res_model, so that crm_lifecycle does not depend on the addons that rate (crm_complaints)."""
        return ["crm.complaint"]

    @api.model
    def _get_feedback_sql(self):
        """SQL of every feedback item: (partner_id: commercial entity, moment: naive UTC datetime, score: 0-100
        or NULL, nps: 0-10 or NULL, key: unique text, kind: 'rating' or 'survey'). One row per rating and per
        survey answer, whatever the number of touches an answer is linked to."""
        models_ = tuple(self._get_satisfaction_rating_models()) or ("",)
        return SQL(
            """
            SELECT rp.commercial_partner_id AS partner_id, COALESCE(r.rated_on, r.write_date) AS moment,
                   (r.rating - 1) * 25.0 AS score, NULL::int AS nps, 'r' || LPAD(r.id::text, 12, '0') AS key,
                   'rating' AS kind
              FROM rating_rating r
              JOIN res_partner rp ON rp.id = r.partner_id
             WHERE r.res_model IN %(models)s AND r.consumed AND r.rating BETWEEN 1 AND 5
            UNION ALL
            SELECT a.partner_id, a.moment, a.score, a.nps, a.key, 'survey' AS kind
              FROM (
                SELECT DISTINCT ON (ui.id)
                       tp.commercial_partner_id AS partner_id, ui.end_datetime AS moment, s.score, s.nps,
                       'u' || LPAD(ui.id::text, 12, '0') AS key
                  FROM survey_user_input ui
                  JOIN crm_care_touch t ON t.survey_user_input_id = ui.id
                  JOIN res_partner tp ON tp.id = t.partner_id
                  JOIN LATERAL (
                       SELECT AVG((l.value_scale - q.scale_min) * 100.0 / NULLIF(q.scale_max - q.scale_min, 0))
                                  AS score,
                              MAX(l.value_scale) FILTER (WHERE q.is_nps) AS nps
                         FROM survey_user_input_line l
                         JOIN survey_question q ON q.id = l.question_id
                        WHERE l.user_input_id = ui.id AND l.answer_type = 'scale' AND NOT COALESCE(l.skipped, FALSE)
                          AND l.value_scale BETWEEN q.scale_min AND q.scale_max
                          AND (NOT COALESCE(q.is_nps, FALSE) OR l.value_scale BETWEEN 0 AND 10)
                       ) s ON s.score IS NOT NULL
                 WHERE ui.state = 'done' AND ui.end_datetime IS NOT NULL
                 ORDER BY ui.id, t.id
              ) a
            """,
            models=models_,
        )

    @api.model
    def _crm_care_refresh_satisfaction(self, partner_ids=None, sync_contacts=True):
        """Recompute satisfaction_score, satisfaction_count, nps_score, nps_category and date_last_feedback of
        the commercial entities of `partner_ids` (ids of any partners), or of every customer with feedback or
        feedback values (None: the nightly run), in one statement; then copy them onto their contacts.

        The 365-day window and the day of the last feedback follow each customer's company's Business Time
        Zone (the main company's for customers without company). Returns the number of customers changed.

        sync_contacts: copy the values onto the contacts (of the customers changed; of every customer in the
        nightly run); False when the caller copies them itself (the nightly run, with the lifecycle values).
        """
        if partner_ids is not None:
            partner_ids = self.browse(partner_ids).exists().commercial_partner_id.ids
            if not partner_ids:
                return 0
        main_company = self.env["res.company"]._get_crm_care_main_company()
        windows = {}  # company id: (time zone, UTC start of the 365-day window)
        # All of them on purpose: a few companies.
        for company in self.env["res.company"].sudo().with_context(active_test=False).search([]):  # pylint: disable=no-search-all
            today, tz = company._get_lifecycle_today()
            windows[company.id] = (
                tz,
                business_time.day_start_utc(tz, today - timedelta(days=SATISFACTION_WINDOW_DAYS - 1)),
            )
        if len(set(windows.values())) == 1:
            # One window for all (one company, or companies of one time zone): no need to read each customer's company.
            ((tz, start),) = set(windows.values())
            window_from = SQL()
            window_start, window_tz = SQL("%s::timestamp", start), SQL("%s::varchar", tz)
        else:
            config = SQL(", ").join(
                SQL("(%s, %s, %s::timestamp)", cid, tz, start) for cid, (tz, start) in windows.items()
            )
            window_from = SQL(
                """JOIN res_partner fp ON fp.id = fb.partner_id
                   JOIN (VALUES %s) cfg(company_id, tz, start_utc) ON cfg.company_id = COALESCE(fp.company_id, %s)""",
                config,
                main_company.id,
            )
            window_start, window_tz = SQL("cfg.start_utc"), SQL("cfg.tz")
        if partner_ids is None:
            # Every customer with feedback, and those whose stored values no longer have any (all deleted).
            feedback_scope = SQL("TRUE")
            stale = SQL(
                """SELECT p.id FROM res_partner p
                    WHERE p.id = p.commercial_partner_id
                      AND (p.satisfaction_count != 0 OR p.nps_category IS NOT NULL
                           OR p.date_last_feedback IS NOT NULL)"""
            )
            # The nightly statement aggregates every rating and answer: the batch session's settings.
            self.env["crm.lifecycle.run"]._set_batch_session()
        else:
            feedback_scope = SQL("fb.partner_id IN %s", tuple(partner_ids))
            stale = SQL("SELECT p.id FROM res_partner p WHERE p.id IN %s", tuple(partner_ids))
        self.env.flush_all()  # the statement reads ratings, answers, touches and partners as they are now
        rows = self.env.execute_query(
            SQL(
                """
                WITH agg AS (
                    SELECT fb.partner_id,
                           ROUND((AVG(fb.score) FILTER (WHERE fb.moment >= %(start)s))::numeric, 1)
                               AS satisfaction_score,
                           COUNT(fb.score) FILTER (WHERE fb.moment >= %(start)s) AS satisfaction_count,
                           (MAX(fb.moment) AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS date_last_feedback
                      FROM (%(feedback)s) fb
                      %(window_from)s
                     WHERE %(feedback_scope)s
                     GROUP BY fb.partner_id, %(tz)s
                ), last_nps AS (
                    -- Only survey answers have an NPS: PostgreSQL drops the ratings from this reading of the feedback.
                    SELECT DISTINCT ON (fb.partner_id) fb.partner_id, fb.nps
                      FROM (%(feedback)s) fb
                     WHERE fb.nps IS NOT NULL AND %(feedback_scope)s
                     ORDER BY fb.partner_id, fb.moment DESC, fb.key DESC
                ), stale AS (%(stale)s),
                n AS (
                    SELECT COALESCE(agg.partner_id, stale.id) AS partner_id, agg.satisfaction_score,
                           COALESCE(agg.satisfaction_count, 0) AS satisfaction_count, last_nps.nps AS nps_score,
                           CASE WHEN last_nps.nps >= 9 THEN 'promoter'
                                WHEN last_nps.nps >= 7 THEN 'passive'
                                WHEN last_nps.nps IS NOT NULL THEN 'detractor' END AS nps_category,
                           agg.date_last_feedback
                      FROM agg
                      LEFT JOIN last_nps ON last_nps.partner_id = agg.partner_id
                      FULL JOIN stale ON stale.id = agg.partner_id
                )
                UPDATE res_partner p SET %(assign)s
                  FROM n
                 WHERE p.id = n.partner_id AND (%(differs)s)
             RETURNING p.id
                """,
                feedback=self._get_feedback_sql(),
                window_from=window_from,
                start=window_start,
                tz=window_tz,
                feedback_scope=feedback_scope,
                stale=stale,
                assign=_assignments(SATISFACTION_COLUMNS, "n"),
                differs=_differs(SATISFACTION_COLUMNS, "p", "n"),
            )
        )
        self.invalidate_model(list(SATISFACTION_COLUMNS))
        changed = [row[0] for row in rows]
        if sync_contacts:
            self._crm_care_sync_contacts(SATISFACTION_COLUMNS, changed if partner_ids is not None else None)
        return len(changed)

    @api.model
    def _crm_care_nightly_sync_contacts(self):
        """The nightly run's one copy of the lifecycle and satisfaction values onto every contact (one UPDATE of the
        contacts whose values differ: also those created or moved to another company since)."""
        self._crm_care_sync_contacts((*CONTACT_COLUMNS, *SATISFACTION_COLUMNS))

    @api.model
    def _crm_care_feedback_received(self, partners, source):
        """A rating or a survey answer of `partners` (any partners) arrived: refresh their satisfaction now.

        Runs as superuser: the customer who rates or answers (portal or public user) cannot read the other
        feedback the score is computed from."""
        if partners:
            _logger.info("Satisfaction refreshed for %s customer(s) after a %s", len(partners), source)
            self.sudo()._crm_care_refresh_satisfaction(partners.ids)
