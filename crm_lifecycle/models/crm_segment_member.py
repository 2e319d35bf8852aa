from odoo import fields, models


class CrmSegmentMember(models.Model):
    """A stay of a partner in a segment: open while date_left is empty."""

    _name = "crm.segment.member"
    _description = "Customer Segment Membership"
    _order = "date_entered desc, id desc"
    _rec_name = "partner_id"

    segment_id = fields.Many2one("crm.segment", required=True, ondelete="cascade", index=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    date_entered = fields.Date(
        required=True, default=lambda self: self.env.company._get_lifecycle_today()[0], index=True
    )
    date_left = fields.Date(index=True)

    _open_membership_unique = models.UniqueIndex(
        "(segment_id, partner_id) WHERE date_left IS NULL",
        "A partner is in a segment at most once at a time.",
    )
