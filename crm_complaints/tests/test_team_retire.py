from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestTeamRetire(ComplaintCase):
    """A retired (archived) team takes no new complaint; its open complaints stay with it until reassigned."""

    def _process(self, subject):
        """An email from a known customer to the team's alias, through the mail gateway."""
        msg = EmailMessage()
        msg["From"] = '"Carla C." <carla@example.com>'
        msg["To"] = f"complaints@{self.alias_domain}"
        msg["Subject"] = subject
        msg["Message-ID"] = make_msgid(domain="example.com")
        msg.set_content("The vase arrived broken.")
        with self.mock_datetime_and_now(datetime(2026, 6, 15, 10, 0)), self.mock_mail_gateway():
            thread_id = self.env["mail.thread"].sudo().message_process(False, msg.as_string())
            self.env.flush_all()
        return self.env["crm.complaint"].browse(thread_id)

    def test_email_to_a_retired_team_goes_to_an_active_team_of_its_company(self):
        open_complaint = self._process("Before")
        self.assertEqual(open_complaint.team_id, self.team)
        desk = self.env["crm.complaint.team"].create({"name": "Front desk", "company_id": self.company.id})
        self.team.action_archive()

        complaint = self._process("After")

        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.team_id, desk, "not the retired team behind the address")
        self.assertEqual(complaint.company_id, self.company)
        self.assertEqual(open_complaint.team_id, self.team, "open complaints keep their team")
