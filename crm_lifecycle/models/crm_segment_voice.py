from odoo import fields, models
from odoo.tools import SQL


# The voice of the customer of a segment, apart from the segment's definition and refresh.
class CrmSegment(models.Model):
    _inherit = "crm.segment"  # pylint: disable=consider-merging-classes-inherited

    nps = fields.Float(
        string="NPS",
        compute="_compute_voice",
        digits=(5, 1),
        help="Net Promoter Score of the segment (-100 to 100): % promoters - % detractors among its current "
        "members' customers (commercial entities, each once) with an NPS answer; 0 when none answered.",
    )
    nps_answer_count = fields.Integer(
        string="NPS Answers", compute="_compute_voice", help="Members' customers with an NPS answer."
    )
    satisfaction_score = fields.Float(
        string="Satisfaction",
        compute="_compute_voice",
        digits=(5, 1),
        help="Average satisfaction (0-100) of the members' customers (commercial entities, each once) with "
        "feedback of the last 365 days; 0 when none.",
    )

    def _compute_voice(self):
        """One query for all these segments, over the current memberships."""
        rows = {}
        if self.ids:
            self.env["crm.segment.member"].flush_model(["segment_id", "partner_id", "date_left"])
            self.env["res.partner"].flush_model(["commercial_partner_id", "nps_category", "satisfaction_score"])
            for segment_id, promoters, detractors, answered, satisfaction in self.env.execute_query(
                SQL(
                    """
                    SELECT c.segment_id,
                           COUNT(*) FILTER (WHERE cp.nps_category = 'promoter'),
                           COUNT(*) FILTER (WHERE cp.nps_category = 'detractor'),
                           COUNT(*) FILTER (WHERE cp.nps_category IS NOT NULL),
                           AVG(cp.satisfaction_score) FILTER (WHERE cp.satisfaction_count > 0)
                      FROM (SELECT DISTINCT m.segment_id, p.commercial_partner_id AS partner_id
                              FROM crm_segment_member m
                              JOIN res_partner p ON p.id = m.partner_id
                             WHERE m.segment_id IN %s AND m.date_left IS NULL) c
                      JOIN res_partner cp ON cp.id = c.partner_id
                     GROUP BY c.segment_id
                    """,
                    tuple(self.ids),
                )
            ):
                rows[segment_id] = (promoters, detractors, answered, satisfaction)
        for segment in self:
            promoters, detractors, answered, satisfaction = rows.get(segment.id, (0, 0, 0, None))
            segment.nps = round(100.0 * (promoters - detractors) / answered, 1) if answered else 0.0
            segment.nps_answer_count = answered
            segment.satisfaction_score = round(float(satisfaction), 1) if satisfaction is not None else 0.0
