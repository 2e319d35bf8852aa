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

    def write(self, vals):
        retiring = self.filtered("active") if vals.get("active") is False else self.browse()
        result = super().write(vals)
        if retiring:
            retiring._retire_campaigns()
        return result

    def _retire_campaigns(self):
        """The campaigns greeting these retired (archived) occasions are archived with them (a note in their
        chatter, planned touches skipped as retired); restored, they plan nothing while the occasion is
        archived (crm.care.campaign._get_source_sql)."""
        # sudo: whoever retires the occasion retires the campaigns on it, of every company that uses it
        campaigns = (
            self.env["crm.care.campaign"].sudo().search([("kind", "=", "occasion"), ("occasion_id", "in", self.ids)])
        )
        for campaign in campaigns:
            campaign.message_post(
                body=self.env._("Archived with its occasion %(occasion)s.", occasion=campaign.occasion_id.display_name)
            )
        campaigns.write({"active": False})

    def action_view_campaigns(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_lifecycle.crm_care_campaign_action")
        action["domain"] = [("occasion_id", "=", self.id)]
        action["context"] = {"default_kind": "occasion", "default_occasion_id": self.id}
        return action
