from odoo import api, fields, models

from .crm_complaint import SLA_STATUSES
from .crm_complaint_stage import OPEN_STATES

# Worst first: the Customer Care summary shows the most urgent SLA status of the customer's open complaints.
SLA_URGENCY = ("breached", "at_risk", "on_track")


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_ids = fields.One2many("crm.complaint", "partner_id", string="Complaints", groups="base.group_user")
    complaint_count = fields.Integer(compute="_compute_complaint_count", groups="base.group_user")
    open_complaint_ids = fields.One2many(
        "crm.complaint",
        "partner_id",
        string="Open Complaints",
        domain=[("state", "in", OPEN_STATES)],
        groups="base.group_user",
    )
    # The partner form's Customer Care summary, for every Customer Care user, in or outside the complaint
    # teams: how many open complaints, the most urgent SLA status, the earliest deadline (never their content).
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

    def _compute_complaint_count(self):
        counts = dict(
            self.env["crm.complaint"]._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.complaint_count = counts.get(partner.commercial_partner_id, 0)

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
            earliest = min(filter(None, (earliest, deadline)), default=False)
            summary[entity.id] = (total + count, statuses | {status}, earliest)
        for partner in self:
            count, statuses, deadline = summary.get(partner.commercial_partner_id.id, (0, set(), False))
            partner.open_complaint_count = count
            partner.open_complaint_sla_status = next((s for s in SLA_URGENCY if s in statuses), False)
            partner.open_complaint_deadline = deadline

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_complaints.crm_complaint_action")
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_log_complaint(self):
        self.ensure_one()
        return self.env["crm.complaint"]._action_log_complaint(partner_id=self.id)

    def _get_open_complaint_partners(self):
        """Partners of self (or their company) with an open complaint: the care campaigns leave them alone."""
        if not self:
            return self
        open_partners = (
            self.env["crm.complaint"]
            .sudo()
            ._read_group(
                [("commercial_partner_id", "in", self.commercial_partner_id.ids), ("state", "in", OPEN_STATES)],
                ["commercial_partner_id"],
            )
        )
        companies = {partner.id for (partner,) in open_partners}
        return self.filtered(lambda partner: partner.commercial_partner_id.id in companies)
