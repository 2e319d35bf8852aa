import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_lifecycle.models.crm_batch_run import _assignments, _differs, _version
from odoo.addons.crm_lifecycle.tools import business_time

_logger = logging.getLogger(__name__)

# Columns of res.partner that a tier evaluation writes set-based (the tier itself goes through the ORM).
STATE_COLUMNS = (
    "loyalty_qualifying_spend",
    "loyalty_qualifying_orders",
    "loyalty_tier_since",
    "loyalty_review_date",
    "loyalty_tier_locked",
    "loyalty_lock_reason",
    "loyalty_lock_until",
    "loyalty_member_card_id",
)
# Columns of a member a run line is computed from: when one of them changed between the run's preparation
# and its application (an order upgraded her, a manager set her tier), the line is recomputed, not applied.
VERSION_COLUMNS = (*STATE_COLUMNS, "loyalty_tier_id")
CHUNK_SIZE = 20000
# Key of the advisory lock that makes preparing a tier run single-worker ("crm_loyalty" as a number).
PREPARE_LOCK_KEY = 0x63726D6C6F79


class CrmLoyaltyRun(models.Model):
    """One nightly evaluation of the membership tiers: a log for admins and the unit of resumption.

    Prepared in one transaction (every member's qualifying spend and the tier the rules give, computed by
    one set-based query; the members whose values change stored as run lines cut in chunks), then applied
    chunk by chunk, one transaction each (crm.batch.run.mixin): two workers share the chunks, a killed
    run resumes with the chunks it had not finished.
    """

    _name = "crm.loyalty.run"
    _inherit = ["crm.batch.run.mixin"]
    _description = "Membership Tier Evaluation"

    _batch_line_model = "crm.loyalty.run.line"
    _batch_chunk_model = "crm.loyalty.run.chunk"
    _batch_lock_key = PREPARE_LOCK_KEY
    _batch_counters = ("changed_count", "tier_change_count", "error_count")

    changed_count = fields.Integer(string="Members Updated")
    tier_change_count = fields.Integer(string="Tier Changes", readonly=True)

    # ------------------------------------------------------------------
    # The rules, as one query (shared by the nightly run and order events)
    # ------------------------------------------------------------------

    @api.model
    def _get_loyalty_params(self, company):
        """crm_lifecycle's company date and currency, plus the first instant of the qualifying window."""
        params = self.env["crm.lifecycle.run"]._get_lifecycle_params(company, full=False)
        window = company.loyalty_window_days or 365
        window_start = business_time.day_start_utc(params["tz"], params["today"] - timedelta(days=window - 1))
        return {
            "company_id": company.id,
            "default_company_id": self.env.company.id,
            "currency_id": params["currency_id"],
            "digits": params["digits"],
            "today": params["today"],
            "tz": params["tz"],
            "window_days": window,
            "window_start": window_start,
            "program_id": company.loyalty_program_id.id or None,
        }

    @api.model
    def _get_tier_spend_sql(self, params, partner_ids=None):
        """SELECT of the qualifying spend and orders per commercial entity, from the purchase ledger
        (crm.purchase): the net amounts of the purchases of the qualifying window (refunds netted on the
        purchase they refund, so a refund lowers the spend at once) and the number of those that count as
        purchases (not fully refunded, not zero). Columns: partner_id, spend, orders."""
        totals = self.env["crm.purchase"]._get_purchase_totals_sql(
            params["currency_id"], params["tz"], partner_ids, until=params["today"]
        )
        return SQL(
            """SELECT pu.partner_id, SUM(pu.amount) AS spend, COUNT(*) FILTER (WHERE pu.counted) AS orders
                 FROM (%s) pu
                WHERE pu.date_order >= %s
                GROUP BY pu.partner_id""",
            totals,
            params["window_start"],
        )

    @api.model
    def _get_tier_query(self, params, partner_ids=None):
        """SELECT giving, per commercial entity, its qualifying spend and orders and the tier the rules give.

        Columns: partner_id, STATE_COLUMNS, loyalty_tier_id, old_tier_id, reason (of a tier change).
        Rules: upgrade to the highest qualifying tier at once; on the review date (or when a lock lapses)
        keep the tier if it still qualifies, else go down one tier; a lock keeps everything but the spend.
        A member of a retired tier (archived, or moved to another company) goes at once to the active tier
        just below it in the ladder, or to the higher one her spend qualifies for (reason tier_retired); her
        review date and lock stay as they are.
        """
        return SQL(
            """
            WITH tiers AS (
                %(tiers)s
            ), agg AS (
                %(agg)s
            ), cand AS (
                %(cand)s
            ), base AS (
                %(base)s
            ), qualified AS (
                %(qualified)s
            ), decided AS (
                %(decided)s
            )
            %(select)s
            """,
            tiers=self._tier_cte_tiers(params),
            agg=self._get_tier_spend_sql(params, partner_ids),
            cand=self._tier_cte_candidates(params, partner_ids),
            base=self._tier_cte_base(params),
            qualified=self._tier_cte_qualified(params),
            decided=self._tier_cte_decided(params),
            select=self._tier_select(params),
        )

    @api.model
    def _tier_cte_tiers(self, params):
        """CTE tiers: the active tiers of params' company (or shared), ranked from 1 (lowest) by sequence,
        minimum spend and id. Columns: id, sequence, min_spend, min_orders, rank."""
        return SQL(
            """SELECT id, sequence, min_spend, COALESCE(min_orders, 0) AS min_orders,
                       ROW_NUMBER() OVER (ORDER BY sequence, min_spend, id) AS rank
                  FROM crm_loyalty_tier
                 WHERE active AND (company_id IS NULL OR company_id = %(company_id)s)""",
            **params,
        )

    @api.model
    def _tier_cte_candidates(self, params, partner_ids=None):
        """CTE cand: the commercial entities (of partner_ids, or all) to evaluate: those with purchases in
        the window (agg) and members with a tier, qualifying orders or a lock. Column: partner_id."""
        only_cp = SQL("AND id IN %s", tuple(partner_ids)) if partner_ids is not None else SQL()
        return SQL(
            """SELECT partner_id FROM agg
                 UNION
                SELECT id FROM res_partner
                 WHERE id = commercial_partner_id
                   AND (loyalty_tier_id IS NOT NULL OR loyalty_qualifying_orders > 0 OR loyalty_tier_locked)
                   %(only_cp)s""",
            only_cp=only_cp,
        )

    @api.model
    def _tier_cte_base(self, params):
        """CTE base: each candidate of params' company with its qualifying spend and orders, its stored
        tier, rank, dates and lock (old_*), whether its tier is retired (and the rank just below it), its
        membership card (stored, else its own active card of the program) and whether its lock holds or
        lapsed today."""
        return SQL(
            """SELECT cp.id AS partner_id,
                       ROUND(COALESCE(a.spend, 0), %(digits)s) AS spend,
                       COALESCE(a.orders, 0) AS orders,
                       cp.loyalty_tier_id AS old_tier_id,
                       ot.rank AS old_rank,
                       cp.loyalty_tier_id IS NOT NULL AND ot.id IS NULL AS retired,
                       (SELECT MAX(t.rank) FROM tiers t
                         WHERE ot.id IS NULL
                           AND (t.sequence, t.min_spend, t.id) < (rt.sequence, rt.min_spend, rt.id)) AS below_rank,
                       cp.loyalty_tier_since AS old_since,
                       cp.loyalty_review_date AS old_review,
                       COALESCE(cp.loyalty_tier_locked, FALSE) AS old_locked,
                       cp.loyalty_lock_reason AS old_lock_reason,
                       cp.loyalty_lock_until AS old_lock_until,
                       COALESCE(cp.loyalty_member_card_id, (
                           SELECT c.id FROM loyalty_card c
                            WHERE c.partner_id = cp.id AND c.program_id = %(program_id)s AND c.active
                            ORDER BY c.id LIMIT 1
                       )) AS card_id,
                       -- a lock without end date never expires (NULL would clear it below)
                       COALESCE(cp.loyalty_tier_locked, FALSE)
                           AND COALESCE(cp.loyalty_lock_until <= %(today)s, FALSE) AS lock_expired,
                       COALESCE(cp.loyalty_tier_locked, FALSE)
                           AND (cp.loyalty_lock_until IS NULL OR cp.loyalty_lock_until > %(today)s) AS locked
                  FROM cand c
                  JOIN res_partner cp ON cp.id = c.partner_id
                  LEFT JOIN agg a ON a.partner_id = c.partner_id
                  LEFT JOIN tiers ot ON ot.id = cp.loyalty_tier_id
                  LEFT JOIN crm_loyalty_tier rt ON rt.id = cp.loyalty_tier_id
                 WHERE COALESCE(cp.company_id, %(default_company_id)s) = %(company_id)s""",
            **params,
        )

    @api.model
    def _tier_cte_qualified(self, params):
        """CTE qualified: base with the highest tier its spend and orders qualify for (q_tier_id, q_rank,
        0 for none)."""
        return SQL(
            """SELECT b.*, q.id AS q_tier_id, COALESCE(q.rank, 0) AS q_rank
                  FROM base b
                  LEFT JOIN LATERAL (
                      SELECT t.id, t.rank FROM tiers t
                       WHERE t.min_spend <= b.spend AND t.min_orders <= b.orders
                       ORDER BY t.rank DESC LIMIT 1
                  ) q ON TRUE""",
        )

    @api.model
    def _tier_cte_decided(self, params):
        """CTE decided: qualified with the rule that applies (action): retired, keep (locked, or before the
        review date), up (qualifies for a higher tier: at once), and on the review date or when a lock
        lapses, renew (still qualifies) or down (one tier)."""
        return SQL(
            """SELECT qu.*,
                       CASE
                           WHEN qu.retired THEN 'retired'
                           WHEN qu.locked THEN 'keep'
                           WHEN qu.q_rank > COALESCE(qu.old_rank, 0) THEN 'up'
                           WHEN qu.old_tier_id IS NULL THEN 'keep'
                           WHEN qu.lock_expired OR qu.old_review IS NULL OR qu.old_review <= %(today)s THEN
                               CASE WHEN qu.q_rank < qu.old_rank THEN 'down' ELSE 'renew' END
                           ELSE 'keep'
                       END AS action
                  FROM qualified qu""",
            **params,
        )

    @api.model
    def _tier_select(self, params):
        """Final SELECT over decided: STATE_COLUMNS (tier since and review date moved by a change or
        renewal, a lapsed lock cleared), the new tier, the old one and the reason of a change."""
        return SQL(
            """SELECT d.partner_id,
                   d.spend AS loyalty_qualifying_spend,
                   d.orders AS loyalty_qualifying_orders,
                   CASE WHEN d.action IN ('up', 'down', 'retired') THEN %(today)s ELSE d.old_since END
                       AS loyalty_tier_since,
                   CASE WHEN d.action IN ('up', 'down', 'renew') THEN %(today)s + %(window_days)s
                        ELSE d.old_review END AS loyalty_review_date,
                   d.old_locked AND NOT d.lock_expired AS loyalty_tier_locked,
                   CASE WHEN d.lock_expired THEN NULL ELSE d.old_lock_reason END AS loyalty_lock_reason,
                   CASE WHEN d.lock_expired THEN NULL ELSE d.old_lock_until END AS loyalty_lock_until,
                   d.card_id AS loyalty_member_card_id,
                   CASE d.action
                       WHEN 'up' THEN d.q_tier_id
                       WHEN 'down' THEN (SELECT t.id FROM tiers t WHERE t.rank = d.old_rank - 1)
                       WHEN 'retired' THEN (SELECT t.id FROM tiers t
                                             WHERE t.rank = GREATEST(COALESCE(d.below_rank, 0), d.q_rank))
                       ELSE d.old_tier_id
                   END AS loyalty_tier_id,
                   d.old_tier_id,
                   CASE WHEN d.action = 'retired' THEN 'tier_retired'
                        WHEN d.lock_expired THEN 'lock_expired'
                        WHEN d.action = 'up' THEN 'upgrade'
                        ELSE 'review' END AS reason
              FROM decided d""",
            **params,
        )

    # ------------------------------------------------------------------
    # The nightly run
    # ------------------------------------------------------------------

    @api.model
    def _cron_evaluate_tiers(self, chunk_size=CHUNK_SIZE):
        """Evaluate every member's tier; resumable and safe with concurrent workers."""
        self._batch_run(chunk_size)

    def _prepare_run_lines(self, chunk_size):
        """Every company's members whose tier or values change, as run lines."""
        columns = (*STATE_COLUMNS, "loyalty_tier_id")
        for company in self.env["res.company"].sudo().search([("loyalty_window_days", ">", 0)]):
            query = self._get_tier_query(self._get_loyalty_params(company))
            self.env.cr.execute(
                SQL(
                    """
                    WITH q AS (%(query)s)
                    INSERT INTO crm_loyalty_run_line
                           (run_id, chunk, partner_id, company_id, old_tier_id, reason, version, %(cols)s)
                    SELECT %(run_id)s,
                           (ROW_NUMBER() OVER (ORDER BY q.partner_id) - 1) / %(chunk_size)s
                               + COALESCE((SELECT MAX(chunk) + 1 FROM crm_loyalty_run_line
                                            WHERE run_id = %(run_id)s), 0),
                           q.partner_id, %(company_id)s, q.old_tier_id, q.reason, %(version)s, %(q_cols)s
                      FROM q
                      JOIN res_partner p ON p.id = q.partner_id
                     WHERE %(differs)s
                    """,
                    query=query,
                    cols=SQL(", ").join(map(SQL.identifier, columns)),
                    q_cols=SQL(", ").join(SQL.identifier("q", col) for col in columns),
                    run_id=self.id,
                    company_id=company.id,
                    chunk_size=chunk_size,
                    version=_version(VERSION_COLUMNS, "p"),
                    differs=_differs(columns, "p", "q"),
                )
            )

    def _finish_hook(self):
        self.env["res.partner"]._loyalty_sync_contacts()

    def _apply_chunk(self, chunk, initial=False):
        """Write one chunk: values set-based, tier changes through the ORM (tracking, mails, pricelists).

        The very first run after installation gives every customer its first tier set-based, in the same
        UPDATE as its values, with its history line and pricelist but without a mail to each customer.

        A member whose values changed since the run was prepared (an order upgraded her, a manager set her
        tier) is not given the line's older values: she is evaluated again now (`_loyalty_refresh`), so a
        run never moves a tier more than one step below the current one, nor clears a lock it did not set.
        """
        partners = self.env["res.partner"]
        partners.flush_model()
        stale = self._get_stale_partner_ids(chunk, VERSION_COLUMNS)
        if initial:
            counts = self._apply_chunk_initial(chunk, stale)
        else:
            changed = self._write_partners_from_lines(chunk, STATE_COLUMNS, stale)
            self.env.cr.execute(
                SQL(
                    """SELECT l.partner_id, l.loyalty_tier_id, p.loyalty_tier_id, l.reason,
                              l.loyalty_qualifying_spend, l.company_id
                         FROM crm_loyalty_run_line l
                         JOIN res_partner p ON p.id = l.partner_id
                        WHERE l.run_id = %s AND l.chunk = %s AND l.partner_id != ALL(%s::int[])
                          AND p.loyalty_tier_id IS DISTINCT FROM l.loyalty_tier_id""",
                    self.id,
                    chunk,
                    stale,
                )
            )
            moves = self.env.cr.fetchall()
            errors = partners._loyalty_apply_tier_changes(moves)
            counts = (changed, len(moves) - errors, errors)
        if stale:
            partners.browse(stale)._loyalty_refresh()
        return counts[0] + len(stale), counts[1], counts[2]

    def _write_partners_from_lines(self, chunk, columns, stale=()):
        """Copy `columns` of the chunk's run lines onto their members (one UPDATE), but for the `stale`
        partner ids; return how many."""
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner p
                      SET %(assign)s
                     FROM crm_loyalty_run_line l
                    WHERE l.run_id = %(run_id)s AND l.chunk = %(chunk)s
                      AND p.id = l.partner_id AND l.partner_id != ALL(%(stale)s::int[])""",
                assign=_assignments(columns, "l"),
                run_id=self.id,
                chunk=chunk,
                stale=list(stale),
            )
        )
        count = self.env.cr.rowcount
        self.env["res.partner"].invalidate_model(list(columns))
        return count

    def _apply_chunk_initial(self, chunk, stale=()):
        """First tiers, set-based: history lines, then the members' values and tiers, then tier pricelists
        (but for the `stale` partner ids)."""
        stale = list(stale)
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_loyalty_tier_history
                       (partner_id, company_id, from_tier_id, to_tier_id, date, reason, direction, qualifying_spend,
                        user_id, create_uid, create_date, write_uid, write_date)
                SELECT l.partner_id, p.company_id, p.loyalty_tier_id, l.loyalty_tier_id, %(today)s, l.reason,
                       CASE WHEN l.loyalty_tier_id IS NULL THEN 'down' ELSE 'up' END, l.loyalty_qualifying_spend,
                       %(uid)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM crm_loyalty_run_line l
                  JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.run_id = %(run_id)s AND l.chunk = %(chunk)s AND l.partner_id != ALL(%(stale)s::int[])
                   AND p.loyalty_tier_id IS DISTINCT FROM l.loyalty_tier_id
                """,
                today=self.date,
                uid=self.env.uid,
                now=now,
                run_id=self.id,
                chunk=chunk,
                stale=stale,
            )
        )
        tier_changes = self.env.cr.rowcount
        columns = (*STATE_COLUMNS, "loyalty_tier_id")
        changed = self._write_partners_from_lines(chunk, columns, stale)
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner p
                      SET specific_property_product_pricelist =
                          COALESCE(p.specific_property_product_pricelist, '{}'::jsonb)
                          || jsonb_build_object(l.company_id::text, t.pricelist_id)
                     FROM crm_loyalty_run_line l
                     JOIN crm_loyalty_tier t ON t.id = l.loyalty_tier_id
                    WHERE l.run_id = %(run_id)s AND l.chunk = %(chunk)s AND t.pricelist_id IS NOT NULL
                      AND l.old_tier_id IS DISTINCT FROM l.loyalty_tier_id
                      AND l.partner_id != ALL(%(stale)s::int[])
                      AND p.commercial_partner_id = l.partner_id""",
                run_id=self.id,
                chunk=chunk,
                stale=stale,
            )
        )
        self.env["res.partner"].invalidate_model([*columns, "specific_property_product_pricelist"])
        self.env["crm.loyalty.tier.history"].invalidate_model()
        return changed, tier_changes, 0

    @api.model
    def _log_tier_error(self, partner_id, tier_id):
        _logger.exception("Membership tiers: could not move partner %s to tier %s", partner_id, tier_id)


class CrmLoyaltyRunLine(models.Model):
    """Values a run writes for one changed member (technical, short-lived)."""

    _name = "crm.loyalty.run.line"
    _description = "Membership Tier Evaluation Line"
    _log_access = False

    run_id = fields.Many2one("crm.loyalty.run", required=True, ondelete="cascade")
    chunk = fields.Integer(required=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", ondelete="cascade")
    old_tier_id = fields.Many2one("crm.loyalty.tier", ondelete="set null")
    loyalty_tier_id = fields.Many2one("crm.loyalty.tier", ondelete="set null")
    reason = fields.Char()
    version = fields.Char(help="Version (md5) of the member's values the line was computed from.")
    loyalty_qualifying_spend = fields.Float(digits=(16, 6))
    loyalty_qualifying_orders = fields.Integer()
    loyalty_tier_since = fields.Date()
    loyalty_review_date = fields.Date()
    loyalty_tier_locked = fields.Boolean()
    loyalty_lock_reason = fields.Char()
    loyalty_lock_until = fields.Date()
    loyalty_member_card_id = fields.Many2one("loyalty.card", ondelete="set null")

    _run_chunk_idx = models.Index("(run_id, chunk)")


class CrmLoyaltyRunChunk(models.Model):
    """A chunk of a run still to apply; workers claim chunks with FOR UPDATE SKIP LOCKED."""

    _name = "crm.loyalty.run.chunk"
    _inherit = ["crm.batch.run.chunk.mixin"]
    _description = "Membership Tier Evaluation Chunk"

    run_id = fields.Many2one("crm.loyalty.run", required=True, ondelete="cascade", index=True)
    tier_change_count = fields.Integer()

    _run_chunk_unique = models.Constraint("UNIQUE(run_id, chunk)", "A chunk exists once per run.")
