from odoo import fields, models
from odoo.tools import SQL


class CrmCareFeedbackReport(models.Model):
    """Customer feedback analysis (a query): one row per complaint rating and per satisfaction survey answer of a
    care touch, the feedback res.partner's satisfaction and NPS are computed from (same mapping onto 0-100).

    NPS of a group = average of `nps_points` (100 for a promoter, 0 for a passive, -100 for a detractor) =
    % promoters - % detractors of the NPS answers of the group. The stage is the customer's lifecycle stage on
    the day of the feedback (stage history), the day is in the Business Time Zone of the customer's company.
    """

    _name = "crm.care.feedback.report"
    _description = "Customer Feedback Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    # Flushed before the query reads them.
    _depends = {
        "rating.rating": ["res_model", "res_id", "partner_id", "rating", "consumed", "rated_on"],
        "survey.user_input": ["state", "end_datetime"],
        "survey.user_input.line": ["user_input_id", "question_id", "answer_type", "value_scale", "skipped"],
        "survey.question": ["scale_min", "scale_max", "is_nps"],
        "crm.care.touch": ["survey_user_input_id", "partner_id"],
        "res.partner": ["commercial_partner_id", "company_id"],
        "res.company": ["crm_care_tz"],
        "crm.lifecycle.history": ["partner_id", "to_stage_id", "date"],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(readonly=True, help="Day of the rating or answer, in the company's Business Time Zone.")
    kind = fields.Selection([("rating", "Complaint Rating"), ("survey", "Survey Answer")], readonly=True)
    stage_id = fields.Many2one("crm.lifecycle.stage", readonly=True, help="The customer's lifecycle stage on that day.")
    satisfaction = fields.Float(
        readonly=True, aggregator="avg", digits=(5, 1), help="0-100, as in the customer's satisfaction score."
    )
    nps_answer = fields.Integer(string="NPS Answer", readonly=True, aggregator="avg", help="0-10; empty for ratings.")
    nps_points = fields.Float(
        string="NPS",
        readonly=True,
        aggregator="avg",
        digits=(5, 1),
        help="Net Promoter Score (-100 to 100): % promoters - % detractors of the NPS answers grouped.",
    )
    is_promoter = fields.Integer(string="Promoters", readonly=True, aggregator="sum")
    is_detractor = fields.Integer(string="Detractors", readonly=True, aggregator="sum")

    # ------------------------------------------------------------------
    # The query, from named pieces (a bridge or a report of its own adds columns by overriding one)
    # ------------------------------------------------------------------

    def _get_feedback_id_sql(self):
        """SQL of the row id: unique per row of this report (alias `f`: the feedback item, its `key`)."""
        return SQL("ROW_NUMBER() OVER (ORDER BY f.key)")

    def _select_feedback_extra(self):
        """Extra columns (list of SQL `expression AS column`) over the aliases `f` (the feedback item: partner_id,
        company_id, date, ...) and those joined by `_from_feedback_extra`. crm_loyalty adds the tier on the day."""
        return []

    def _from_feedback_extra(self):
        """Extra joins (list of SQL), after the feedback item `f` and its stage on the day `st`."""
        return []

    @property
    def _table_query(self):
        # A query, not a database view: the rated models (res.partner._get_satisfaction_rating_models) are those
        # of the addons installed now.
        main_company = self.env["res.company"]._get_crm_care_main_company()
        extra_select = self._select_feedback_extra()
        return SQL(
            """
            SELECT %(id)s AS id, f.*, st.stage_id %(extra_select)s
              FROM (
                SELECT fb.key, fb.partner_id, c.id AS company_id, fb.kind,
                       (fb.moment AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(c.crm_care_tz, 'UTC'))::date AS date,
                       fb.score AS satisfaction,
                       fb.nps AS nps_answer,
                       CASE WHEN fb.nps >= 9 THEN 100 WHEN fb.nps >= 7 THEN 0 WHEN fb.nps IS NOT NULL THEN -100 END
                           AS nps_points,
                       CASE WHEN fb.nps >= 9 THEN 1 ELSE 0 END AS is_promoter,
                       CASE WHEN fb.nps <= 6 THEN 1 ELSE 0 END AS is_detractor
                  FROM (%(feedback)s) fb
                  JOIN res_partner p ON p.id = fb.partner_id
                  JOIN res_company c ON c.id = COALESCE(p.company_id, %(main)s)
              ) f
              LEFT JOIN LATERAL (
                   SELECT h.to_stage_id AS stage_id
                     FROM crm_lifecycle_history h
                    WHERE h.partner_id = f.partner_id AND h.date <= f.date
                    ORDER BY h.date DESC, h.id DESC
                    LIMIT 1
              ) st ON TRUE
              %(extra_from)s
            """,
            id=self._get_feedback_id_sql(),
            extra_select=SQL("").join(SQL(", %s", column) for column in extra_select),
            extra_from=SQL(" ").join(self._from_feedback_extra()),
            feedback=self.env["res.partner"]._get_feedback_sql(),
            main=main_company.id,
        )
