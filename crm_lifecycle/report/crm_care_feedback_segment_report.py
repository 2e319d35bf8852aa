from odoo import fields, models
from odoo.tools import SQL


class CrmCareFeedbackSegmentReport(models.Model):
    """Customer feedback by segment (a query): one row per segment and feedback item of a customer who is a current
    member of the segment (the member or one of its contacts: the commercial entity, once per segment), with the
    columns of the feedback analysis (crm.care.feedback.report, whose query and extra pieces it reuses).

    Segment membership is many-to-many: a feedback item is in every segment its customer is in, so totals over
    several segments count it once per segment. NPS of a segment = average of `nps_points` of its rows."""

    _name = "crm.care.feedback.segment.report"
    _inherit = "crm.care.feedback.report"
    _description = "Customer Feedback by Segment"
    _auto = False
    _order = "date desc, id desc"
    _depends = {"crm.segment.member": ["segment_id", "partner_id", "date_left"]}

    segment_id = fields.Many2one("crm.segment", readonly=True, help="A segment the customer is a member of now.")

    def _get_feedback_id_sql(self):
        return SQL("ROW_NUMBER() OVER (ORDER BY seg.segment_id, f.key)")

    def _select_feedback_extra(self):
        return [*super()._select_feedback_extra(), SQL("seg.segment_id AS segment_id")]

    def _from_feedback_extra(self):
        return [
            *super()._from_feedback_extra(),
            SQL(
                """JOIN (SELECT DISTINCT m.segment_id, mp.commercial_partner_id AS partner_id
                           FROM crm_segment_member m
                           JOIN res_partner mp ON mp.id = m.partner_id
                          WHERE m.date_left IS NULL) seg ON seg.partner_id = f.partner_id"""
            ),
        ]
