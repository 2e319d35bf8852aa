import logging

import psycopg2

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

WORK_MEM = "256MB"


def _assignments(columns, source):
    """SQL "col = source.col, ..." for an UPDATE."""
    return SQL(", ").join(SQL("%s = %s", SQL.identifier(col), SQL.identifier(source, col)) for col in columns)


def _differs(columns, left, right):
    """SQL "left.col IS DISTINCT FROM right.col OR ..." to keep only rows that change."""
    return SQL(" OR ").join(
        SQL("%s IS DISTINCT FROM %s", SQL.identifier(left, col), SQL.identifier(right, col)) for col in columns
    )


def _version(columns, alias):
    """SQL version of a partner's values: the md5 of `columns` of the row `alias`.

    A run line stores the version of the values it was computed from (at preparation); when the chunk is
    applied, a line whose partner's version differs (an order, a manager or another job changed the values
    since) is not applied but recomputed, so a run never overwrites newer facts with older ones.
    """
    return SQL("md5(ROW(%s)::text)", SQL(", ").join(SQL.identifier(alias, col) for col in columns))


class CrmBatchRunMixin(models.AbstractModel):
    """A nightly set-based run: a log for admins and the unit of resumption.

    A run is prepared in one transaction (a set-based query stores the rows that change as run lines cut
    in chunks, see `_prepare_run_lines`), then applied chunk by chunk, one transaction each
    (`_apply_chunk`). Workers claim chunks with FOR UPDATE SKIP LOCKED and each writes counters only on
    the chunk it holds, so two workers share a run without touching the same row; the last one closes the
    run. A run killed half-way resumes with the chunks it had not finished.

    A concrete run model sets `_batch_line_model`, `_batch_chunk_model` (inheriting
    `crm.batch.run.chunk.mixin`), `_batch_lock_key` and `_batch_counters` (the integer fields, on the run
    and on its chunks, that `_apply_chunk` returns in that order). Its lines have `partner_id` and
    `version` (see `_version`): a line whose partner changed since the preparation is recomputed, not
    applied (`_get_stale_partner_ids`), so a run never overwrites newer facts.
    """

    _name = "crm.batch.run.mixin"
    _description = "Customer Care Batch Run"
    _order = "id desc"
    _rec_name = "date"

    _batch_line_model = None
    _batch_chunk_model = None
    _batch_lock_key = None
    _batch_counters = ("changed_count", "error_count")

    date = fields.Date(required=True, readonly=True)
    state = fields.Selection(
        [("apply", "Running"), ("done", "Done"), ("cancel", "Abandoned")],
        default="apply",
        required=True,
        readonly=True,
    )
    date_start = fields.Datetime(readonly=True, default=fields.Datetime.now)
    date_end = fields.Datetime(readonly=True)
    chunk_count = fields.Integer(readonly=True)
    changed_count = fields.Integer(string="Records Updated", readonly=True)
    error_count = fields.Integer(string="Errors", readonly=True)
    note = fields.Text(readonly=True)

    # ------------------------------------------------------------------
    # Hooks of the concrete runs
    # ------------------------------------------------------------------

    def _prepare_run_lines(self, chunk_size):
        """Store the run's lines (with their chunk numbers) for every row that changes."""
        raise NotImplementedError

    def _apply_chunk(self, chunk, initial=False):
        """Apply one chunk; return the values of `_batch_counters` for it."""
        raise NotImplementedError

    def _finish_hook(self):
        """Work done once, by the worker closing the run, after every chunk is applied."""

    def _get_stale_partner_ids(self, chunk, columns):
        """Partners of the chunk's lines whose `columns` changed since the run was prepared (list of ids).

        The line's `version` (see `_version`) is compared with the partner's current values, in the
        transaction that applies the chunk: under REPEATABLE READ a change committed after this check makes
        the chunk's UPDATE fail with a serialization error (the chunk is retried), never overwrite it.
        """
        line_table = self._batch_tables()[1]
        self.env["res.partner"].flush_model(columns)
        self.env.cr.execute(
            SQL(
                """SELECT l.partner_id
                     FROM %(lines)s l
                     JOIN res_partner p ON p.id = l.partner_id
                    WHERE l.run_id = %(run_id)s AND l.chunk = %(chunk)s
                      AND l.version IS DISTINCT FROM %(version)s""",
                lines=line_table,
                run_id=self.id,
                chunk=chunk,
                version=_version(columns, "p"),
            )
        )
        return [partner_id for (partner_id,) in self.env.cr.fetchall()]

    # ------------------------------------------------------------------
    # The machinery
    # ------------------------------------------------------------------

    def _batch_tables(self):
        return (
            SQL.identifier(self.env[self._batch_chunk_model]._table),
            SQL.identifier(self.env[self._batch_line_model]._table),
        )

    @api.model
    def _batch_run(self, chunk_size):
        """Prepare today's run (or take the open one) and apply it."""
        run = self._prepare_run(chunk_size)
        if run:
            run._apply_chunks()

    @api.model
    def _prepare_run(self, chunk_size):
        """Return the open run of today, or compute a new one (one transaction, committed)."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", self._batch_lock_key))
        if not self.env.cr.fetchone()[0]:
            _logger.info("%s: another worker is preparing a run", self._description)
            return self.browse()
        today = self.env.company._get_lifecycle_today()[0]
        for stale in self.search([("state", "=", "apply")]):
            if stale.date == today:
                # Resumed (the cron runner's next call after the time budget of its call, a time limit or a
                # crash): Odoo starts every call with a new progress record at 0 remaining, so tell it how many
                # chunks are left, or it takes the job for fully done after the first chunk of this call and
                # reschedules it to tomorrow with the run unfinished.
                self.env["ir.cron"]._commit_progress(remaining=stale._open_chunk_count())
                return stale
            stale._abandon(self.env._("Not finished on its day; replaced by a newer run."))
        run = self.create({"date": today, "state": "apply"})
        self.env.flush_all()
        self._set_batch_session()
        run._prepare_run_lines(chunk_size)
        chunk_table, line_table = self._batch_tables()
        self.env.cr.execute(
            SQL(
                """INSERT INTO %s (run_id, chunk, done)
                   SELECT DISTINCT run_id, chunk, FALSE FROM %s WHERE run_id = %s""",
                chunk_table,
                line_table,
                run.id,
            )
        )
        run.chunk_count = self.env.cr.rowcount
        self.env["ir.cron"]._commit_progress(remaining=run.chunk_count)
        return run

    @api.model
    def _set_batch_session(self):
        """Settings for the big aggregations, this transaction only: sort and hash in memory rather than on
        disk; no JIT (the CTE row estimates are huge, JIT would spend seconds compiling a plan that runs
        once); no nested loops (PostgreSQL estimates "id = commercial_partner_id" at a handful of rows and
        may loop over CTEs of every customer: minutes instead of seconds)."""
        self.env.cr.execute(SQL("SET LOCAL work_mem = %s", WORK_MEM))
        self.env.cr.execute("SET LOCAL jit = off")
        self.env.cr.execute("SET LOCAL enable_nestloop = off")

    def _abandon(self, note):
        self.ensure_one()
        chunk_table, line_table = self._batch_tables()
        self.env.cr.execute(SQL("DELETE FROM %s WHERE run_id = %s", chunk_table, self.id))
        self.env.cr.execute(SQL("DELETE FROM %s WHERE run_id = %s", line_table, self.id))
        self.write({"state": "cancel", "date_end": fields.Datetime.now(), "note": note})

    def _apply_chunks(self):
        """Apply the run's chunks one transaction each, taking only chunks no other worker holds."""
        self.ensure_one()
        chunk_table, line_table = self._batch_tables()
        first_run = not self.search_count([("state", "=", "done")], limit=1)
        conflicts = 0
        while True:
            chunk = self._claim_chunk()
            if chunk is None:
                break
            try:
                counts = self._apply_chunk(chunk, initial=first_run)
            except psycopg2.errors.SerializationFailure:
                # A customer of the chunk was changed by a transaction that committed after this one's
                # snapshot (she ordered meanwhile): apply the chunk again with a fresh snapshot, in which its
                # stale check sees the change. The chunk is free again after the rollback, so it is claimed
                # again (or by another worker).
                conflicts += 1
                if conflicts > 3:
                    raise
                self.env.cr.rollback()
                continue
            # Each worker writes only the chunk it holds: no two transactions update the same row.
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET done = TRUE, %s WHERE run_id = %s AND chunk = %s",
                    chunk_table,
                    SQL(", ").join(
                        SQL("%s = %s", SQL.identifier(name), count)
                        for name, count in zip(self._batch_counters, counts, strict=True)
                    ),
                    self.id,
                    chunk,
                )
            )
            self.env.cr.execute(SQL("DELETE FROM %s WHERE run_id = %s AND chunk = %s", line_table, self.id, chunk))
            if not self.env["ir.cron"]._commit_progress(1) and self._open_chunk_count():
                return  # out of time: the cron runner calls us again and we resume here
        self._finish()

    def _open_chunk_count(self):
        """Chunks of this run not applied yet (held by a worker or free). Out of time with none left, the run
        is finished at once: the cron runner, told that nothing remains, would not call the job again."""
        self.ensure_one()
        self.env.cr.execute(
            SQL("SELECT COUNT(*) FROM %s WHERE run_id = %s AND NOT done", self._batch_tables()[0], self.id)
        )
        return self.env.cr.fetchone()[0]

    def _claim_chunk(self):
        """Lock the next chunk nobody holds; None when none is left (or all are held by other workers)."""
        chunk_table = self._batch_tables()[0]
        for __ in range(5):
            try:
                with self.env.cr.savepoint(flush=False):
                    self.env.cr.execute(
                        SQL(
                            """SELECT chunk FROM %s
                                WHERE run_id = %s AND NOT done
                                ORDER BY chunk LIMIT 1 FOR UPDATE SKIP LOCKED""",
                            chunk_table,
                            self.id,
                        )
                    )
                    row = self.env.cr.fetchone()
                return row[0] if row else None
            except psycopg2.errors.SerializationFailure:
                # Another worker finished that chunk after our snapshot was taken: this transaction holds
                # nothing yet (the previous chunk is committed), start it again with a fresh snapshot.
                self.env.cr.rollback()
        return None

    def _finish(self):
        """Close the run once every chunk is done: one worker does it, the others leave.

        Workers enter one at a time (a blocking advisory lock), each after committing its last chunk, so
        the last one to enter sees every chunk done. A worker that saw a chunk still held by another
        commits at once to let it in.
        """
        chunk_table = self._batch_tables()[0]
        try:
            self.env.cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", self._batch_lock_key % 2**31, self.id))
            # Locking the run row fails (serialization) if another worker finished it after our snapshot.
            self.env.cr.execute(
                SQL(
                    """SELECT state = 'apply' AND NOT EXISTS (SELECT 1 FROM %s WHERE run_id = r.id AND NOT done)
                         FROM %s r WHERE id = %s FOR NO KEY UPDATE""",
                    chunk_table,
                    SQL.identifier(self._table),
                    self.id,
                )
            )
            if not self.env.cr.fetchone()[0]:
                # Chunks still held by another worker (it finishes the run), or already finished.
                self.env["ir.cron"]._commit_progress(0)
                return
            self._finish_hook()
            self.env.cr.execute(
                SQL(
                    """UPDATE %(run)s r
                          SET %(assign)s, state = 'done', date_end = NOW() AT TIME ZONE 'UTC'
                         FROM (SELECT %(sums)s FROM %(chunk)s WHERE run_id = %(id)s) c
                        WHERE r.id = %(id)s""",
                    run=SQL.identifier(self._table),
                    assign=_assignments(self._batch_counters, "c"),
                    sums=SQL(", ").join(
                        SQL("COALESCE(SUM(%s), 0) AS %s", SQL.identifier(name), SQL.identifier(name))
                        for name in self._batch_counters
                    ),
                    chunk=chunk_table,
                    id=self.id,
                )
            )
            self.env.cr.execute(SQL("DELETE FROM %s WHERE run_id = %s", chunk_table, self.id))
            self.invalidate_recordset()
            self.env["ir.cron"]._commit_progress(0)
        except psycopg2.errors.SerializationFailure:
            self.env.cr.rollback()  # another worker finished the run at the same moment

    @api.autovacuum
    def _gc_batch_runs(self):
        """Keep a year of run logs."""
        if self._abstract:
            return
        self.search(
            [("date", "<", fields.Date.subtract(self.env.company._get_lifecycle_today()[0], days=365))]
        ).unlink()


class CrmBatchRunChunkMixin(models.AbstractModel):
    """A chunk of a run still to apply; the concrete model adds run_id and the run's counters."""

    _name = "crm.batch.run.chunk.mixin"
    _description = "Customer Care Batch Run Chunk"
    _log_access = False

    chunk = fields.Integer(required=True)
    done = fields.Boolean(default=False, required=True)
    changed_count = fields.Integer()
    error_count = fields.Integer()
