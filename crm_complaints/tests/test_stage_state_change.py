"""A stage holding complaints keeps its meaning: changing its state would move them past the workflow."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestStageStateChange(ComplaintCase):
    def test_the_state_of_a_stage_with_complaints_cannot_change(self):
        complaint = self._complaint()
        self.assertEqual(complaint.state, "new")
        stage = self.stage["new"].with_user(self.manager)
        with self.assertRaisesRegex(UserError, "move them to another stage"):
            stage.state = "resolved"
        self.assertEqual(complaint.state, "new")
        self.assertFalse(complaint.resolved_date)
        stage.write({"name": "Received", "state": "new"})  # its name, or the same state, may change
        # an empty stage may change its meaning
        empty = self.env["crm.complaint.stage"].with_user(self.manager).create({"name": "Parked", "state": "waiting"})
        empty.state = "in_progress"
        self.assertEqual(empty.state, "in_progress")
