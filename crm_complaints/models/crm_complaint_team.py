from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .crm_complaint_stage import OPEN_STATES


class CrmComplaintTeam(models.Model):
    """Who handles complaints, on which working hours; its email alias turns incoming mail into complaints."""

    _name = "crm.complaint.team"
    _description = "Complaint Team"
    _inherit = ["mail.alias.mixin"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    leader_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        domain=[("share", "=", False)],
        check_company=True,
        help="Receives escalations and complaints reopened after a low rating.",
    )
    member_ids = fields.Many2many(
        "res.users",
        "crm_complaint_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        domain=[("share", "=", False)],
        check_company=True,
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        compute="_compute_resource_calendar_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        help="SLA deadlines are counted in these working hours, in their timezone, without the calendar's time "
        "off and the public holidays of the complaint's company. A flexible schedule counts its hours a day "
        "centred on noon until its full-time hours of the week (Monday to Sunday) are used.",
    )
    complaint_ids = fields.One2many("crm.complaint", "team_id", string="Complaints")
    open_complaint_count = fields.Integer(compute="_compute_open_complaint_count", string="Open Complaints")
    color = fields.Integer()

    @api.depends("company_id")
    def _compute_resource_calendar_id(self):
        """The team's company's working hours, until a manager picks others (of that company or shared)."""
        for team in self:
            calendar = team.resource_calendar_id
            if not calendar or (calendar.company_id and calendar.company_id != team.company_id):
                team.resource_calendar_id = team.company_id.resource_calendar_id

    def _compute_open_complaint_count(self):
        counts = dict(
            self.env["crm.complaint"]._read_group(
                [("team_id", "in", self.ids), ("state", "in", OPEN_STATES)],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.open_complaint_count = counts.get(team, 0)

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._check_alias_domain()
        return teams

    def write(self, vals):
        result = super().write(vals)
        if {"alias_name", "alias_domain_id"} & set(vals):
            self._check_alias_domain()
        if "resource_calendar_id" in vals:
            # Open complaints count in the new working hours from now on: their deadlines are planned again on
            # them, as the hours used are counted on them when the complaint is resolved (one calendar for both).
            # sudo: a manager changing the hours may not read every complaint of the team
            self.env["crm.complaint"].sudo().search(
                [("team_id", "in", self.ids), ("state", "in", OPEN_STATES)]
            )._sla_replan()
        return result

    def _check_alias_domain(self):
        """An alias without domain matches no address: Odoo's mail gateway would never deliver to it. (Not an
        @api.constrains: the alias fields are written on the mail.alias record, not on the team.)"""
        for team in self:
            if team.alias_name and not team.alias_domain_id:
                raise ValidationError(
                    self.env._(
                        "The email alias %(alias)s of team %(team)s has no domain, so no email can reach it. Choose "
                        "its domain, or first set one up in Settings > General Settings > Emails (Alias Domain).",
                        alias=team.alias_name,
                        team=team.name,
                    )
                )

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("crm.complaint")
        if self.id:
            values["alias_defaults"] = defaults = literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
        return values

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_complaints.crm_complaint_action")
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id}
        return action
