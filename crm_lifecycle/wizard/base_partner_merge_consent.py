from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Merging contacts merges their consent histories (Odoo's foreign-key update moves the lines to the survivor):
    the survivor's current consent per channel is then the latest line of the merged history, and its opt-out box
    follows (every channel withdrawn)."""

    _inherit = "base.partner.merge.automatic.wizard"  # pylint: disable=consider-merging-classes-inherited

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        partners = self.env["res.partner"].browse(partner_ids).exists()
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        survivor = partners.exists()
        if len(survivor) == 1 and len(partners) > 1:
            survivor._crm_consent_sync_opt_out()
        return result
