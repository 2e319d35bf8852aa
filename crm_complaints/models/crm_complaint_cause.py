from odoo import fields, models


class CrmComplaintCause(models.Model):
    _name = "crm.complaint.cause"
    _description = "Complaint Root Cause"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
