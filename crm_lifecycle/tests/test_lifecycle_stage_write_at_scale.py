import re
from datetime import datetime, time

from odoo.tests import tagged

from .common import LifecycleCase, frozen

# What must be the same in a stage change's chatter note whichever way it was written (set-based or write()).
MESSAGE_FIELDS = [
    "model",
    "message_type",
    "subtype_id",
    "is_internal",
    "body",
    "subject",
    "author_id",
    "author_guest_id",
    "email_from",
    "reply_to",
    "email_add_signature",
    "record_alias_domain_id",
    "record_company_id",
    "parent_id",
    "partner_ids",
    "attachment_ids",
    "create_uid",
    "write_uid",
]
TRACKING_FIELDS = [
    "field_id",
    "old_value_integer",
    "new_value_integer",
    "old_value_char",
    "new_value_char",
    "old_value_datetime",
    "new_value_datetime",
    "currency_id",
]


@tagged("post_install", "-at_install")
class TestLifecycleStageWriteAtScale(LifecycleCase):
    """The nightly run changes the stage of thousands of customers at once: set-based, with the same chatter
    note, tracking value and stage history line as Odoo's write() gives; Automation Rules still see each change."""

    def setUp(self):
        super().setUp()
        self.env["crm.lifecycle.run"].create({"date": self.TODAY, "state": "done"})

    def _stage_note(self, partner):
        notes = partner.message_ids.filtered(
            lambda m: m.tracking_value_ids.filtered(lambda t: t.field_id.name == "lifecycle_stage_id")
        )
        self.assertEqual(len(notes.filtered(lambda m: "at_risk" in self._tracked_codes(m))), 1)
        return notes.filtered(lambda m: "at_risk" in self._tracked_codes(m))

    def _tracked_codes(self, message):
        return (
            self.env["crm.lifecycle.stage"]
            .browse(message.tracking_value_ids.mapped("new_value_integer"))
            .mapped("code")
        )

    def test_set_based_stage_change_is_what_write_gives(self):
        set_based, written = self._customer("Set Based"), self._customer("Written")
        self._order(set_based, self._days_ago(179))
        self._order(written, self._days_ago(170))
        self._run_cron()
        set_based.with_user(self.manager).write({"phone": "+86 138 0013 8000"})
        self.env.cr.flush()  # committed (Odoo's tracking logs the phone at commit)
        # Day +1: Set Based turns At Risk, without an Automation Rule: set-based, an update by the nightly run.
        self._run_cron(on=self._days_ago(-1))
        self.assertEqual(set_based.write_uid, self.env.user)
        self.assertEqual(set_based.lifecycle_stage_id, self.stage["at_risk"])
        self.assertFalse(set_based.activity_ids)
        # Day +10: Written turns At Risk while a rule listens: through write(), the rule sees it.
        self._plan_call_when_at_risk()
        self._run_cron(on=self._days_ago(-10))
        self.assertEqual(written.lifecycle_stage_id, self.stage["at_risk"])
        self.assertEqual(written.activity_ids.summary, "Customer at risk")

        note, reference = self._stage_note(set_based), self._stage_note(written)
        for name in MESSAGE_FIELDS:
            self.assertEqual(note[name], reference[name], f"the chatter note's {name}")
        self.assertEqual(note.author_id, self.env.user.partner_id)
        self.assertRegex(note.message_id, re.escape("-openerp-message-notify@"))
        self.assertNotEqual(note.message_id, reference.message_id)
        self.assertEqual(note.date.date(), self._days_ago(-1))
        self.assertEqual(len(note.tracking_value_ids), len(reference.tracking_value_ids))
        for name in TRACKING_FIELDS:
            self.assertEqual(
                note.tracking_value_ids[name], reference.tracking_value_ids[name], f"the tracking's {name}"
            )
        self.assertEqual(note.tracking_value_ids.old_value_char, self.stage["active"].name)
        self.assertEqual(note.tracking_value_ids.new_value_char, self.stage["at_risk"].name)

        lines = [partner.lifecycle_history_ids.sorted("id")[-1] for partner in (set_based, written)]
        for name in ("from_stage_id", "to_stage_id", "reason", "user_id", "order_id"):
            self.assertEqual(lines[0][name], lines[1][name], f"the history line's {name}")
        self.assertEqual(lines[0].date, self._days_ago(-1))
        self.assertEqual(lines[0].reason, "time")
        self.assertEqual(set_based.write_uid, written.write_uid)

    def test_stage_change_by_the_salesperson_confirming_the_order(self):
        """A salesperson's confirmation moves the customer set-based: the note, the history line and the
        customer's last update are hers, as with write()."""
        partner = self._customer("Coming Back")
        self._order(partner, self._days_ago(400))
        self._run_cron()
        self.assertEqual(partner.lifecycle_stage_id, self.stage["churned"])
        order = self._order(partner, self.TODAY, confirm=False)
        order.user_id = self.salesman  # her own quotation
        with frozen(self.env, datetime.combine(self.TODAY, time(10))):
            order.with_user(self.salesman).action_confirm()
        self.env.invalidate_all()
        self.assertEqual(partner.lifecycle_stage_id, self.stage["won_back"])
        line = partner.lifecycle_history_ids.sorted("id")[-1]
        self.assertEqual((line.reason, line.order_id, line.user_id), ("order", order, self.salesman))
        self.assertEqual(line.from_stage_id, self.stage["churned"])
        self.assertEqual(partner.write_uid, self.salesman)
        self.assertEqual(partner.write_date, datetime.combine(self.TODAY, time(10)))
        note = partner.message_ids.filtered(
            lambda m: self.stage["won_back"].id in m.tracking_value_ids.mapped("new_value_integer")
        )
        self.assertEqual(note.author_id, self.salesman.partner_id)
        self.assertEqual(note.create_uid, self.salesman)
        self.assertEqual(note.tracking_value_ids.old_value_char, self.stage["churned"].name)

    def test_customer_written_earlier_in_the_transaction_gets_one_note(self):
        """Odoo's tracking keeps the values of a customer written in this transaction until commit: her stage
        change then goes through write(), so that the commit logs the stage once, not twice."""
        partner = self._customer("Edited")
        self._order(partner, self._days_ago(400))
        self._run_cron()
        self.assertEqual(partner.lifecycle_stage_id, self.stage["churned"])
        self.env.cr.flush()
        order = self._order(partner, self.TODAY, confirm=False)
        self.env.cr.flush()
        # One request: the salesperson's manager corrects the phone, then confirms the order.
        partner.with_user(self.manager).write({"phone": "+86 138 0013 8000"})
        with frozen(self.env, datetime.combine(self.TODAY, time(10))):
            order.with_user(self.manager).action_confirm()
        self.env.cr.flush()
        self.env.invalidate_all()
        self.assertEqual(partner.lifecycle_stage_id, self.stage["won_back"])
        tracked = partner.message_ids.tracking_value_ids
        stage_changes = tracked.filtered(lambda t: t.new_value_integer == self.stage["won_back"].id)
        self.assertEqual(len(stage_changes), 1)
        self.assertEqual(stage_changes.old_value_char, self.stage["churned"].name)
        self.assertEqual(len(tracked.filtered(lambda t: t.field_id.name == "phone")), 1)

    def test_stage_changes_take_constant_queries(self):
        """Stage changes cost the same statements for 2 customers as for 6: no query per customer, also
        with an Automation Rule that watches other fields of contacts."""
        self.env["base.automation"].create(
            {
                "name": "New email",
                "model_id": self.env.ref("base.model_res_partner").id,
                "trigger": "on_create_or_write",
                "trigger_field_ids": [(4, self.env.ref("base.field_res_partner__email").id)],
            }
        )
        partners = self.env["res.partner"]
        for index in range(9):
            partners |= self._customer(f"Drifting {index}")
            self._order(partners[-1], self._days_ago(100))
        Partner = self.env["res.partner"].sudo()
        active, at_risk = self.stage["active"], self.stage["at_risk"]

        def count(customers):
            moves = [(partner.id, at_risk.id, self._days_ago(-80), active.id) for partner in customers]
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            Partner._lifecycle_apply_stage_changes(moves, reason="time")
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        count(partners[:1])  # warm the caches (stages, subtype, author)
        two, six = count(partners[1:3]), count(partners[3:9])
        self.assertEqual(two, six)
        self.assertEqual(set(partners.mapped("lifecycle_stage_id.code")), {"at_risk"})
        self.assertEqual(len(partners.lifecycle_history_ids.filtered(lambda h: h.to_stage_id == at_risk)), 9)

    def test_contacts_copy_and_churn_reason_cleared_on_leaving_churned(self):
        company = self._customer("Acme", is_company=True)
        buyer = self._customer("Acme Buyer", parent_id=company.id)
        self._order(buyer, self._days_ago(400))
        self._run_cron()
        self.assertEqual(company.lifecycle_stage_id, self.stage["churned"])
        reason = self.env["crm.churn.reason"].search([], limit=1)
        company.sudo().write({"churn_reason_id": reason.id})
        # The company orders again: leaving Churned clears the reason (write()); the contact gets the stage.
        self._order(buyer, self.TODAY)
        self.env.invalidate_all()
        self.assertEqual(company.lifecycle_stage_id, self.stage["won_back"])
        self.assertFalse(company.churn_reason_id)
        self.assertEqual(buyer.lifecycle_stage_id, self.stage["won_back"])

    def test_notes_of_a_written_batch_each_on_its_own_customer(self):
        """With a rule listening, a batch of changes to different stages goes through write(): the rule acts,
        and each customer gets Odoo's tracking note of its own change."""
        self._plan_call_when_at_risk()
        customers = [self._customer(f"Batch {index}") for index in range(3)]
        for partner in customers:
            self._order(partner, self._days_ago(100))
        targets = [self.stage["at_risk"], self.stage["churned"], self.stage["loyal"]]
        moves = [
            (partner.id, stage.id, self._days_ago(-1), partner.lifecycle_stage_id.id)
            for partner, stage in zip(customers, targets, strict=True)
        ]
        self.env["res.partner"].sudo()._lifecycle_apply_stage_changes(moves, reason="manual")
        self.env.flush_all()
        self.env.cr.precommit.run()  # Odoo's tracking writes its notes at commit
        self.env.invalidate_all()
        for partner, stage in zip(customers, targets, strict=True):
            self.assertEqual(partner.lifecycle_stage_id, stage)
            tracked = partner.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "lifecycle_stage_id")
            self.assertEqual(tracked.sorted("id")[-1].new_value_integer, stage.id)
            self.assertEqual(tracked.sorted("id")[-1].new_value_char, stage.name)
            self.assertEqual(tracked.sorted("id")[-1].mail_message_id.res_id, partner.id)
        self.assertEqual(customers[0].activity_ids.summary, "Customer at risk")

    def test_a_time_based_rule_on_the_stage_history_reacts_to_set_based_moves(self):
        """docs/deployment.md: to react to stage changes in bulk, base the rule on the stage history's date."""
        tag = self.env["res.partner.category"].create({"name": "Call: at risk"})
        rule = self.env["base.automation"].create(
            {
                "name": "Tag who turns At Risk",
                "model_id": self.env.ref("crm_lifecycle.model_crm_lifecycle_history").id,
                "trigger": "on_time",
                "trg_date_id": self.env.ref("crm_lifecycle.field_crm_lifecycle_history__date").id,
                "trg_date_range": 0,
                "trg_date_range_type": "day",
                "filter_domain": "[('to_stage_id.code', '=', 'at_risk')]",
            }
        )
        self.env["ir.actions.server"].create(
            {
                "name": "Tag the customer",
                "model_id": self.env.ref("crm_lifecycle.model_crm_lifecycle_history").id,
                "base_automation_id": rule.id,
                "state": "code",
                "code": f"record.partner_id.write({{'category_id': [Command.link({tag.id})]}})",
            }
        )
        drifting, steady = self._customer("Drifting"), self._customer("Steady")
        self._order(drifting, self._days_ago(179))
        self._order(steady, self._days_ago(10))
        self._run_cron()
        self._run_cron(on=self._days_ago(-1))
        self.assertEqual(drifting.lifecycle_stage_id, self.stage["at_risk"])
        moment = datetime.combine(self._days_ago(-1), time(23))
        with frozen(self.env, moment), self._no_commit():
            self.env["base.automation"]._cron_process_time_based_actions()
        self.assertIn(tag, drifting.category_id, "the time-based rule saw the set-based move")
        self.assertNotIn(tag, steady.category_id)
