from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.crm_complaint import CHANNELS, SEVERITIES, SLA_STATUSES
from ..models.crm_complaint_stage import STAGE_STATES


class CrmComplaintReport(models.Model):
    """One row per complaint, for volume, SLA compliance, response and resolution times (working hours),
    satisfaction and repeat complainants."""

    _name = "crm.complaint.report"
    _description = "Complaint Analysis"
    _auto = False
    _rec_name = "complaint_id"
    _order = "date desc"

    complaint_id = fields.Many2one("crm.complaint", readonly=True)
    date = fields.Datetime(string="Created On", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    category_id = fields.Many2one("crm.complaint.category", readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    severity = fields.Selection(SEVERITIES, readonly=True)
    team_id = fields.Many2one("crm.complaint.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    stage_id = fields.Many2one("crm.complaint.stage", readonly=True)
    state = fields.Selection(STAGE_STATES, string="Status", readonly=True)
    cause_id = fields.Many2one("crm.complaint.cause", string="Root Cause", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    sla_status = fields.Selection(SLA_STATUSES, string="SLA Status", readonly=True)
    sla_compliance = fields.Float(
        string="SLA Compliance (%)", readonly=True, aggregator="avg", help="Share of finished complaints within SLA."
    )
    first_response_hours = fields.Float(string="First Response (Working Hours)", readonly=True, aggregator="avg")
    resolution_hours = fields.Float(string="Resolution (Working Hours)", readonly=True, aggregator="avg")
    rating = fields.Float(string="Satisfaction (1-5)", readonly=True, aggregator="avg")
    reopen_count = fields.Integer(readonly=True)
    escalation_level = fields.Integer(readonly=True, aggregator="max")
    customer_complaint_count = fields.Integer(string="Complaints of the Customer", readonly=True, aggregator="max")
    is_repeat = fields.Boolean(string="Repeat Complainant", readonly=True)
    nbr = fields.Integer(string="# Complaints", readonly=True)

    def _query(self):
        return SQL(
            """
            SELECT c.id,
                   c.id AS complaint_id,
                   c.create_date AS date,
                   c.commercial_partner_id AS partner_id,
                   c.category_id,
                   c.channel,
                   c.severity,
                   c.team_id,
                   c.user_id,
                   c.stage_id,
                   c.state,
                   c.cause_id,
                   c.company_id,
                   c.sla_status,
                   CASE WHEN c.sla_status = 'met' THEN 100.0
                        WHEN c.sla_status = 'breached' AND c.state IN ('resolved', 'closed') THEN 0.0 END
                       AS sla_compliance,
                   NULLIF(c.first_response_hours, 0) AS first_response_hours,
                   NULLIF(c.resolution_hours, 0) AS resolution_hours,
                   NULLIF(c.rating_last_value, 0) AS rating,
                   c.reopen_count,
                   c.escalation_level,
                   COUNT(*) OVER (PARTITION BY c.commercial_partner_id) AS customer_complaint_count,
                   c.commercial_partner_id IS NOT NULL
                       AND COUNT(*) OVER (PARTITION BY c.commercial_partner_id) > 1 AS is_repeat,
                   1 AS nbr
              FROM crm_complaint c
             WHERE c.active
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query()))
