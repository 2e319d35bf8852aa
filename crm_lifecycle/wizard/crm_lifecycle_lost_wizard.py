from odoo import fields, models


class CrmLifecycleLostWizard(models.TransientModel):
    """Mark as Lost: lock the customer in the Churned stage (the stage lock) with why they left; opened by a manager
    on the customer, or by the caller on the touch of a care call whose outcome is that the customer is lost."""

    _name = "crm.lifecycle.lost.wizard"
    _description = "Mark Customer as Lost"

    partner_id = fields.Many2one("res.partner", required=True)
    touch_id = fields.Many2one(
        "crm.care.touch",
        string="Call",
        readonly=True,
        help="The care call (a done activity step) whose outcome this is.",
    )
    churn_reason_id = fields.Many2one("crm.churn.reason", required=True)
    churn_reason_note = fields.Text(string="Note")

    def action_mark_lost(self):
        """Lock the customer's stage at Churned (lock wizard, reason: the churn reason), record the churn reason
        and note on the customer and on the stage history line of the move to Churned.

        From a call (touch_id): the caller, a Customer Care user, records the outcome of their call; the touch keeps
        the reason. Otherwise only Customer Care managers may."""
        self.ensure_one()
        if self.touch_id:
            self.touch_id._check_can_record_lost()
            # The caller records the outcome of their own call (checked above): locking and giving a churn reason are
            # otherwise a manager's rights.
            wizard, partner, source = self.sudo(), self.touch_id.partner_id.commercial_partner_id, "win_back_call"
        else:
            self.env["res.partner"]._check_lifecycle_manager()
            wizard, partner, source = self, self.partner_id.commercial_partner_id, "lost"
        lock_reason = wizard.churn_reason_id.name
        if wizard.churn_reason_note:
            lock_reason = f"{lock_reason}: {wizard.churn_reason_note}"
        wizard.env["crm.lifecycle.lock.wizard"].create(
            {
                "partner_id": partner.id,
                "stage_id": wizard.env.ref("crm_lifecycle.stage_churned").id,
                "reason": lock_reason,
            }
        ).action_lock()
        partner.with_env(wizard.env)._crm_care_record_churn_reason(
            wizard.churn_reason_id, wizard.churn_reason_note, source
        )
        if wizard.touch_id:
            wizard.touch_id.churn_reason_id = wizard.churn_reason_id
        return {"type": "ir.actions.act_window_close"}
