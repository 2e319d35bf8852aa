import json
import logging
from datetime import timedelta

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.crm_lifecycle.tools import business_time
from odoo.addons.crm_lifecycle.tools.customer_lang import customer_lang

_logger = logging.getLogger(__name__)

EXPIRY_CHUNK_SIZE = 50000
# Key of the advisory lock of the points expiry ("loyexp" as a number), with the program id.
EXPIRY_LOCK_KEY = 0x6C6F79657870 & 0x7FFFFFFF


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    crm_loyalty_points_shortfall = fields.Float(
        string="Points Shortfall",
        readonly=True,
        copy=False,
        help="Points that credit notes should have taken back from this card (points earned on refunded "
        "orders) but that it no longer had, already redeemed: the card stays at zero and the shortfall is "
        "kept here (points), for Customer Care to settle with the customer.",
    )

    # ------------------------------------------------------------------
    # Points expiry, first in first out
    # ------------------------------------------------------------------
    # A card's history lines are its lots (issued, dated by their creation) and its consumption (used,
    # including earlier expiries). Redeemed points consume the oldest lots first, so what is left of the
    # lots earned up to a date is max(0, issued up to that date - everything used), whenever it was used.

    @api.model
    def _loyalty_expiry_cutoff(self, company, today):
        """First UTC instant after which points earned have not expired yet on `today` (company day)."""
        tz = company._get_lifecycle_today()[1]
        last_expired_day = self._loyalty_last_expired_day(today, company.loyalty_points_validity_months)
        return business_time.day_start_utc(tz, last_expired_day + timedelta(days=1))

    @api.model
    def _loyalty_last_expired_day(self, today, months):
        """The last day whose points have expired on `today` (dates): the latest day E with E + `months`
        (the expiry date shown to the customer, see `_loyalty_get_next_expiry`) on or before `today`. On the
        last day of a month this takes in the longer month's last days: on 28 February, with one month of
        validity, points earned up to 31 January expire (31 January + 1 month is 28 February)."""
        day = today - relativedelta(months=months)
        if (today + timedelta(days=1)).day == 1:
            day += relativedelta(day=31)  # the last day of that month
        return day

    @api.model
    def _cron_expire_loyalty_points(self, chunk_size=EXPIRY_CHUNK_SIZE):
        """Expire the membership points older than each company's validity, writing one history line per
        card for what expired.

        One aggregate over the history finds the program's cards with points to expire and the amounts
        (set-based); they are then expired in chunks, each committed, the amount of a card changed in the
        meantime computed again from its history. Idempotent and resumable: what expired counts as used,
        and a card expires at most once a day (unique index), so a second run, a resumed run or a second
        worker expires nothing twice.
        """
        companies = (
            self.env["res.company"]
            .sudo()
            .search([("loyalty_program_id", "!=", False), ("loyalty_points_validity_months", ">", 0)])
        )
        for company in companies:
            today = company._get_lifecycle_today()[0]
            cutoff = self._loyalty_expiry_cutoff(company, today)
            last_day = self._loyalty_last_expired_day(today, company.loyalty_points_validity_months)
            description = self._loyalty_expiry_descriptions(company, last_day)
            program_id = company.loyalty_program_id.id
            self.flush_model()
            self.env["loyalty.history"].flush_model()
            todo = self._loyalty_expiry_candidates(program_id, cutoff)
            if todo is None:
                continue
            self.env["ir.cron"]._commit_progress(remaining=todo)
            after = 0
            while True:
                last_id, cards, expired = self._loyalty_expire_chunk_retrying(
                    program_id, cutoff, today, description, after, chunk_size
                )
                if last_id is None:
                    break
                after = last_id
                _logger.info("Points expiry: %s cards checked, %s expired %s points", cards, expired[0], expired[1])
                if not self.env["ir.cron"]._commit_progress(cards):
                    return  # out of time: the next call starts again (cards done expire nothing more)
            self.env.cr.execute("DROP TABLE IF EXISTS crm_loyalty_expiry_todo")
        self.invalidate_model(["points"])
        self.env["loyalty.history"].invalidate_model()

    @api.model
    def _loyalty_expiry_descriptions(self, company, last_day):
        """{language code: "Points earned up to <last_day> expired" in it} for every active language, and under ""
        the text for a card whose customer has no language (the company's, see crm_lifecycle's `customer_lang`):
        the card's history line is the customer's, written in their language, not the cron's."""
        day = fields.Date.to_string(last_day)
        texts = {
            code: self.with_context(lang=code).env._("Points earned up to %s expired", day)
            for code, _name in self.env["res.lang"].get_installed()
        }
        texts[""] = self.with_context(lang=customer_lang(company.partner_id.browse(), company)).env._(
            "Points earned up to %s expired", day
        )
        return texts

    @api.model
    def _loyalty_expire_chunk_retrying(self, *args):
        """_loyalty_expire_chunk, started again with a fresh snapshot when a card of the chunk was changed
        by a transaction that committed meanwhile (the previous chunk is committed: nothing is lost)."""
        for attempt in range(3):
            try:
                with self.env.cr.savepoint(flush=False):
                    return self._loyalty_expire_chunk(*args)
            except psycopg2.errors.SerializationFailure:
                if attempt == 2:
                    raise
                self.env.cr.rollback()
        return None, 0, (0, 0)

    @api.model
    def _loyalty_try_expiry_lock(self, program_id):
        """Take the program's expiry lock for this transaction; False when another worker holds it."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", EXPIRY_LOCK_KEY, program_id))
        if self.env.cr.fetchone()[0]:
            return True
        _logger.info("Points expiry: another worker is expiring the points of program %s", program_id)
        return False

    @api.model
    def _loyalty_expiry_candidates(self, program_id, cutoff):
        """Store in the session's table crm_loyalty_expiry_todo the program's cards with points earned
        before `cutoff` and not used yet, with the amount to expire and the card row's version (ctid), by
        one aggregate over the history; return how many, or None when another worker is at it."""
        if not self._loyalty_try_expiry_lock(program_id):
            return None
        self.env["crm.loyalty.run"]._set_batch_session()
        self.env.cr.execute("DROP TABLE IF EXISTS crm_loyalty_expiry_todo")
        self.env.cr.execute(
            SQL(
                """
                CREATE TEMP TABLE crm_loyalty_expiry_todo AS
                SELECT c.id AS card_id, c.ctid AS card_version,
                       ROUND(LEAST(c.points, b.old_issued - b.used)::numeric, 2) AS amount
                  FROM (
                      -- every card's balance in one hash aggregate, then the program's cards: cheaper than
                      -- filtering the history by program first (measured at 10,000,000 lines)
                      SELECT h.card_id,
                             COALESCE(SUM(h.issued) FILTER (WHERE h.create_date < %(cutoff)s), 0) AS old_issued,
                             COALESCE(SUM(h.used), 0) AS used
                        FROM loyalty_history h
                       GROUP BY h.card_id
                  ) b
                  JOIN loyalty_card c ON c.id = b.card_id
                 WHERE c.program_id = %(program)s AND c.points > 0 AND b.old_issued - b.used >= 0.01
                """,
                program=program_id,
                cutoff=cutoff,
            )
        )
        count = self.env.cr.rowcount
        self.env.cr.execute("ALTER TABLE crm_loyalty_expiry_todo ADD PRIMARY KEY (card_id)")
        return count

    @api.model
    def _loyalty_expire_chunk(self, program_id, cutoff, today, description, after, chunk_size):
        """Expire the points of the next chunk of candidate cards after id `after`:
        (last id or None when none is left, cards, (expired cards, points)). `description`: the history
        line's text per language code (`_loyalty_expiry_descriptions`), each card's in its customer's.

        A card whose row has not changed since the candidates were taken (same ctid: any update of the
        card, such as points redeemed or earned meanwhile, makes a new row version) expires the amount
        computed then; a changed one has it computed again from its history. One worker at a time per
        program (advisory lock; another finds it taken and leaves). Should two workers ever meet, the
        unique index lets a card expire once a day, and only the card whose expiry line was inserted loses
        points.
        """
        if not self._loyalty_try_expiry_lock(program_id):
            return None, 0, (0, 0)
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                WITH cards AS MATERIALIZED (
                    SELECT c.id, c.points, t.amount, c.ctid = t.card_version AS unchanged
                      FROM crm_loyalty_expiry_todo t
                      JOIN loyalty_card c ON c.id = t.card_id
                     WHERE t.card_id > %(after)s
                     ORDER BY t.card_id
                     LIMIT %(limit)s
                ), balance AS (
                    SELECT h.card_id,
                           SUM(h.issued) FILTER (WHERE h.create_date < %(cutoff)s) AS old_issued,
                           SUM(h.used) AS used
                      FROM loyalty_history h
                     WHERE h.card_id IN (SELECT id FROM cards WHERE NOT unchanged)
                     GROUP BY h.card_id
                ), expiring AS (
                    SELECT id AS card_id, amount FROM cards WHERE unchanged
                     UNION ALL
                    SELECT c.id,
                           ROUND(LEAST(c.points, COALESCE(b.old_issued, 0) - COALESCE(b.used, 0))::numeric, 2)
                      FROM cards c
                      JOIN balance b ON b.card_id = c.id
                     WHERE NOT c.unchanged AND COALESCE(b.old_issued, 0) - COALESCE(b.used, 0) >= 0.01
                ), ins AS (
                    INSERT INTO loyalty_history
                           (card_id, description, issued, used, crm_loyalty_expiry_date,
                            create_uid, create_date, write_uid, write_date)
                    SELECT e.card_id,
                           COALESCE(%(texts)s::jsonb ->> p.lang, %(texts)s::jsonb ->> cp.lang, %(texts)s::jsonb ->> ''),
                           0, e.amount, %(today)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM expiring e
                      JOIN loyalty_card lc ON lc.id = e.card_id
                      LEFT JOIN res_partner p ON p.id = lc.partner_id
                      LEFT JOIN res_partner cp ON cp.id = p.commercial_partner_id
                     WHERE e.amount > 0
                        ON CONFLICT (card_id, crm_loyalty_expiry_date) WHERE crm_loyalty_expiry_date IS NOT NULL
                        DO NOTHING
                    RETURNING card_id, used
                ), upd AS (
                    UPDATE loyalty_card c
                       SET points = c.points - ins.used, write_uid = %(uid)s, write_date = %(now)s
                      FROM ins
                     WHERE c.id = ins.card_id
                       -- the chunk's id range: an index range scan, not a scan of every card
                       AND c.id BETWEEN (SELECT MIN(id) FROM cards) AND (SELECT MAX(id) FROM cards)
                )
                SELECT (SELECT MAX(id) FROM cards), (SELECT COUNT(*) FROM cards),
                       (SELECT COUNT(*) FROM ins), (SELECT COALESCE(SUM(used), 0) FROM ins)
                """,
                after=after,
                limit=chunk_size,
                cutoff=cutoff,
                texts=json.dumps(description),
                today=today,
                uid=self.env.uid,
                now=now,
            )
        )
        last_id, cards, expired, points = self.env.cr.fetchone()
        return last_id, cards, (expired, points)

    def _loyalty_get_next_expiry(self, company):
        """(date, points) of this card's next points to expire, FIFO, or (False, 0.0)."""
        months = company.loyalty_points_validity_months
        if not self or not months or self.points <= 0:
            return False, 0.0
        tz = company._get_lifecycle_today()[1]
        history = self.env["loyalty.history"].sudo().search([("card_id", "=", self.id)], order="create_date, id")
        to_consume = sum(history.mapped("used"))
        remaining_by_date = {}
        for line in history.filtered("issued"):
            consumed = min(line.issued, to_consume)
            to_consume -= consumed
            left = line.issued - consumed
            if left > 0:
                earned = business_time.local_date(tz, line.create_date)
                expiry = earned + relativedelta(months=months)
                remaining_by_date[expiry] = remaining_by_date.get(expiry, 0.0) + left
        if not remaining_by_date:
            return False, 0.0
        first = min(remaining_by_date)
        return first, min(remaining_by_date[first], self.points)

    # ------------------------------------------------------------------
    # One membership card per customer
    # ------------------------------------------------------------------

    @api.model
    def _crm_loyalty_consolidate_member_cards(self):
        """Give every commercial entity one card per membership program (the programs companies use as
        membership card), owned by the entity: its other active cards of the program (cards sale_loyalty
        made per ordering contact) are merged into it, as the contact merge does: points and shortfall
        summed on the kept card, history lines (the lots the points expiry reads) and the orders' point
        entries (the points a refund takes back) moved onto it, the others archived at 0 points. The card
        kept is the entity's own oldest card, else the oldest card of a contact, which the entity then owns.

        Returns [(entity id, kept card id, [absorbed card ids], points moved)] (the migration logs them).
        """
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id,
                       ARRAY_AGG(c.id ORDER BY c.partner_id = p.commercial_partner_id DESC, c.id)
                  FROM loyalty_card c
                  JOIN res_partner p ON p.id = c.partner_id
                 WHERE c.active
                   AND c.program_id IN (SELECT loyalty_program_id FROM res_company WHERE loyalty_program_id IS NOT NULL)
                 GROUP BY p.commercial_partner_id, c.program_id
                HAVING COUNT(*) > 1 OR BOOL_AND(c.partner_id != p.commercial_partner_id)
                """
            )
        )
        if not rows:
            return []
        cards = self.sudo().with_context(loyalty_no_mail=True, tracking_disable=True)
        Partner = self.env["res.partner"].sudo()
        merged_into, done = {}, []
        for entity_id, card_ids in rows:
            kept, absorbed = cards.browse(card_ids[0]), cards.browse(card_ids[1:])
            moved = sum(absorbed.mapped("points"))
            kept.write(
                {
                    "partner_id": entity_id,
                    "points": kept.points + moved,
                    "crm_loyalty_points_shortfall": kept.crm_loyalty_points_shortfall
                    + sum(absorbed.mapped("crm_loyalty_points_shortfall")),
                }
            )
            absorbed.write({"points": 0, "crm_loyalty_points_shortfall": 0, "active": False})
            merged_into.update(dict.fromkeys(absorbed.ids, kept.id))
            Partner.browse(entity_id).loyalty_member_card_id = kept
            done.append((entity_id, kept.id, absorbed.ids, moved))
        if merged_into:
            self._crm_loyalty_move_point_entries(merged_into)
            self.env["base.partner.merge.automatic.wizard"]._crm_care_merge_card_history(merged_into)
        Partner._loyalty_sync_contacts([entity_id for entity_id, *_ in done])
        return done

    @api.model
    def _crm_loyalty_move_point_entries(self, merged_into):
        """Point the sale orders' point entries of absorbed cards ({absorbed card id: kept card id}) at the
        kept card, so that a later credit note takes the points back from the card that has them."""
        self.env.flush_all()
        mapping = SQL(", ").join(SQL("(%s, %s)", old, new) for old, new in merged_into.items())
        self.env.cr.execute(
            SQL(
                """
                WITH m(old_id, new_id) AS (VALUES %(mapping)s)
                UPDATE sale_order_coupon_points e SET coupon_id = m.new_id
                  FROM m
                 WHERE e.coupon_id = m.old_id
                   AND NOT EXISTS (SELECT 1 FROM sale_order_coupon_points k
                                    WHERE k.order_id = e.order_id AND k.coupon_id = m.new_id)
                """,
                mapping=mapping,
            )
        )
        self.env["sale.order.coupon.points"].invalidate_model(["coupon_id"])
