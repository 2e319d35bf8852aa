from odoo import api, fields, models

from .crm_complaint import SLA_STATUSES
from .crm_complaint_stage import OPEN_STATES

# Worst first: the summary shows the most urgent SLA status of the customer's open complaints.
SLA_URGENCY = ("breached", "at_risk", "on_track")


class ResPartner(models.Model):
    """The open complaints in crm_lifecycle's "Customer Care" summary of the partner form: how many, the most
    urgent SLA status and the earliest resolution deadline, for every Customer Care user, including those
    outside the complaint teams; the complaints themselves stay readable only as the teams' record rules say."""

    _inherit = "res.partner"

    open_complaint_count = fields.Integer(
        string="Open Complaints (All Teams)",
        compute="_compute_open_complaint_summary",
        groups="crm_lifecycle.group_crm_care_user",
        help="Open complaints (new, acknowledged, in progress or waiting) of this customer (its company and "
        "contacts) in the companies you work in, whichever team handles them.",
    )
    open_complaint_sla_status = fields.Selection(
        SLA_STATUSES,
        string="Open Complaints SLA",
        compute="_compute_open_complaint_summary",
        groups="crm_lifecycle.group_crm_care_user",
        help="The most urgent SLA status of the customer's open complaints: Breached, else At Risk, else On Track.",
    )
    open_complaint_deadline = fields.Datetime(
        string="Next Complaint Deadline",
        compute="_compute_open_complaint_summary",
        groups="crm_lifecycle.group_crm_care_user",
        help="The earliest resolution deadline of the customer's open complaints.",
    )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_open_complaint_summary(self):
        entities = self.commercial_partner_id
        # sudo: the summary counts every team's open complaints of the customer and shows only the count, the
        # SLA status and the deadline; the complaints themselves stay behind the teams' record rules.
        rows = (
            self.env["crm.complaint"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", entities.ids),
                    ("state", "in", OPEN_STATES),
                    # sudo reads every company's complaints: keep those of the companies the user works in
                    ("company_id", "in", self.env.companies.ids),
                ],
                ["commercial_partner_id", "sla_status"],
                ["__count", "resolve_deadline:min"],
            )
        )
        summary = {}
        for entity, status, count, deadline in rows:
            total, statuses, earliest = summary.get(entity.id, (0, set(), False))
            earliest = min(d for d in (earliest, deadline) if d) if (earliest or deadline) else False
            summary[entity.id] = (total + count, statuses | {status}, earliest)
        for partner in self:
            count, statuses, deadline = summary.get(partner.commercial_partner_id.id, (0, set(), False))
            partner.open_complaint_count = count
            partner.open_complaint_sla_status = next((s for s in SLA_URGENCY if s in statuses), False)
            partner.open_complaint_deadline = deadline
