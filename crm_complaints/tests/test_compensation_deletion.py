"""A compensation that counts (waiting for approval, approved, done) is not deleted, nor with its complaint."""

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestCompensationDeletion(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product = cls.env["product.product"].create(
            {"name": "Vase", "list_price": 300.0, "invoice_policy": "order", "taxes_id": [Command.clear()]}
        )
        cls.order = cls.env["sale.order"].create(
            {"partner_id": cls.customer.id, "order_line": [Command.create({"product_id": product.id})]}
        )
        cls.order.action_confirm()
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()

    def _compensation(self, complaint, amount):
        return (
            self.env["crm.complaint.compensation"]
            .with_user(self.agent)
            .create({"complaint_id": complaint.id, "kind": "credit_note", "amount": amount})
        )

    def test_only_draft_or_refused_compensations_are_deleted(self):
        complaint = self._complaint(sale_order_id=self.order.id)
        done = self._compensation(complaint, 40)
        done.action_submit()
        done.action_apply()
        waiting = self._compensation(complaint, 150)
        waiting.action_submit()
        self.assertEqual((done.state, waiting.state), ("done", "to_approve"))
        for compensation in (done, waiting):
            with self.subTest(state=compensation.state), self.assertRaisesRegex(UserError, "cannot be deleted"):
                compensation.with_user(self.manager).unlink()
        waiting.with_user(self.manager).action_refuse()
        draft = self._compensation(complaint, 10)
        (waiting | draft).with_user(self.manager).unlink()
        self.assertFalse((waiting | draft).exists())
        self.assertEqual(done.exists().credit_note_id.reversed_entry_id, self.invoice)

    def test_a_complaint_with_a_done_compensation_is_archived_not_deleted(self):
        complaint = self._complaint(sale_order_id=self.order.id)
        done = self._compensation(complaint, 40)
        done.action_submit()
        done.action_apply()
        with self.assertRaisesRegex(UserError, "archive it instead"):
            complaint.with_user(self.manager).unlink()
        self.assertTrue(done.exists())
        complaint.with_user(self.manager).action_archive()
        self.assertFalse(complaint.active)
        # a complaint with only a draft compensation goes, with it
        other = self._complaint(sale_order_id=self.order.id)
        draft = self._compensation(other, 10)
        other.with_user(self.manager).unlink()
        self.assertFalse(draft.exists())
