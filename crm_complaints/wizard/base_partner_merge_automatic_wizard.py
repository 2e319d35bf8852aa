from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Contact merge, complaints part: the duplicates' complaints follow the survivor."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _update_foreign_keys(self, src_partners, dst_partner):
        """Odoo repoints the complaints' customer in SQL, which leaves the stored values computed from the
        customer as they were: the customer company (`commercial_partner_id`, kept on purpose when a contact
        merely moves company) must become the survivor's, the complaint now being the survivor's."""
        # sudo: every complaint of the duplicates follows, whoever merges (the merge is Odoo's authority).
        complaints = (
            self.env["crm.complaint"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", src_partners.ids)])
        )
        result = super()._update_foreign_keys(src_partners, dst_partner)
        complaints.modified(["partner_id"])
        complaints.flush_recordset()
        return result
