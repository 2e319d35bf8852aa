"""The portal complaint form posted twice (double click, the browser's resend): one complaint."""

from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import http
from odoo.sql_db import BaseCursor
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestPortalResubmit(HttpCase, ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = mail_new_test_user(
            cls.env, login="resubmit_portal", name="Dee Double", groups="base.group_portal", password="resubmit_portal"
        )

    def _submit(self, when, subject="Lamp arrived broken"):
        # both clocks (Python's and the transaction's, which dates create_date), in the server's thread too
        with freeze_time(when), patch.object(BaseCursor, "now", lambda cursor: when):
            data = {"csrf_token": http.Request.csrf_token(self), "subject": subject, "description": "Cracked"}
            return self.url_open("/my/complaints/submit", data=data)

    def _complaints(self, subject="Lamp arrived broken"):
        return self.env["crm.complaint"].search(
            [("partner_id", "=", self.portal_user.partner_id.id), ("subject", "=", subject)]
        )

    def test_the_same_complaint_posted_twice_is_stored_once(self):
        self.authenticate("resubmit_portal", "resubmit_portal")
        start = datetime(2026, 6, 15, 9, 0)
        first = self._submit(start)
        again = self._submit(start + timedelta(seconds=2))
        complaint = self._complaints()
        self.assertEqual(len(complaint), 1)
        self.assertTrue(first.url.endswith(f"/my/complaints/{complaint.id}"))
        self.assertTrue(again.url.endswith(f"/my/complaints/{complaint.id}"), "shown the complaint already made")
        # Another complaint, or the same one much later, is a new complaint.
        self._submit(start + timedelta(minutes=1), subject="Second lamp broken too")
        self.assertEqual(len(self._complaints("Second lamp broken too")), 1)
        self._submit(start + timedelta(minutes=11))
        self.assertEqual(len(self._complaints()), 2)
