from odoo import fields, models

from .crm_complaint_stage import OPEN_STATES


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
