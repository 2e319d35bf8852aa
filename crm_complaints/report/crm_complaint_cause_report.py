from odoo import fields, models, tools
from odoo.tools import SQL


class CrmComplaintCauseReport(models.Model):
    """Root-cause Pareto: causes by number of complaints, with their share and cumulative share."""

    _name = "crm.complaint.cause.report"
    _description = "Root-Cause Pareto"
    _auto = False
    _rec_name = "cause_id"
    _order = "company_id, rank"

    cause_id = fields.Many2one("crm.complaint.cause", string="Root Cause", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    rank = fields.Integer(readonly=True)
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    share = fields.Float(string="Share (%)", readonly=True, aggregator="sum")
    cumulative_share = fields.Float(string="Cumulative Share (%)", readonly=True, aggregator="max")

    def _query(self):
        return SQL(
            """
            SELECT ROW_NUMBER() OVER (ORDER BY company_id, complaint_count DESC, cause_id) AS id,
                   cause_id, company_id, complaint_count,
                   RANK() OVER (PARTITION BY company_id ORDER BY complaint_count DESC, cause_id) AS rank,
                   ROUND(100.0 * complaint_count / SUM(complaint_count) OVER (PARTITION BY company_id), 2) AS share,
                   ROUND(100.0 * SUM(complaint_count) OVER (PARTITION BY company_id
                                                            ORDER BY complaint_count DESC, cause_id)
                         / SUM(complaint_count) OVER (PARTITION BY company_id), 2) AS cumulative_share
              FROM (SELECT cause_id, company_id, COUNT(*) AS complaint_count
                      FROM crm_complaint
                     WHERE cause_id IS NOT NULL AND active
                     GROUP BY cause_id, company_id) counts
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
