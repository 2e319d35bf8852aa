from odoo import fields, models


class CrmLifecycleLostWizard(models.TransientModel):
    """Mark as Lost: lock the customer in the Churned stage (the stage lock) with why they left."""

    _name = "crm.lifecycle.lost.wizard"
    _description = "Mark Customer as Lost"

    partner_id = fields.Many2one("res.partner", required=True)
    churn_reason_id = fields.Many2one("crm.churn.reason", required=True)
    churn_reason_note = fields.Text(string="Note")

    def action_mark_lost(self):
        """Lock the customer's stage at Churned (lock wizard, reason: the churn reason), record the churn reason
        and note on the customer and on the stage history line of the move to Churned."""
        self.ensure_one()
        self.env["res.partner"]._check_lifecycle_manager()
        partner = self.partner_id.commercial_partner_id
        churned = self.env.ref("crm_lifecycle.stage_churned")
        lock_reason = self.churn_reason_id.name
        if self.churn_reason_note:
            lock_reason = f"{lock_reason}: {self.churn_reason_note}"
        self.env["crm.lifecycle.lock.wizard"].create(
            {"partner_id": partner.id, "stage_id": churned.id, "reason": lock_reason}
        ).action_lock()
        partner.write({"churn_reason_id": self.churn_reason_id.id, "churn_reason_note": self.churn_reason_note})
        History = self.env["crm.lifecycle.history"]
        line = History.search([("partner_id", "=", partner.id), ("to_stage_id", "=", churned.id)], limit=1)
        if line and not line.churn_reason_id:
            line.churn_reason_id = self.churn_reason_id
        else:
            # Already churned with a recorded reason (or by a history before this one): a line of its own.
            History.create(
                {
                    "partner_id": partner.id,
                    "from_stage_id": churned.id if line else partner.lifecycle_stage_id.id,
                    "to_stage_id": churned.id,
                    "reason": "manual",
                    "churn_reason_id": self.churn_reason_id.id,
                }
            )
        return {"type": "ir.actions.act_window_close"}
