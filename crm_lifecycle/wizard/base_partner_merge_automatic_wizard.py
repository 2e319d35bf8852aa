from odoo import models
from odoo.tools import SQL

# The stage lock: the flag and the values it holds. They move together, never the lock without its value.
LIFECYCLE_LOCK_VALUES = ("lifecycle_locked", "lifecycle_lock_reason", "lifecycle_stage_id", "lifecycle_stage_date")


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    """Odoo's contact merge, with CRM Care's records of the merged contacts following the survivor.

    Rules (see the README, "Merging contacts"):
    - segment memberships: one open membership per segment, the earliest entry kept;
    - care touches: all kept and moved; where the survivor and a duplicate share a step's occurrence, what
      happened (done, skipped, failed) is kept and a second planned touch is skipped with reason "merged";
    - stage and tier histories move with the contacts (Odoo's own foreign-key update);
    - locks: the survivor keeps its own lock; a duplicate's lock is carried over, with its value, reason and
      end date, only when the survivor has none; then the survivor is recomputed from the merged purchases.
    """

    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        partners = self.env["res.partner"].browse(partner_ids).exists()
        # Read before Odoo changes anything: its foreign-key update repoints the duplicates' own
        # commercial_partner_id to the survivor, and its values merge mixes the lock fields.
        locks = self._crm_care_merge_get_locks(partners, LIFECYCLE_LOCK_VALUES)
        result = super()._merge(partner_ids, dst_partner=dst_partner, extra_checks=extra_checks)
        survivor = partners.exists()
        if len(survivor) == 1 and len(partners) > 1:
            # sudo: the merge is Odoo's authority (its access checks passed above); settling the survivor's
            # lock and recomputing it is our bookkeeping, not a manager's lock or unlock.
            survivor = survivor.sudo()
            kind, __, values = self._crm_care_merge_pick_lock(survivor, locks)
            self._crm_care_merge_apply_lifecycle_lock(survivor, kind, values)
            survivor._lifecycle_refresh(reason="manual")
            survivor._lifecycle_sync_contacts(survivor.commercial_partner_id.ids)
            survivor.commercial_partner_id._crm_care_settle_voice_after_merge()
        return result

    def _update_foreign_keys(self, src_partners, dst_partner):
        # Before Odoo points every row of the duplicates to the survivor: settle the rows our unique keys
        # would refuse (Odoo would then fail on an index, or delete the rows on a constraint).
        self._crm_care_merge_segment_memberships(src_partners, dst_partner)
        self._crm_care_merge_touches(src_partners, dst_partner)
        return super()._update_foreign_keys(src_partners, dst_partner)

    def _update_values(self, src_partners, dst_partner):
        # Odoo's access check on the merged values is the write on the survivor: keep it explicit, then
        # merge as superuser, because Odoo copies every stored field onto the survivor, our locks and
        # manager-only fields included, although the merge locks nothing by itself (_merge settles the
        # locks by the rule below, whoever merges). A merge never fails on our manager-only checks.
        dst_partner.check_access("write")
        merging = {"crm_care_merge_values": True}  # the churn reason is settled after the merge (_merge)
        return super()._update_values(
            src_partners.sudo().with_context(**merging), dst_partner.sudo().with_context(**merging)
        )

    # ------------------------------------------------------------------
    # Locks
    # ------------------------------------------------------------------

    def _crm_care_merge_get_locks(self, partners, names):
        """{partner id: {field: value}} of the partners that own a lock (commercial entities; a contact holds
        a copy of its company's), in Odoo's merge order (active first, newest first). names[0] is the lock
        flag, the others the values it holds."""
        ordered = self._get_ordered_partner(partners.ids).sudo()
        return {
            partner.id: {name: partner[name] for name in names}
            for partner in ordered
            if partner.commercial_partner_id == partner and partner[names[0]]
        }

    def _crm_care_merge_pick_lock(self, survivor, locks):
        """The rule for locks: (kind, id of the partner whose lock it was, values). The survivor keeps its
        own lock ("own"); else the lock of the first locked duplicate is carried over whole, with its value,
        reason and end date ("carried"); else "none". A survivor that is a contact of a company has its
        company's lock ("company")."""
        if survivor.commercial_partner_id != survivor:
            return "company", None, {}
        if survivor.id in locks:
            return "own", survivor.id, locks[survivor.id]
        for partner_id, values in locks.items():
            return "carried", partner_id, values
        return "none", None, {}

    def _crm_care_merge_apply_lifecycle_lock(self, survivor, kind, values):
        """Write the stage lock picked by _crm_care_merge_pick_lock on the survivor (sudo); a carried lock
        that changes the survivor's stage writes a history line."""
        if kind == "company":
            return  # the refresh copies the company's values onto its contacts
        if kind == "none":
            survivor.write({"lifecycle_locked": False, "lifecycle_lock_reason": False})
            return
        old_stage = survivor.lifecycle_stage_id
        survivor.write(
            {
                "lifecycle_locked": True,
                "lifecycle_lock_reason": values["lifecycle_lock_reason"],
                "lifecycle_stage_id": values["lifecycle_stage_id"].id,
                "lifecycle_stage_date": values["lifecycle_stage_date"],
            }
        )
        if old_stage != values["lifecycle_stage_id"]:
            self.env["crm.lifecycle.history"].sudo().create(
                {
                    "partner_id": survivor.id,
                    "from_stage_id": old_stage.id,
                    "to_stage_id": values["lifecycle_stage_id"].id,
                    "date": (
                        survivor.company_id or self.env["res.company"]._get_crm_care_main_company()
                    )._get_lifecycle_today()[0],
                    "reason": "manual",
                }
            )

    # ------------------------------------------------------------------
    # Segment memberships and care touches
    # ------------------------------------------------------------------

    def _crm_care_merge_segment_memberships(self, src_partners, dst_partner):
        """One open membership per segment for the merged contacts: the earliest stay is kept (it moves to
        the survivor with the others), the later open ones are removed (a de-duplication, not an exit: no
        "left" event). Closed stays are history and all move."""
        partner_ids = tuple((src_partners | dst_partner).ids)
        rows = self.env.execute_query(
            SQL(
                """
                WITH ranked AS (
                    SELECT id, segment_id,
                           ROW_NUMBER() OVER (PARTITION BY segment_id ORDER BY date_entered, id) AS rank
                      FROM crm_segment_member
                     WHERE partner_id IN %(partners)s AND date_left IS NULL
                )
                DELETE FROM crm_segment_member m
                 USING ranked r
                 WHERE m.id = r.id AND r.rank > 1
                RETURNING m.segment_id
                """,
                partners=partner_ids,
            )
        )
        if not rows:
            return
        self.env["crm.segment.member"].invalidate_model()
        segments = self.env["crm.segment"].sudo().browse({segment_id for (segment_id,) in rows})
        counts = dict(
            self.env.execute_query(
                SQL(
                    """SELECT segment_id, COUNT(*) FROM crm_segment_member
                        WHERE segment_id IN %s AND date_left IS NULL GROUP BY segment_id""",
                    tuple(segments.ids),
                )
            )
        )
        for segment in segments:
            # sudo: the member count is bookkeeping of the segment, whoever merges.
            segment.write({"member_count": counts.get(segment.id, 0)})

    def _crm_care_merge_touches(self, src_partners, dst_partner):
        """Keep every care touch of the merged contacts. Where several of them have a touch of the same step
        and occurrence (the unique key), one keeps the key: what happened first (done, skipped, failed
        before planned), then the survivor's, then the oldest. The others get the key suffixed with their
        contact's id; those still planned are skipped with reason "merged" (the step already reaches the
        survivor for that occurrence). Contact pressure then counts every message the person received."""
        partner_ids = tuple((src_partners | dst_partner).ids)
        rows = self.env.execute_query(
            SQL(
                """
                SELECT t.id, t.partner_id, t.state, t.occurrence_key, t.step_id
                  FROM crm_care_touch t
                  JOIN (SELECT step_id, occurrence_key FROM crm_care_touch
                         WHERE partner_id IN %(partners)s
                         GROUP BY step_id, occurrence_key HAVING COUNT(*) > 1) dup
                    ON dup.step_id = t.step_id AND dup.occurrence_key = t.occurrence_key
                 WHERE t.partner_id IN %(partners)s
                 ORDER BY t.step_id, t.occurrence_key, t.state = 'planned', t.partner_id != %(dst)s, t.id
                """,
                partners=partner_ids,
                dst=dst_partner.id,
            )
        )
        Touch = self.env["crm.care.touch"].sudo()
        keeper = None
        for touch_id, partner_id, state, key, step_id in rows:
            if keeper != (step_id, key):
                keeper = (step_id, key)  # the first of its group keeps the key
                continue
            vals = {"occurrence_key": f"{key} (merged, contact #{partner_id})"}
            if state == "planned":
                vals.update(state="skipped", reason="merged")
            # sudo: touches are the campaigns' bookkeeping; the merge settles them whoever merges.
            Touch.browse(touch_id).write(vals)
        Touch.flush_model()
