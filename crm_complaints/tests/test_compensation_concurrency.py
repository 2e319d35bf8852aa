import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.fields import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestCompensationConcurrency(TransactionCase):
    """Two submissions on one complaint, on real, separate database connections: the later one counts the
    earlier one in the complaint's running total (or is retried), never approving both under the limit.

    Writes nothing in the test transaction: its data is committed and cleaned up afterwards."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.approval_amount = env.company.complaint_approval_amount
            env.company.complaint_approval_amount = 100.0
            partner = env["res.partner"].create({"name": "Concurrent Complainer", "email": "cc@example.com"})
            complaint = env["crm.complaint"].create(
                {
                    "subject": "Two agents, one complaint",
                    "partner_id": partner.id,
                    "compensation_ids": [Command.create({"kind": "gift", "amount": 80}) for __ in range(2)],
                }
            )
            self.partner_id, self.complaint_id = partner.id, complaint.id
            self.first_id, self.second_id = complaint.compensation_ids.sorted("id").ids
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            complaint = env["crm.complaint"].browse(self.complaint_id)
            # a submitted compensation is not deleted (it counts): refused first, as a manager would
            complaint.compensation_ids._transition({"state": "refused"})
            complaint.unlink()
            env["res.partner"].browse(self.partner_id).unlink()
            env.company.complaint_approval_amount = self.approval_amount

    def test_second_submission_sees_the_first_one(self):
        with self.registry.cursor() as cr_b, self.registry.cursor() as cr_a:
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            second = env_b["crm.complaint.compensation"].browse(self.second_id)
            self.assertEqual(second.state, "draft")  # B's snapshot is taken: the first one is a draft in it
            env_a["crm.complaint.compensation"].browse(self.first_id).action_submit()
            cr_a.commit()
            with self.assertRaises(psycopg2.errors.SerializationFailure), mute_logger("odoo.sql_db"):
                second.action_submit()  # Odoo retries the request on this error
            cr_b.rollback()
            env_b.invalidate_all()
            second.action_submit()
            cr_b.commit()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            states = env["crm.complaint.compensation"].browse([self.first_id, self.second_id]).mapped("state")
        self.assertEqual(states, ["approved", "to_approve"], "80 + 80 is above 100: the second one waits")
