from odoo import api, fields, models


class CrmCareOccasionDate(models.Model):
    """The date of an occasion in one year: lunar and weekday-based occasions move every year."""

    _name = "crm.care.occasion.date"
    _description = "Care Occasion Date"
    _order = "date"
    _rec_name = "date"

    occasion_id = fields.Many2one("crm.care.occasion", required=True, ondelete="cascade", index=True)
    date = fields.Date(required=True)
    year = fields.Integer(compute="_compute_year", store=True)

    _occasion_year_unique = models.Constraint("UNIQUE(occasion_id, year)", "An occasion has one date per year.")

    @api.depends("date")
    def _compute_year(self):
        for line in self:
            line.year = line.date.year if line.date else 0
