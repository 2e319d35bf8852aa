from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, format_amount

from .crm_loyalty_run import STATE_COLUMNS, _assignments, _differs

CONTACT_COLUMNS = (*STATE_COLUMNS, "loyalty_tier_id")
# Set only by Customer Care managers (Set Tier wizard, unlock) and by the evaluations (superuser): the tier
# lock, its reason and end date, and the tier it holds with its dates.
LOCK_FIELDS = {
    "loyalty_tier_locked",
    "loyalty_lock_reason",
    "loyalty_lock_until",
    "loyalty_tier_id",
    "loyalty_tier_since",
    "loyalty_review_date",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    loyalty_tier_id = fields.Many2one(
        "crm.loyalty.tier",
        string="Membership Tier",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        ondelete="restrict",
        group_expand="_read_group_loyalty_tier_ids",
    )
    loyalty_tier_since = fields.Date(string="Tier Since", readonly=True, copy=False)
    loyalty_review_date = fields.Date(
        string="Tier Review Date",
        readonly=True,
        copy=False,
        help="On this date the tier is reviewed: kept if the spend still qualifies, else one tier lower.",
    )
    loyalty_qualifying_spend = fields.Monetary(
        string="Qualifying Spend",
        currency_field="lifecycle_currency_id",
        readonly=True,
        copy=False,
        help="Untaxed amount of confirmed orders over the qualifying window, in company currency.",
    )
    loyalty_qualifying_orders = fields.Integer(string="Qualifying Orders", readonly=True, copy=False)
    # compute_sudo: the ladder is configuration; a portal customer reading their own progress needs it too
    loyalty_next_tier_id = fields.Many2one(
        "crm.loyalty.tier", string="Next Tier", compute="_compute_loyalty_next_tier", compute_sudo=True
    )
    loyalty_spend_to_next_tier = fields.Monetary(
        string="Spend to Next Tier",
        currency_field="lifecycle_currency_id",
        compute="_compute_loyalty_next_tier",
        compute_sudo=True,
    )
    loyalty_progress = fields.Float(
        string="Progress to Next Tier",
        compute="_compute_loyalty_next_tier",
        compute_sudo=True,
        help="In %, of the next tier's spend (0 to 100); 0 for a customer without a tier (not a member yet).",
    )
    loyalty_progress_label = fields.Char(
        compute="_compute_loyalty_next_tier",
        string="Tier Progress",
        compute_sudo=True,
        help="What is left to reach the next tier, \"Top tier reached\", or \"Not a member yet\" without a tier.",
    )
    loyalty_tier_locked = fields.Boolean(
        string="Tier Locked",
        readonly=True,
        copy=False,
        help="A locked tier is kept until the lock's end date (or until a manager unlocks it).",
        groups="crm_lifecycle.group_crm_care_user",
    )
    loyalty_lock_reason = fields.Char(
        string="Tier Lock Reason", readonly=True, copy=False, groups="crm_lifecycle.group_crm_care_user"
    )
    loyalty_lock_until = fields.Date(
        string="Tier Locked Until", readonly=True, copy=False, groups="crm_lifecycle.group_crm_care_user"
    )
    loyalty_member_card_id = fields.Many2one(
        "loyalty.card", string="Membership Card", readonly=True, copy=False, ondelete="set null", index="btree_not_null"
    )
    loyalty_points = fields.Float(related="loyalty_member_card_id.points", string="Loyalty Points")
    loyalty_points_shortfall = fields.Float(
        string="Points Shortfall",
        compute="_compute_loyalty_points_shortfall",
        groups="crm_lifecycle.group_crm_care_user",
        help="Points that credit notes should have taken back from the loyalty cards of this customer "
        "(commercial entity and its contacts) but that the cards no longer had (already redeemed).",
    )
    loyalty_tier_history_count = fields.Integer(
        compute="_compute_loyalty_tier_history_count", string="Tier Moves", groups="crm_lifecycle.group_crm_care_user"
    )

    @api.depends_context("allowed_company_ids")
    def _compute_loyalty_points_shortfall(self):
        entities = self.commercial_partner_id
        totals = dict(
            self.env["loyalty.card"]
            .sudo()
            ._read_group(
                [
                    ("partner_id.commercial_partner_id", "in", entities.ids),
                    ("crm_loyalty_points_shortfall", ">", 0),
                    # sudo reads every company's cards: keep those of the companies the user works in
                    ("company_id", "in", [*self.env.companies.ids, False]),
                ],
                ["partner_id"],
                ["crm_loyalty_points_shortfall:sum"],
            )
        )
        by_entity = {}
        for contact, total in totals.items():
            key = contact.commercial_partner_id.id
            by_entity[key] = by_entity.get(key, 0.0) + total
        for partner in self:
            partner.loyalty_points_shortfall = by_entity.get(partner.commercial_partner_id.id, 0.0)

    @api.model
    def _read_group_loyalty_tier_ids(self, tiers, domain):
        return tiers._get_ranked_tiers()

    @api.depends("loyalty_tier_id", "loyalty_qualifying_spend")
    def _compute_loyalty_next_tier(self):
        ladders = {}
        for partner in self:
            company = partner.company_id or self.env.company
            tier = partner.loyalty_tier_id
            if company not in ladders:
                ladders[company] = self.env["crm.loyalty.tier"]._get_ranked_tiers(company)
            ladder = ladders[company]
            above = ladder.filtered(lambda t, tier=tier: t.min_spend > tier.min_spend) if tier else ladder
            next_tier = above[:1]
            spend = partner.loyalty_qualifying_spend
            partner.loyalty_next_tier_id = next_tier
            partner.loyalty_spend_to_next_tier = max(next_tier.min_spend - spend, 0.0) if next_tier else 0.0
            if not tier:
                # Not a member (no tier yet): no progress towards a tier they are not on; the entry tier is
                # still named as the next one, with what its minimum spend asks (often nothing: the first order).
                partner.loyalty_progress = 0.0
                partner.loyalty_progress_label = self.env._("Not a member yet")
                continue
            if not next_tier:
                partner.loyalty_progress = 100.0
                partner.loyalty_progress_label = self.env._("Top tier reached")
                continue
            partner.loyalty_progress = min(100.0, 100.0 * spend / next_tier.min_spend) if next_tier.min_spend else 100.0
            partner.loyalty_progress_label = self.env._(
                "%(amount)s more to reach %(tier)s",
                amount=format_amount(self.env, partner.loyalty_spend_to_next_tier, company.currency_id),
                tier=next_tier.name,
            )

    def _compute_loyalty_tier_history_count(self):
        counts = dict(
            self.env["crm.loyalty.tier.history"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.loyalty_tier_history_count = counts.get(partner.commercial_partner_id, 0)

    @api.constrains("loyalty_tier_locked", "loyalty_lock_reason")
    def _check_loyalty_lock_reason(self):
        for partner in self:
            if partner.loyalty_tier_locked and not (partner.loyalty_lock_reason or "").strip():
                raise ValidationError(self.env._("Locking the membership tier of %s needs a reason.", partner.name))

    @api.model_create_multi
    def create(self, vals_list):
        # default_* context keys (an RPC client sets the context) count as much as the values given
        defaults = {
            key[len("default_") :] for key, value in self.env.context.items() if key.startswith("default_") and value
        }
        if LOCK_FIELDS & defaults or any(vals.get(name) for vals in vals_list for name in LOCK_FIELDS):
            self._check_loyalty_lock_access()
        return super().create(vals_list)

    def write(self, vals):
        if LOCK_FIELDS & vals.keys():
            self._check_loyalty_lock_access()
        entities_before = {partner.id: partner.commercial_partner_id for partner in self} if "parent_id" in vals else {}
        result = super().write(vals)
        if entities_before:
            self._loyalty_commercial_entity_changed(entities_before)
        return result

    def _loyalty_commercial_entity_changed(self, entities_before):
        """Contacts who changed commercial entity (left a company, joined another) take no card with
        them: the company keeps its card and its points. A contact who is now her own commercial entity
        drops the company's card (she keeps only a card she owns); a contact who joined another company
        gets that company's membership values (card, tier) copied at once.

        entities_before: {partner id: commercial entity (record) before the write}.
        """
        moved = self.filtered(lambda partner: partner.commercial_partner_id != entities_before.get(partner.id))
        if not moved:
            return
        # sudo: membership bookkeeping following a change of company the user was allowed to write.
        moved = moved.sudo()
        for partner in moved.filtered(lambda p: p.commercial_partner_id == p):
            if partner.loyalty_member_card_id and partner.loyalty_member_card_id.partner_id != partner:
                partner.loyalty_member_card_id = False
        self._loyalty_sync_contacts(moved.commercial_partner_id.ids)

    def _check_loyalty_lock_access(self):
        """The tier, its lock, reason, end date and review date change through the Set Tier wizard, the
        unlock action and the evaluations (run as superuser), never by a direct create or write of someone
        who is not a Customer Care manager (RPC included)."""
        if not self.env.su and not self.env.user.has_group("crm_lifecycle.group_crm_care_manager"):
            raise AccessError(
                self.env._("Only Customer Care managers can lock, unlock or set the membership tier of a customer.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_loyalty_set_tier(self):
        self._check_lifecycle_manager()
        partner = self.commercial_partner_id[:1]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Set Membership Tier"),
            "res_model": "crm.loyalty.lock.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": partner.id, "default_tier_id": partner.loyalty_tier_id.id},
        }

    def action_loyalty_unlock(self):
        """End the lock now: from today the normal rules apply (today is a review day)."""
        self._check_lifecycle_manager()
        partners = self.commercial_partner_id.filtered("loyalty_tier_locked")
        for partner in partners:
            partner.write(
                {
                    "loyalty_tier_locked": False,
                    "loyalty_lock_reason": False,
                    "loyalty_lock_until": False,
                    "loyalty_review_date": (partner.company_id or self.env.company)._get_lifecycle_today()[0],
                }
            )
        partners.sudo()._loyalty_refresh()
        return True

    def action_view_loyalty_tier_history(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_loyalty.crm_loyalty_tier_history_action")
        action["domain"] = [("partner_id", "in", self.commercial_partner_id.ids)]
        action["context"] = {}
        return action

    def action_view_loyalty_card(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "loyalty.card",
            "res_id": self.loyalty_member_card_id.id,
            "view_mode": "form",
        }

    def _loyalty_set_tier_manually(self, tier, reason, lock_until=False):
        """A manager's tier: kept (locked) until lock_until, or until unlocked when there is no end date."""
        self._check_lifecycle_manager()
        if not (reason or "").strip():
            raise ValidationError(self.env._("Setting a membership tier by hand needs a reason."))
        today = (self.company_id[:1] or self.env.company)._get_lifecycle_today()[0]
        if lock_until and lock_until <= today:
            raise ValidationError(self.env._("The end date of the tier lock must be after today."))
        for partner in self.commercial_partner_id:
            old_tier = partner.loyalty_tier_id
            partner.write(
                {
                    "loyalty_tier_locked": True,
                    "loyalty_lock_reason": reason.strip(),
                    "loyalty_lock_until": lock_until,
                    "loyalty_review_date": lock_until,
                    "loyalty_tier_since": today if old_tier != tier else partner.loyalty_tier_since,
                }
            )
            move = (
                partner.id,
                tier.id,
                old_tier.id,
                "manual",
                partner.loyalty_qualifying_spend,
                (partner.company_id or self.env.company).id,
            )
            if old_tier != tier:
                partner.sudo()._loyalty_apply_tier_changes([move], note=reason.strip())
            else:
                self._loyalty_sync_contacts(partner.ids)

    # ------------------------------------------------------------------
    # Evaluation of selected customers (order events, buttons)
    # ------------------------------------------------------------------

    def _crm_care_refresh_purchases(self):
        """Evaluate the tiers too, in this transaction, after crm_lifecycle's refresh: a purchase paid at
        the till upgrades at once; a refund lowers the spend at once (a downgrade waits for the review)."""
        result = super()._crm_care_refresh_purchases()
        self._loyalty_refresh(enroll=True)
        return result

    def _loyalty_refresh(self, enroll=False):
        """Evaluate the tiers of these partners' commercial entities, in this transaction.

        A constant number of queries whatever the customers' order history: one statement per company
        computes and writes qualifying spend, review dates and lock lapses; only tier changes go
        through the ORM. enroll: give the customers who ordered a membership card (company setting).
        """
        partners = self.commercial_partner_id
        if not partners:
            return
        by_company = defaultdict(list)
        for partner in partners:
            by_company[partner.company_id or self.env.company].append(partner.id)
        run_model = self.env["crm.loyalty.run"]
        moves = []
        self.env.flush_all()
        for company, partner_ids in by_company.items():
            if enroll and company.loyalty_auto_enroll and company.loyalty_program_id:
                self._loyalty_enroll(company, partner_ids)
            moves += self.env.execute_query(
                SQL(
                    """
                    WITH q AS (%(query)s), upd AS (
                        UPDATE res_partner p SET %(assign)s
                          FROM q
                         WHERE p.id = q.partner_id AND (%(differs)s)
                    )
                    SELECT q.partner_id, q.loyalty_tier_id, q.old_tier_id, q.reason,
                           q.loyalty_qualifying_spend, %(company_id)s
                      FROM q
                     WHERE q.loyalty_tier_id IS DISTINCT FROM q.old_tier_id
                    """,
                    query=run_model._get_tier_query(run_model._get_loyalty_params(company), partner_ids),
                    assign=_assignments(STATE_COLUMNS, "q"),
                    differs=_differs(STATE_COLUMNS, "p", "q"),
                    company_id=company.id,
                )
            )
        self.invalidate_model(list(STATE_COLUMNS))
        if moves:
            self._loyalty_apply_tier_changes(moves)
        else:
            self._loyalty_sync_contacts(partners.ids)

    def _loyalty_enroll(self, company, partner_ids):
        """Give the commercial entities that have a purchase (crm.purchase: a confirmed order, a direct
        invoice, a POS order, not refunded in full) a membership card of the company's program: their own
        existing card, else a new one owned by the entity (never a contact's card, which would leave with
        the contact)."""
        program = company.loyalty_program_id
        rows = self.env.execute_query(
            SQL(
                """
                SELECT cp.id,
                       (SELECT c.id FROM loyalty_card c
                         WHERE c.program_id = %(program)s AND c.active AND c.partner_id = cp.id
                         ORDER BY c.id
                         LIMIT 1)
                  FROM res_partner cp
                 WHERE cp.id IN %(ids)s AND cp.loyalty_member_card_id IS NULL
                   AND cp.id IN (SELECT pu.partner_id FROM (%(purchases)s) pu WHERE pu.counted)
                """,
                program=program.id,
                ids=tuple(partner_ids),
                purchases=self.env["crm.purchase"]._get_purchase_totals_sql(partner_ids=partner_ids),
            )
        )
        if not rows:
            return
        missing = [partner_id for partner_id, card_id in rows if not card_id]
        cards = (
            self.env["loyalty.card"]
            .sudo()
            .create([{"program_id": program.id, "partner_id": partner_id, "points": 0} for partner_id in missing])
        )
        card_by_partner = {partner_id: card_id for partner_id, card_id in rows if card_id}
        card_by_partner.update(zip(missing, cards.ids, strict=True))
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner p SET loyalty_member_card_id = m.card_id
                     FROM (VALUES %s) AS m(partner_id, card_id)
                    WHERE p.commercial_partner_id = m.partner_id""",
                SQL(", ").join(SQL("(%s, %s)", pid, cid) for pid, cid in card_by_partner.items()),
            )
        )
        self.invalidate_model(["loyalty_member_card_id"])

    # ------------------------------------------------------------------
    # Tier changes
    # ------------------------------------------------------------------

    @api.model
    def _loyalty_apply_tier_changes(self, moves, note=False):
        """Write tier changes through the ORM, grouped by target tier; returns the number of errors.

        moves: (partner_id, tier_id, old_tier_id, reason, qualifying_spend, company_id) of commercial
        entities. Tracking sees each change; then history lines, pricelists, mails and activities.
        A change that fails is logged and skipped; the others go on.
        """
        if not moves:
            return 0
        groups = defaultdict(list)
        for move in moves:
            groups[move[1]].append(move)
        done, errors = [], 0
        for tier_id, members in groups.items():
            vals = {"loyalty_tier_id": tier_id}
            try:
                with self.env.cr.savepoint():
                    self.browse([move[0] for move in members]).write(vals)
                done += members
            except Exception:  # noqa: BLE001 - isolate the failing customer, keep the batch going
                for move in members:
                    try:
                        with self.env.cr.savepoint():
                            self.browse(move[0]).write(vals)
                        done.append(move)
                    except Exception:  # noqa: BLE001
                        errors += 1
                        self.env["crm.loyalty.run"]._log_tier_error(move[0], tier_id)
        company_ids = {move[5] for move in done}
        today = {
            cid: (self.env["res.company"].browse(cid) or self.env.company)._get_lifecycle_today()[0]
            for cid in company_ids
        }
        self.env["crm.loyalty.tier.history"].sudo().create(
            [
                {
                    "partner_id": partner_id,
                    "from_tier_id": old_tier_id,
                    "to_tier_id": tier_id,
                    "date": today[company_id],
                    "reason": reason,
                    "qualifying_spend": spend,
                    "note": note,
                    "user_id": self.env.uid,
                }
                for partner_id, tier_id, old_tier_id, reason, spend, company_id in done
            ]
        )
        self._loyalty_switch_pricelists(done)
        # A member moved because her tier was retired did nothing: no "welcome" or "your membership is now"
        # email (it would read as an upgrade or a sanction); the history line says why.
        self._loyalty_notify([move for move in done if move[3] != "tier_retired"])
        self._loyalty_sync_contacts([move[0] for move in moves])
        return errors

    @api.model
    def _loyalty_switch_pricelists(self, moves):
        """Give the customers the pricelist of their new tier (when it has one), in their company."""
        tiers = self.env["crm.loyalty.tier"].sudo().browse({move[1] for move in moves if move[1]})
        pricelist_by_tier = {tier.id: tier.pricelist_id.id for tier in tiers if tier.pricelist_id}
        groups = defaultdict(list)
        for partner_id, tier_id, __, __, __, company_id in moves:
            if tier_id in pricelist_by_tier:
                groups[company_id, pricelist_by_tier[tier_id]].append(partner_id)
        for (company_id, pricelist_id), partner_ids in groups.items():
            company = self.env["res.company"].browse(company_id)
            self.browse(partner_ids).sudo().with_company(company).write(
                {"specific_property_product_pricelist": pricelist_id}
            )

    @api.model
    def _loyalty_notify(self, moves):
        """Mail customers moved up or down (not on entering the lowest tier); an activity for the
        salesperson of a customer who reaches the top tier (not when the top tier is the lowest one).

        Emails are rendered and sent in the company of the tier (the move's company), not the running
        user's: a contact without company of company B gets B's address and layout. The to-do goes along
        CRM Care's assignment chain (res.users._crm_care_get_assignee): salesperson, their sales team
        leader, Customer Care managers, active and allowed in that company; it is written in that user's
        language.
        """
        ups, downs, tops = defaultdict(list), defaultdict(list), defaultdict(list)
        ladders = {}
        for partner_id, tier_id, old_tier_id, __, __, company_id in moves:
            if company_id not in ladders:
                ladder = self.env["crm.loyalty.tier"]._get_ranked_tiers(self.env["res.company"].browse(company_id))
                ladders[company_id] = {tier.id: rank for rank, tier in enumerate(ladder, start=1)}
            ranks = ladders[company_id]
            new_rank, old_rank = ranks.get(tier_id, 0), ranks.get(old_tier_id, 0)
            if new_rank > old_rank and (old_tier_id or new_rank > 1):
                ups[company_id].append(partner_id)
            elif new_rank < old_rank:
                downs[company_id].append(partner_id)
            # entering the lowest tier is no achievement, even on a ladder of one tier
            if new_rank > 1 and new_rank == len(ranks) and new_rank > old_rank:
                tops[company_id].append(partner_id)
        for xmlid, by_company in (
            ("crm_loyalty.mail_template_loyalty_upgrade", ups),
            ("crm_loyalty.mail_template_loyalty_downgrade", downs),
        ):
            template = self.env.ref(xmlid, raise_if_not_found=False)
            for company_id, partner_ids in by_company.items():
                recipients = self.browse(partner_ids).filtered("email")
                if recipients and template:
                    company = self.env["res.company"].browse(company_id)
                    template.sudo().with_company(company).send_mail_batch(
                        recipients.ids, email_layout_xmlid="mail.mail_notification_light"
                    )
        for company_id, partner_ids in tops.items():
            company = self.env["res.company"].browse(company_id)
            for partner in self.browse(partner_ids).sudo():
                salesperson = partner.user_id or partner.commercial_partner_id.user_id
                user = self.env["res.users"]._crm_care_get_assignee(
                    company, salesperson, salesperson._crm_care_get_sales_team_leader()
                )
                if not user:
                    continue
                # in the language of whom it is for (the nightly job has none)
                env = self.with_context(lang=user.lang).env
                partner.with_company(company).activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=env._(
                        "%(partner)s reached %(tier)s",
                        partner=partner.name,
                        tier=partner.loyalty_tier_id.with_context(lang=user.lang).name,
                    ),
                    note=env._(
                        "%(partner)s is now in the top membership tier. Thank them personally and make sure "
                        "their benefits are in place.",
                        partner=partner.name,
                    ),
                )

    @api.model
    def _loyalty_sync_contacts(self, partner_ids=None):
        """Copy the membership values of commercial entities onto their contacts (set-based)."""
        self._crm_care_sync_contacts(CONTACT_COLUMNS, partner_ids)

    # ------------------------------------------------------------------
    # Member page values
    # ------------------------------------------------------------------

    def _loyalty_get_next_expiry(self):
        """(date, points) of the next points to expire on the membership card, or (False, 0)."""
        self.ensure_one()
        card = self.commercial_partner_id.loyalty_member_card_id
        company = self.commercial_partner_id.company_id or self.env.company
        return card.sudo()._loyalty_get_next_expiry(company)
