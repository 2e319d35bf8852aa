from odoo import fields, models


class CrmLifecycleLockWizard(models.TransientModel):
    _name = "crm.lifecycle.lock.wizard"
    _description = "Lock Lifecycle Stage"

    partner_id = fields.Many2one("res.partner", required=True)
    stage_id = fields.Many2one("crm.lifecycle.stage", required=True)
    reason = fields.Char(required=True)

    def action_lock(self):
        self.ensure_one()
        self.env["res.partner"]._check_lifecycle_manager()
        partner = self.partner_id.commercial_partner_id
        old_stage = partner.lifecycle_stage_id
        partner.write(
            {
                "lifecycle_locked": True,
                "lifecycle_lock_reason": self.reason,
                "lifecycle_stage_id": self.stage_id.id,
                "lifecycle_stage_date": (partner.company_id or self.env.company)._get_lifecycle_today()[0]
                if old_stage != self.stage_id
                else partner.lifecycle_stage_date,
            }
        )
        if old_stage != self.stage_id:
            self.env["crm.lifecycle.history"].create(
                {
                    "partner_id": partner.id,
                    "from_stage_id": old_stage.id,
                    "to_stage_id": self.stage_id.id,
                    "reason": "manual",
                }
            )
        partner._lifecycle_sync_contacts(partner.ids)
        return {"type": "ir.actions.act_window_close"}
