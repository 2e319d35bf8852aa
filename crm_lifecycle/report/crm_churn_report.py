from odoo import fields, models
from odoo.tools import SQL

COMPLAINT_LOOKBACK_DAYS = 90


class CrmChurnReport(models.Model):
    """Churn analysis (a query): one row per move of a customer to the Churned stage (stage history), with the
    churn reason kept on that line (Mark as Lost) and whether the customer complained in the 90 days before
    (days of the company's Business Time Zone; given by crm_complaints, which overrides
    `_get_complained_before_sql`; always false without it)."""

    _name = "crm.churn.report"
    _description = "Churn Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "partner_id"
    # Flushed before the query reads them.
    _depends = {
        "crm.lifecycle.history": [
            "partner_id",
            "to_stage_id",
            "from_stage_id",
            "date",
            "churn_reason_id",
            "churn_reason_source",
        ],
        "res.partner": ["company_id"],
        "res.company": ["crm_care_tz"],
    }

    history_id = fields.Many2one("crm.lifecycle.history", string="Stage Move", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(string="Churned On", readonly=True)
    from_stage_id = fields.Many2one("crm.lifecycle.stage", readonly=True)
    churn_reason_id = fields.Many2one("crm.churn.reason", readonly=True)
    churn_reason_source = fields.Selection(
        [("lost", "Marked as Lost"), ("win_back_call", "Win-back Call"), ("exit_survey", "Exit Survey")],
        string="Churn Reason From",
        readonly=True,
    )
    complained_before = fields.Boolean(
        string="Complained in the 90 Days Before",
        readonly=True,
        help="The customer (commercial entity) filed a complaint in the 90 days up to the day of churn.",
    )
    # what the charts group by: they would show the yes/no field above as true/false, untranslated
    complaint_before = fields.Selection(
        [("complained", "Complained"), ("no_complaint", "No Complaint")],
        string="Complaint in the 90 Days Before",
        readonly=True,
        help="Complained or No Complaint: whether the customer (commercial entity) filed a complaint in the 90 days "
        "up to the day of churn.",
    )

    def _get_complained_before_sql(self, history, tz, days):
        """SQL boolean: did the customer of the history line `history` (its table alias, a str) complain in the
        `days` days up to its date, days in time zone `tz` (SQL text expression)? Without complaints, never."""
        return SQL("FALSE")

    @property
    def _table_query(self):
        # A query, not a database view: the complaint test comes from the addons installed now.
        main_company = self.env["res.company"]._get_crm_care_main_company()
        churned = self.env.ref("crm_lifecycle.stage_churned", raise_if_not_found=False)
        tz = SQL("COALESCE(c.crm_care_tz, 'UTC')")
        return SQL(
            """
            SELECT churn.*,
                   CASE WHEN churn.complained_before THEN 'complained' ELSE 'no_complaint' END AS complaint_before
              FROM (
                SELECT h.id, h.id AS history_id, h.partner_id, c.id AS company_id, h.date, h.from_stage_id,
                       h.churn_reason_id, h.churn_reason_source, %(complained)s AS complained_before
                  FROM crm_lifecycle_history h
                  JOIN res_partner p ON p.id = h.partner_id
                  JOIN res_company c ON c.id = COALESCE(p.company_id, %(main)s)
                 WHERE h.to_stage_id = %(churned)s
              ) churn
            """,
            complained=self._get_complained_before_sql("h", tz, COMPLAINT_LOOKBACK_DAYS),
            main=main_company.id,
            churned=churned.id if churned else None,
        )
