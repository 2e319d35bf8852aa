from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestCompensation(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product, cls.order, cls.invoice = cls._invoiced_order()

    def setUp(self):
        super().setUp()
        self.complaint = self._complaint(sale_order_id=self.order.id)

    def _compensation(self, amount, kind="credit_note", user=None, **vals):
        return (
            self.env["crm.complaint.compensation"]
            .with_user(user or self.agent)
            .create({"complaint_id": self.complaint.id, "kind": kind, "amount": amount, **vals})
        )

    def test_negative_amount_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "negative"):
            self._compensation(-10)

    def test_small_compensation_is_approved_at_once_and_credits_the_invoice(self):
        compensation = self._compensation(50)
        compensation.action_submit()
        self.assertEqual(compensation.state, "approved")
        compensation.action_apply()
        self.assertEqual(compensation.state, "done")
        credit_note = compensation.credit_note_id
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.state, "draft")
        self.assertEqual(credit_note.reversed_entry_id, self.invoice)
        self.assertEqual(credit_note.partner_id, self.customer)
        self.assertAlmostEqual(credit_note.amount_total, 50.0)
        self.assertIn(credit_note, self.invoice.reversal_move_ids)
        credit_note.sudo().action_post()  # a real credit note: accounting can post it
        self.assertEqual(credit_note.state, "posted")

    def test_large_compensation_needs_another_managers_approval(self):
        compensation = self._compensation(150, user=self.manager)
        compensation.with_user(self.manager).action_submit()
        self.assertEqual(compensation.state, "to_approve")
        with self.assertRaises(AccessError):
            compensation.with_user(self.agent).action_approve()
        with self.assertRaisesRegex(UserError, "your own compensation"):
            compensation.with_user(self.manager).action_approve()
        compensation.with_user(self.manager_2).action_approve()
        self.assertEqual(compensation.state, "approved")
        self.assertEqual(compensation.approver_id, self.manager_2)
        compensation.with_user(self.agent).action_apply()
        self.assertAlmostEqual(compensation.credit_note_id.amount_total, 150.0)

    def test_refusal_and_no_shortcut_around_the_approval(self):
        compensation = self._compensation(250)
        compensation.action_submit()
        with self.assertRaisesRegex(UserError, "Use the buttons"):
            compensation.write({"state": "approved"})
        with self.assertRaisesRegex(UserError, "Use the buttons"):
            compensation.write({"requester_id": self.manager.id})
        with self.assertRaisesRegex(UserError, "Only a draft"):
            compensation.write({"amount": 10})
        with self.assertRaisesRegex(UserError, "approved compensation"):
            compensation.action_apply()
        compensation.with_user(self.manager).action_refuse()
        self.assertEqual(compensation.state, "refused")
        self.assertFalse(compensation.credit_note_id)

    def test_credit_note_needs_an_invoice_and_not_more_than_it(self):
        self.complaint.sale_order_id = False
        compensation = self._compensation(20)
        compensation.action_submit()
        with self.assertRaisesRegex(UserError, "no posted invoice"):
            compensation.action_apply()
        big = self._compensation(400, invoice_id=self.invoice.id)
        with self.assertRaisesRegex(UserError, "left to refund"):
            big.action_submit()
        self.assertEqual(big.state, "draft")
