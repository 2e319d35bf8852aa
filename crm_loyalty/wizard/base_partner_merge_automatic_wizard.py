from odoo import models
from odoo.tools import SQL

# The tier lock: the flag and the values it holds. They move together, never the lock without its value.
LOYALTY_LOCK_VALUES = (
    "loyalty_tier_locked",
    "loyalty_lock_reason",
    "loyalty_lock_until",
    "loyalty_tier_id",
    "loyalty_tier_since",
    "loyalty_review_date",
)


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Contact merge, loyalty part: one membership card with the whole history, the tier lock by the merge
    rule of crm_lifecycle (the survivor's own, else a duplicate's carried over whole), then the tier
    evaluated on the merged purchases."""

    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        partners = self.env["res.partner"].browse(partner_ids).exists()
        locks = self._crm_care_merge_get_locks(partners, LOYALTY_LOCK_VALUES)
        names = {partner.id: partner.display_name for partner in partners.sudo()}
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        survivor = partners.exists()
        if len(survivor) == 1 and len(partners) > 1:
            # sudo: as in crm_lifecycle's _merge, our bookkeeping after Odoo's merge passed its checks.
            survivor = survivor.sudo()
            kind, owner_id, values = self._crm_care_merge_pick_lock(survivor, locks)
            self._crm_care_merge_apply_loyalty_lock(survivor, kind, values, names.get(owner_id))
            survivor._loyalty_refresh()
            survivor._loyalty_sync_contacts(survivor.commercial_partner_id.ids)
        return result

    def _merge_loyalty_cards(self, src_partners, dst_partner):
        """Odoo sums the points of the merged contacts' cards of one program on one card and archives the
        others at 0 points, but leaves their history lines behind: the points expiry (which reads the lots
        in the history) would then never expire those points. Move the history lines to the card that
        keeps the points, and point the membership card fields at it."""
        Card = self.env["loyalty.card"].sudo()
        before = Card.search([("partner_id", "in", (src_partners | dst_partner).ids)])
        # no points email: the merge adds up points the customer already had
        no_mail = self.with_context(loyalty_no_mail=True)
        result = super(BasePartnerMergeAutomaticWizard, no_mail)._merge_loyalty_cards(src_partners, dst_partner)
        merged_into = {}
        for program, cards in before.grouped("program_id").items():
            absorbed = cards.filtered(lambda card: not card.active)
            # the card Odoo kept: the survivor's first card of the program (the same search as Odoo's)
            kept = Card.search([("partner_id", "=", dst_partner.id), ("program_id", "=", program.id)], limit=1)
            if absorbed and kept:
                merged_into.update(dict.fromkeys(absorbed.ids, kept.id))
        if merged_into:
            self._crm_care_merge_card_history(merged_into)
        return result

    def _crm_care_merge_card_history(self, merged_into):
        """Move the history lines of the absorbed cards ({absorbed card id: kept card id}) onto the kept card,
        with their dates (the lots keep their age). One expiry line per card and day: a moved expiry line of
        a day the kept card (or another moved line) already has stays a plain "used" line, without its
        expiry date. Membership card fields follow."""
        self.env.flush_all()
        mapping = SQL(", ").join(SQL("(%s, %s)", old, new) for old, new in merged_into.items())
        self.env.cr.execute(
            SQL(
                """
                WITH m(old_id, new_id) AS (VALUES %(mapping)s),
                moved AS (
                    SELECT h.id, m.new_id,
                           h.crm_loyalty_expiry_date IS NOT NULL
                           AND NOT EXISTS (SELECT 1 FROM loyalty_history k
                                            WHERE k.card_id = m.new_id
                                              AND k.crm_loyalty_expiry_date = h.crm_loyalty_expiry_date)
                           AND ROW_NUMBER() OVER (PARTITION BY m.new_id, h.crm_loyalty_expiry_date ORDER BY h.id) = 1
                           AS keeps_date
                      FROM loyalty_history h
                      JOIN m ON m.old_id = h.card_id
                )
                UPDATE loyalty_history h
                   SET card_id = moved.new_id,
                       crm_loyalty_expiry_date = CASE WHEN moved.keeps_date THEN h.crm_loyalty_expiry_date END
                  FROM moved
                 WHERE h.id = moved.id
                """,
                mapping=mapping,
            )
        )
        self.env.cr.execute(
            SQL(
                """
                WITH m(old_id, new_id) AS (VALUES %(mapping)s)
                UPDATE res_partner p SET loyalty_member_card_id = m.new_id
                  FROM m
                 WHERE p.loyalty_member_card_id = m.old_id
                """,
                mapping=mapping,
            )
        )
        self.env["loyalty.history"].invalidate_model()
        self.env["loyalty.card"].invalidate_model()
        self.env["res.partner"].invalidate_model(["loyalty_member_card_id"])

    def _crm_care_merge_apply_loyalty_lock(self, survivor, kind, values, owner_name):
        """Write the tier lock picked by _crm_care_merge_pick_lock on the survivor (sudo). A carried lock
        brings its tier, reason, end date and review date together; a changed tier gets a history line and
        the tier's pricelist, but no "your membership is now" mail (the customer already had that tier)."""
        if kind == "company":
            return
        if kind == "none":
            survivor.write({"loyalty_tier_locked": False, "loyalty_lock_reason": False, "loyalty_lock_until": False})
            return
        old_tier = survivor.loyalty_tier_id
        tier = values["loyalty_tier_id"]
        survivor.write({**values, "loyalty_tier_id": tier.id})
        if old_tier == tier:
            return
        company = survivor.company_id or self.env.company
        self.env["crm.loyalty.tier.history"].sudo().create(
            {
                "partner_id": survivor.id,
                "from_tier_id": old_tier.id,
                "to_tier_id": tier.id,
                "date": company._get_lifecycle_today()[0],
                "reason": "manual",
                "qualifying_spend": survivor.loyalty_qualifying_spend,
                "note": self.env._(
                    "Contacts merged: the tier lock of %(duplicate)s is kept (%(reason)s)",
                    duplicate=owner_name,
                    reason=values["loyalty_lock_reason"],
                ),
            }
        )
        survivor._loyalty_switch_pricelists([(survivor.id, tier.id, old_tier.id, "manual", 0.0, company.id)])
