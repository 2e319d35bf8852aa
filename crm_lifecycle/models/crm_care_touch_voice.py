from odoo import fields, models
from odoo.exceptions import AccessError, UserError


# The voice of the customer on a care touch: the outcome of a call (a win-back call) that the customer is lost.
class CrmCareTouch(models.Model):
    _inherit = "crm.care.touch"  # pylint: disable=consider-merging-classes-inherited

    churn_reason_id = fields.Many2one(
        "crm.churn.reason",
        string="Outcome: Lost",
        readonly=True,
        ondelete="restrict",
        help="The outcome of this call: the customer is lost, for this reason (recorded by the caller with Customer "
        "Lost; the customer is then locked in the Churned stage with it).",
    )

    def action_record_lost(self):
        """Button "Customer Lost" on a done call (activity step), e.g. of a win-back campaign: the Mark as Lost
        wizard for the touch's customer; its reason becomes the touch's outcome and the customer's churn reason."""
        self._check_can_record_lost()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer Lost"),
            "res_model": "crm.lifecycle.lost.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.partner_id.commercial_partner_id.id, "default_touch_id": self.id},
        }

    def _check_can_record_lost(self):
        """A Customer Care user records the outcome of a call made: a done touch of an activity step, once."""
        self.ensure_one()
        if not self.env.user.has_group("crm_lifecycle.group_crm_care_user"):
            raise AccessError(self.env._("Only Customer Care users can record the outcome of a care call."))
        if self.action != "activity" or self.state != "done":
            raise UserError(
                self.env._(
                    "Only the outcome of a call or visit that was made (a done activity step) can record that the "
                    "customer is lost."
                )
            )
        if self.churn_reason_id:
            raise UserError(
                self.env._(
                    "The outcome of this call is already recorded: %(reason)s.", reason=self.churn_reason_id.name
                )
            )
