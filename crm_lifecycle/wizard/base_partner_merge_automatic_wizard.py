from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        # The surviving partner now carries the merged partners' orders: refresh its lifecycle.
        survivors = self.env["res.partner"].browse(partner_ids).exists()
        survivors.sudo()._lifecycle_refresh(reason="manual")
        return result
