from odoo import fields, models
from odoo.exceptions import UserError

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

    def write(self, vals):
        """A stage's state cannot change while complaints are in it: their state follows the stage's, and would
        change without the workflow (clock paused or resumed, resolution date and its checks)."""
        if "state" in vals:
            changed = self.filtered(lambda stage: stage.state != vals["state"])
            # sudo: every complaint in the stage counts, whoever may read it, archived ones too
            if changed and self.env["crm.complaint"].sudo().with_context(active_test=False).search_count(
                [("stage_id", "in", changed.ids)], limit=1
            ):
                raise UserError(
                    self.env._(
                        "Complaints are in stage %(stage)s: move them to another stage before changing what it "
                        "means for the SLA clock, or create a new stage.",
                        stage=changed[0].name,
                    )
                )
        return super().write(vals)
