from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestCompensationApproval(ComplaintCase):
    """Issue 11 §3: the approval of a compensation cannot be bypassed. A Customer Care user (the agent) acts
    through create, write and the actions, as the form and RPC do; the credit notes are real accounting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product, cls.order, cls.invoice = cls._invoiced_order()
        cls.Compensation = cls.env["crm.complaint.compensation"]

    def setUp(self):
        super().setUp()
        self.complaint = self._complaint(sale_order_id=self.order.id)

    def _compensation(self, amount, kind="credit_note", user=None, **vals):
        return self.Compensation.with_user(user or self.agent).create(
            {"complaint_id": self.complaint.id, "kind": kind, "amount": amount, **vals}
        )

    def _credit_notes(self):
        return self.invoice.reversal_move_ids.filtered(lambda move: move.state in ("draft", "posted"))

    # ------------------------------------------------------------------
    # Workflow fields: only the actions write them
    # ------------------------------------------------------------------

    def test_created_approved_with_a_manager_as_approver_is_refused(self):
        agent_model = self.Compensation.with_user(self.agent)
        values = {"complaint_id": self.complaint.id, "kind": "credit_note", "amount": 250}
        with self.assertRaisesRegex(UserError, "starts as a draft"):
            agent_model.create({**values, "state": "approved", "approver_id": self.manager.id})
        with self.assertRaisesRegex(UserError, "starts as a draft"):
            agent_model.create({**values, "approver_id": self.manager.id})
        with self.assertRaisesRegex(UserError, "starts as a draft"):
            agent_model.with_context(default_state="approved", default_approver_id=self.manager.id).create(values)
        with self.assertRaisesRegex(UserError, "starts as a draft"):
            agent_model.create({**values, "requester_id": self.manager.id})
        with self.assertRaisesRegex(UserError, "starts as a draft"):
            agent_model.create({**values, "credit_note_id": self.invoice.id})
        with self.assertRaisesRegex(UserError, "starts as a draft"):  # through the complaint's list of remedies
            self.complaint.with_user(self.agent).write(
                {"compensation_ids": [Command.create({"kind": "credit_note", "amount": 250, "state": "approved"})]}
            )
        self.assertFalse(self.complaint.compensation_ids)
        # the path: created as a draft, it waits for a manager, and cannot be applied before
        compensation = agent_model.create(values)
        self.assertEqual((compensation.state, compensation.requester_id), ("draft", self.agent))
        compensation.action_submit()
        self.assertEqual(compensation.state, "to_approve")
        with self.assertRaisesRegex(UserError, "approved compensation"):
            compensation.action_apply()
        self.assertFalse(self._credit_notes())

    def test_workflow_fields_are_not_writable_whatever_the_context(self):
        compensation = self._compensation(250)
        as_agent = compensation.with_user(self.agent)
        bypass = as_agent.with_context(crm_compensation_transition=True)  # the former internal switch
        for vals in (
            {"state": "approved"},
            {"approver_id": self.manager.id},
            {"approval_date": "2026-06-15 10:00:00"},
            {"requester_id": self.manager.id},
            {"credit_note_id": self.invoice.id},
            {"coupon_code": "FREE"},
        ):
            with self.assertRaisesRegex(UserError, "Use the buttons"):
                as_agent.write(vals)
            with self.assertRaisesRegex(UserError, "Use the buttons"):
                bypass.write(vals)
        as_agent.action_submit()
        self.assertEqual(compensation.state, "to_approve")
        with self.assertRaisesRegex(UserError, "Only a draft"):
            as_agent.write({"amount": 20})
        with self.assertRaisesRegex(UserError, "Only a draft"):
            as_agent.write({"kind": "gift"})
        with self.assertRaisesRegex(UserError, "Use the buttons"):  # a manager too goes through the buttons
            compensation.with_user(self.manager).write({"state": "approved"})
        with self.assertRaises(AccessError):
            as_agent.action_approve()
        compensation.with_user(self.manager).action_approve()
        self.assertEqual((compensation.state, compensation.approver_id), ("approved", self.manager))
        with self.assertRaisesRegex(UserError, "Only a draft"):  # approved at 250: not raised afterwards
            as_agent.write({"amount": 290})
        as_agent.action_apply()
        self.assertEqual(compensation.credit_note_id.amount_total, 250.0)

    # ------------------------------------------------------------------
    # The approval amount applies to the complaint's running total
    # ------------------------------------------------------------------

    def test_running_total_of_the_complaint_needs_approval(self):
        gifts = [self._compensation(80, kind="gift") for _i in range(4)]
        for gift in gifts:
            gift.with_user(self.agent).action_submit()
        self.assertEqual([gift.state for gift in gifts], ["approved", "to_approve", "to_approve", "to_approve"])
        self.assertEqual(gifts[0].complaint_total, 320.0)  # the four of them now
        logged = self.complaint.message_ids.filtered(lambda message: "total" in (message.body or ""))
        self.assertIn("240.00", logged[1].body, "the third one's message gives the total with it: 240")
        for gift in gifts[1:]:
            gift.with_user(self.manager).action_refuse()
        small = self._compensation(20, kind="gift")
        self.assertEqual(small.complaint_total, 100.0, "refused compensations do not count: 80 + 20")
        small.with_user(self.agent).action_submit()
        self.assertEqual(small.state, "approved", "100 is not above the approval amount")
        one_more = self._compensation(1, kind="gift")
        one_more.with_user(self.agent).action_submit()
        self.assertEqual(one_more.state, "to_approve", "101 is above it")

    # ------------------------------------------------------------------
    # Credits never exceed what is left to refund on the invoice
    # ------------------------------------------------------------------

    def test_four_credits_of_80_on_a_300_invoice(self):
        first, second, third, fourth = (self._compensation(80) for _i in range(4))
        first.with_user(self.agent).action_submit()
        first.with_user(self.agent).action_apply()
        self.assertEqual(first.invoice_id, self.invoice, "pinned to the order's invoice when submitted")
        second.with_user(self.agent).action_submit()
        third.with_user(self.agent).action_submit()
        self.assertEqual((second.state, third.state), ("to_approve", "to_approve"))
        # 80 credited + 160 reserved by the two waiting ones: 60 left, not 80
        left_60 = r"INV/\S+ has \$\s60\.00 left to refund .* compensation of \$\s80\.00 cannot"
        with self.assertRaisesRegex(UserError, left_60):
            fourth.with_user(self.agent).action_submit()
        self.assertEqual(fourth.state, "draft")
        for compensation in (second, third):
            compensation.with_user(self.manager).action_approve()
            compensation.with_user(self.agent).action_apply()
        with self.assertRaisesRegex(UserError, "60.00 left to refund"):
            fourth.with_user(self.agent).action_submit()
        self.assertEqual(sum(self._credit_notes().mapped("amount_total")), 240.0)
        fourth.with_user(self.agent).write({"amount": 60})
        fourth.with_user(self.agent).action_submit()
        fourth.with_user(self.manager).action_approve()
        fourth.with_user(self.agent).action_apply()
        self.assertEqual(sum(self._credit_notes().mapped("amount_total")), 300.0)

    def _reverse_with_odoo_wizard(self):
        """The accountant's credit note for the whole invoice, by Odoo's credit-note wizard (a draft)."""
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=self.invoice.ids)
            .create({"journal_id": self.invoice.journal_id.id, "reason": "Returned"})
        )
        action = wizard.refund_moves()
        return self.env["account.move"].browse(action["res_id"])

    def test_credit_notes_of_odoo_wizard_count_draft_or_posted(self):
        compensation = self._compensation(50)
        compensation.with_user(self.agent).action_submit()
        self.assertEqual(compensation.state, "approved")
        refund = self._reverse_with_odoo_wizard()
        self.assertEqual((refund.state, refund.amount_total), ("draft", 300.0))
        with self.assertRaisesRegex(UserError, r"0\.00 left to refund"):
            compensation.with_user(self.agent).action_apply()
        self.assertEqual(compensation.state, "approved")
        refund.button_cancel()  # the accountant drops it: the invoice can be credited again
        compensation.with_user(self.agent).action_apply()
        self.assertEqual(compensation.credit_note_id.amount_total, 50.0)
        partial = self._reverse_with_odoo_wizard()
        partial.invoice_line_ids.price_unit = 200.0
        partial.action_post()
        # 300 - 50 (our credit note, a draft) - 200 (posted): 50 left
        too_much = self._compensation(60)
        with self.assertRaisesRegex(UserError, r"50\.00 left to refund"):
            too_much.with_user(self.agent).action_submit()
        enough = self._compensation(50)
        enough.with_user(self.agent).action_submit()
        self.assertEqual(enough.state, "approved", "50 + 50 on the complaint: not above the approval amount")
        enough.with_user(self.agent).action_apply()
        self.assertEqual(enough.credit_note_id.amount_total, 50.0)

    def test_only_a_posted_invoice_of_the_customer_is_credited(self):
        other = self.env["res.partner"].create({"name": "Somebody Else"})
        other_invoice = self.invoice.copy({"partner_id": other.id})
        other_invoice.action_post()
        draft_invoice = self.invoice.copy()
        for invoice in (other_invoice, draft_invoice):  # the form's domain hides them; RPC would not
            compensation = self._compensation(20, invoice_id=invoice.id)
            with self.assertRaisesRegex(UserError, "not a posted invoice of the complaint's customer"):
                compensation.with_user(self.agent).action_submit()
        self.assertFalse(other_invoice.reversal_move_ids | draft_invoice.reversal_move_ids)

    # ------------------------------------------------------------------
    # Issue 10 §2: an invoice in a currency without exchange rate is not credited at 1.0
    # ------------------------------------------------------------------

    def test_invoice_in_a_currency_without_rate_is_refused(self):
        jpy = self.env.ref("base.JPY")
        jpy.active = True
        self.assertFalse(self.env["res.currency.rate"].search_count([("currency_id", "=", jpy.id)]))
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "currency_id": jpy.id,
                "invoice_date": "2026-06-10",
                "invoice_line_ids": [
                    Command.create({"product_id": self.product.id, "price_unit": 30000, "tax_ids": [Command.clear()]})
                ],
            }
        )
        invoice.action_post()
        compensation = self._compensation(50, invoice_id=invoice.id)
        with self.assertRaisesRegex(UserError, "JPY, which has no exchange rate on 2026-06-10"):
            compensation.with_user(self.agent).action_submit()
        self.assertEqual(compensation.state, "draft")
        # a rate after the invoice date is not the rate at that date
        self.env["res.currency.rate"].create({"currency_id": jpy.id, "name": "2026-06-12", "rate": 150.0})
        with self.assertRaisesRegex(UserError, "no exchange rate on 2026-06-10"):
            compensation.with_user(self.agent).action_submit()
        self.env["res.currency.rate"].create({"currency_id": jpy.id, "name": "2026-06-01", "rate": 160.0})
        compensation.with_user(self.agent).action_submit()
        compensation.with_user(self.agent).action_apply()
        credit_note = compensation.credit_note_id
        self.assertEqual((credit_note.currency_id, credit_note.amount_total), (jpy, 8000.0))  # 50 x 160


@tagged("post_install", "-at_install")
class TestCompensationApprovalOverRpc(HttpCase, ComplaintCase):
    """The issue's input over the web client's JSON-RPC, as a logged-in Customer Care user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rpc_agent = mail_new_test_user(
            cls.env, login="cmp_rpc_agent", groups="sales_team.group_sale_salesman", password="cmp_rpc_agent"
        )
        cls.team.member_ids = [Command.link(cls.rpc_agent.id)]

    def _call(self, method, args, context=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/crm.complaint.compensation/{method}",
            {
                "model": "crm.complaint.compensation",
                "method": method,
                "args": args,
                "kwargs": {"context": context or {}},
            },
        )

    def test_rpc_cannot_create_approved_nor_write_the_state(self):
        complaint = self._complaint()
        self.authenticate("cmp_rpc_agent", "cmp_rpc_agent")
        values = {"complaint_id": complaint.id, "kind": "gift", "amount": 250}
        with self.assertRaises(JsonRpcException) as refusal:
            self._call("create", [{**values, "state": "approved", "approver_id": self.manager.id}])
        self.assertEqual(refusal.exception.args[0], "odoo.exceptions.UserError")
        with self.assertRaises(JsonRpcException):
            self._call("create", [values], context={"default_state": "approved"})
        compensation_id = self._call("create", [values])
        for context in ({}, {"crm_compensation_transition": True}):
            with self.assertRaises(JsonRpcException):
                self._call("write", [[compensation_id], {"state": "approved", "approver_id": self.manager.id}], context)
        self._call("action_submit", [[compensation_id]])
        compensation = self.env["crm.complaint.compensation"].browse(compensation_id)
        self.assertEqual((compensation.state, compensation.approver_id), ("to_approve", self.env["res.users"]))
        with self.assertRaises(JsonRpcException):
            self._call("action_approve", [[compensation_id]])
        self.assertEqual(compensation.complaint_id.compensation_ids, compensation)
