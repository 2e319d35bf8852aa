from odoo import fields, models

STAGE_STATES = [
    ("new", "New"),
    ("acknowledged", "Acknowledged"),
    ("in_progress", "In Progress"),
    ("waiting", "Waiting"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
# The SLA clock runs in these states only: it pauses while waiting (for the customer or a third party),
# stops at resolution and resumes when a complaint is reopened.
RUNNING_STATES = ("new", "acknowledged", "in_progress")
DONE_STATES = ("resolved", "closed")
OPEN_STATES = ("new", "acknowledged", "in_progress", "waiting")


class CrmComplaintStage(models.Model):
    _name = "crm.complaint.stage"
    _description = "Complaint Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in Kanban")
    state = fields.Selection(
        STAGE_STATES,
        required=True,
        default="in_progress",
        help="What the stage means for the SLA clock: it runs in New, Acknowledged and In Progress, pauses "
        "in Waiting, stops in Resolved, Closed and Cancelled.",
    )
    description = fields.Text(translate=True)
