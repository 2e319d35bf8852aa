from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmPrivacyEraseWizard(models.TransientModel):
    """Confirmation of an erasure on request: shows what forbids it now, if anything, and erases on confirm."""

    _name = "crm.privacy.erase.wizard"
    _description = "Erase Personal Data"

    partner_id = fields.Many2one("res.partner", string="Person", required=True, readonly=True)
    blockers = fields.Text(
        compute="_compute_blockers", help="What forbids the erasure now, one reason a line (empty: it can be done)."
    )

    @api.depends("partner_id")
    def _compute_blockers(self):
        for wizard in self:
            # sudo: the blockers read the legal hold and complaints of any user (managers open this wizard).
            reasons = wizard.partner_id.sudo()._crm_privacy_erasure_blockers() if wizard.partner_id else []
            wizard.blockers = "\n".join(reasons) or False

    def action_erase(self):
        """Erase the person's personal data in CRM Care (UserError while something forbids it)."""
        self.ensure_one()
        self.partner_id._check_crm_privacy_manager()
        if not self.partner_id:
            raise UserError(self.env._("Choose the person whose data to erase."))
        self.partner_id._crm_privacy_erase(channel="staff")
        return {"type": "ir.actions.act_window_close"}
