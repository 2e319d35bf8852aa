from odoo import fields, models
from odoo.tools import SQL


class CrmCareFeedbackReport(models.Model):
    """The customer's membership tier on the day of the feedback, in the feedback analysis (and in the reports
    built on it: by segment)."""

    _inherit = "crm.care.feedback.report"
    _depends = {"crm.loyalty.tier.history": ["partner_id", "to_tier_id", "date"]}

    tier_id = fields.Many2one(
        "crm.loyalty.tier",
        readonly=True,
        help="The customer's membership tier on the day of the feedback (tier history); empty before the first.",
    )

    def _select_feedback_extra(self):
        return [*super()._select_feedback_extra(), SQL("tr.tier_id AS tier_id")]

    def _from_feedback_extra(self):
        return [
            *super()._from_feedback_extra(),
            SQL(
                """LEFT JOIN LATERAL (
                       SELECT th.to_tier_id AS tier_id
                         FROM crm_loyalty_tier_history th
                        WHERE th.partner_id = f.partner_id AND th.date <= f.date
                        ORDER BY th.date DESC, th.id DESC
                        LIMIT 1
                   ) tr ON TRUE"""
            ),
        ]
