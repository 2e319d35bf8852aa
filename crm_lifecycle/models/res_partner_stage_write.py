import json

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

from odoo.addons.base_automation.models.base_automation import CREATE_TRIGGERS, WRITE_TRIGGERS

# Written by the set-based stage change: invalidated in the cache after it.
STAGE_FIELDS = ["lifecycle_stage_id", "lifecycle_stage_date", "write_uid", "write_date"]


class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _lifecycle_write_stages_sql(self, moves, reason, order_by_partner):
        """Write stage changes set-based, with what Odoo's `write()` would give them; return the moves left.

        moves: (partner_id, stage_id, stage_date, old_stage_id) of commercial entities, one per partner.
        For each partner written here, in a constant number of statements whatever the number of moves:
        the stage and its date (with write_uid/write_date), the chatter message that Odoo's field tracking
        logs for a change of stage (a note by the acting user, with the tracking value "Lifecycle Stage:
        old -> new" built by Odoo's `mail.tracking.value._create_tracking_values`), and the stage history
        line (`reason`, the order of `order_by_partner` {partner id: sale order id}). The stored fields
        depending on the stage are marked for recomputation (`modified`).

        Left to `write()` (returned): every move when an active Automation Rule on contacts' updates watches
        the stage or its date, or any field (no trigger field): it must see each change; every move when an
        active Automation Rule reacts to the creation of stage history lines (their lines are then created
        through the ORM, so that it runs for each); and the moves of
        partners already written in this transaction (Odoo's tracking will log their changes at commit: one
        note, not two), with a churn reason (leaving Churned clears it: res_partner_voice), or for which
        another addon gives a tracking subtype or log message.
        """
        partners = self.browse([move[0] for move in moves])
        for automation in self.env["base.automation"]._get_actions(partners, WRITE_TRIGGERS).sudo():
            # A rule reacts to this write unless it only watches other fields (its trigger fields).
            if not automation.trigger_field_ids or set(STAGE_FIELDS[:2]) & set(
                automation.trigger_field_ids.mapped("name")
            ):
                return moves
        History = self.env["crm.lifecycle.history"]
        if self.env["base.automation"]._get_actions(History, CREATE_TRIGGERS):
            return moves
        track = "lifecycle_stage_id" in self._track_get_fields() and not (
            self.env.context.get("tracking_disable") or self.env.context.get("mail_notrack")
        )
        Stage = self.env["crm.lifecycle.stage"]
        # Partners written earlier in this transaction: Odoo's tracking holds their values from before that
        # write and logs what changed at commit, the stage included. Theirs go through write() (one note).
        pending = self.env.cr.precommit.data.get(f"mail.tracking.{self._name}", {})
        left, fast = [], {}
        for move in moves:
            partner = self.browse(move[0])
            if pending.get(move[0]) or (
                track
                and move[1] != move[3]
                and (
                    partner._track_subtype({"lifecycle_stage_id": Stage.browse(move[3])})
                    or partner._track_get_default_log_message(["lifecycle_stage_id"])
                )
            ):
                left.append(move)
            else:
                fast[move[0]] = move
        if not fast:
            return left
        self.env.flush_all()
        now = self.env.cr.now()
        rows = self.env.execute_query(
            SQL(
                """WITH m AS (
                       SELECT * FROM unnest(%(ids)s::int[], %(stages)s::int[], %(dates)s::date[])
                                  AS m(partner_id, stage_id, stage_date)
                   ), old AS (
                       SELECT p.id, p.lifecycle_stage_id
                         FROM res_partner p JOIN m ON m.partner_id = p.id
                        WHERE p.churn_reason_id IS NULL
                          FOR UPDATE OF p
                   )
                   UPDATE res_partner p
                      SET lifecycle_stage_id = m.stage_id, lifecycle_stage_date = m.stage_date,
                          write_uid = %(uid)s, write_date = %(now)s
                     FROM m JOIN old ON old.id = m.partner_id
                    WHERE p.id = m.partner_id
                RETURNING p.id, old.lifecycle_stage_id, m.stage_id, m.stage_date""",
                ids=list(fast),
                stages=[move[1] for move in fast.values()],
                dates=[move[2] for move in fast.values()],
                uid=self.env.uid,
                now=now,
            )
        )
        done = {row[0] for row in rows}
        left += [move for partner_id, move in fast.items() if partner_id not in done]
        written = self.browse(list(done))
        written.invalidate_recordset(STAGE_FIELDS)
        written.modified(["lifecycle_stage_id", "lifecycle_stage_date"])
        changes = [(partner_id, old, new) for partner_id, old, new, __ in rows if old != new]
        if track and changes:
            self._lifecycle_log_stage_tracking(changes, now)
        today = self.env.company._get_lifecycle_today()[0]
        self.env["crm.lifecycle.history"].flush_model()
        self.env.cr.execute(
            SQL(
                """INSERT INTO crm_lifecycle_history
                          (partner_id, from_stage_id, to_stage_id, date, reason, order_id, user_id,
                           create_uid, create_date, write_uid, write_date)
                   SELECT t.partner_id, t.old_stage_id, t.stage_id, COALESCE(t.stage_date, %(today)s), %(reason)s,
                          t.order_id, %(uid)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                     FROM unnest(%(ids)s::int[], %(old)s::int[], %(stages)s::int[], %(dates)s::date[],
                                 %(orders)s::int[]) AS t(partner_id, old_stage_id, stage_id, stage_date, order_id)""",
                ids=[row[0] for row in rows],
                old=[row[1] for row in rows],
                stages=[row[2] for row in rows],
                dates=[row[3] for row in rows],
                orders=[order_by_partner.get(row[0]) for row in rows],
                today=today,
                reason=reason,
                uid=self.env.uid,
                now=now,
            )
        )
        self.env["crm.lifecycle.history"].invalidate_model()
        return left

    @api.model
    def _lifecycle_log_stage_tracking(self, changes, now):
        """The chatter notes of stage changes written in SQL, as Odoo's tracking logs them
        (`_message_track` -> `_message_log`): one note per partner by the acting user, with its tracking
        value. changes: [(partner_id, old stage id or None, new stage id)]; now: the transaction's time."""
        Stage = self.env["crm.lifecycle.stage"]
        TrackingValue = self.env["mail.tracking.value"].sudo()
        col_info = self.fields_get(["lifecycle_stage_id"], attributes=("string", "type", "selection", "currency_field"))
        record = self.browse(changes[0][0])
        values = {}  # (old, new) -> the tracking value's column values
        for __, old, new in changes:
            if (old, new) not in values:
                vals = TrackingValue._create_tracking_values(
                    Stage.browse(old), Stage.browse(new), "lifecycle_stage_id", col_info["lifecycle_stage_id"], record
                )
                values[old, new] = {
                    name: TrackingValue._fields[name].convert_to_column_insert(value, TrackingValue)
                    for name, value in vals.items()
                }
        columns = sorted(next(iter(values.values())))
        author_id, email_from = self._message_compute_author(None, None)
        reply_to = self.env["mail.thread"]._notify_get_reply_to(default=email_from, author_id=author_id)[False]
        self.env["mail.message"].flush_model()
        self.env.cr.execute(
            SQL(
                """WITH t AS (
                       SELECT * FROM unnest(%(ids)s::int[], %(message_ids)s::varchar[], %(keys)s::int[])
                                  AS t(res_id, message_id, key)
                   ), message AS (
                       INSERT INTO mail_message
                              (model, res_id, message_type, subtype_id, is_internal, body, author_id, email_from,
                               reply_to, message_id, email_add_signature, date,
                               create_uid, create_date, write_uid, write_date)
                       SELECT 'res.partner', t.res_id, 'notification', %(subtype)s, TRUE, '', %(author)s,
                              %(email_from)s, %(reply_to)s, t.message_id, FALSE, %(date)s,
                              %(uid)s, %(now)s, %(uid)s, %(now)s
                         FROM t
                    RETURNING id, res_id
                   ), value AS (
                       SELECT * FROM jsonb_to_recordset(%(values)s::jsonb) AS v(key int, %(typed)s)
                   )
                   INSERT INTO mail_tracking_value
                          (mail_message_id, %(columns)s, create_uid, create_date, write_uid, write_date)
                   SELECT message.id, %(selected)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                     FROM message JOIN t ON t.res_id = message.res_id JOIN value v ON v.key = t.key""",
                ids=[partner_id for partner_id, __, __ in changes],
                message_ids=[generate_tracking_message_id("message-notify") for __ in changes],
                keys=[list(values).index((old, new)) for __, old, new in changes],
                values=json.dumps([dict(row, key=key) for key, row in enumerate(values.values())]),
                typed=SQL(", ").join(
                    SQL("%s %s", SQL.identifier(name), SQL(TrackingValue._fields[name].column_type[1]))
                    for name in columns
                ),
                columns=SQL(", ").join(SQL.identifier(name) for name in columns),
                selected=SQL(", ").join(SQL.identifier("v", name) for name in columns),
                subtype=self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                author=author_id,
                email_from=email_from,
                reply_to=reply_to,
                date=fields.Datetime.now(),
                uid=self.env.uid,
                now=now,
            )
        )
        self.env["mail.message"].invalidate_model()
        self.env["mail.tracking.value"].invalidate_model()
        self.browse([change[0] for change in changes]).invalidate_recordset(["message_ids"])
