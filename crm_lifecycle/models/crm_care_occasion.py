from odoo import api, fields, models


class CrmCareOccasion(models.Model):
    """A recurring day worth a greeting (Spring Festival, Mother's Day...), with its date in each year."""

    _name = "crm.care.occasion"
    _description = "Care Occasion"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to share the occasion with every company (the shipped occasions are)."
    )
    date_ids = fields.One2many("crm.care.occasion.date", "occasion_id", string="Dates")
    next_date = fields.Date(compute="_compute_next_date", help="The next date of the occasion from today.")
    campaign_count = fields.Integer(compute="_compute_campaign_count", string="Campaigns")

    @api.depends("date_ids.date")
    def _compute_next_date(self):
        today = self.env.company._get_lifecycle_today()[0]
        for occasion in self:
            upcoming = occasion.date_ids.filtered(lambda line: line.date >= today).mapped("date")
            occasion.next_date = min(upcoming) if upcoming else False

    def _compute_campaign_count(self):
        counts = dict(
            self.env["crm.care.campaign"]
            .with_context(active_test=False)
            ._read_group([("occasion_id", "in", self.ids)], ["occasion_id"], ["__count"])
        )
        for occasion in self:
            occasion.campaign_count = counts.get(occasion, 0)

    def action_view_campaigns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_lifecycle.crm_care_campaign_action")
        action["domain"] = [("occasion_id", "=", self.id)]
        action["context"] = {"default_kind": "occasion", "default_occasion_id": self.id}
        return action
