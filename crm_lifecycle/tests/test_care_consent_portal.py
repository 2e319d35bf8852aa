"""The customer sees and changes their marketing consents on My Account, over HTTP as a portal user."""

from datetime import date, datetime

from odoo import http
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .care_common import CareCase
from .common import frozen


@tagged("post_install", "-at_install")
class TestCareConsentPortal(HttpCase, CareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls._campaign("birthday")
        cls.portal_user = mail_new_test_user(
            cls.env,
            login="consent_portal",
            name="Paula Portal",
            email="paula.portal@example.com",
            groups="base.group_portal",
            password="consent_portal",
        )
        cls.partner = cls.portal_user.partner_id
        cls.partner.birthday = date(1990, 6, 15)
        cls.other = cls._customer("Oscar Other", birthday=date(1990, 6, 15))

    def _post(self, data, csrf=True):
        if csrf:
            data = {"csrf_token": http.Request.csrf_token(self), **data}
        return self.url_open("/my/consents", data=data)

    def test_withdrawn_on_the_portal_stops_the_next_touch(self):
        self.company.care_consent_mode = "opt_out"
        self.authenticate("consent_portal", "consent_portal")
        home = self.url_open("/my")
        self.assertIn('href="/my/consents"', home.text, "My Account links to the preferences")
        page = self.url_open("/my/consents")
        self.assertEqual(page.status_code, 200)
        self.assertIn('name="consent_email"', page.text)
        with frozen(self.env, datetime(2026, 6, 14, 9, 30)):
            response = self._post({"consent_email": "withdrawn", "consent_sms": "given"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/my/consents?saved=1"))
        self.env.invalidate_all()
        self.assertEqual((self.partner.consent_email, self.partner.consent_sms), ("withdrawn", "given"))
        self.assertEqual(self.partner.consent_phone, "unknown", "a channel not posted is left alone")
        lines = self.partner.consent_ids
        self.assertEqual(set(lines.mapped("source")), {"portal"})
        self.assertEqual(lines.user_id, self.portal_user)
        self.assertEqual(set(lines.mapped("date")), {datetime(2026, 6, 14, 9, 30)})
        self.assertFalse(self.other.consent_ids, "nobody else's consent changes")
        self.assertIn("o_crm_consent_history", self.url_open("/my/consents").text)

        self._run_care(self.TODAY)
        touches = {touch.partner_id: touch for touch in self._touches(self.campaign)}
        self.assertEqual((touches[self.partner].state, touches[self.partner].reason), ("skipped", "consent_withdrawn"))
        self.assertEqual(touches[self.other].state, "done")

    def test_the_same_choice_again_records_nothing(self):
        self.authenticate("consent_portal", "consent_portal")
        self._post({"consent_email": "given"})
        self._post({"consent_email": "given"})
        self.env.invalidate_all()
        self.assertEqual(len(self.partner.consent_ids), 1)

    def test_without_csrf_token_nothing_is_recorded(self):
        self.authenticate("consent_portal", "consent_portal")
        response = self._post({"consent_email": "withdrawn"}, csrf=False)
        self.assertEqual(response.status_code, 400)
        self.env.invalidate_all()
        self.assertFalse(self.partner.consent_ids)

    def test_bad_value_is_refused_and_nothing_recorded(self):
        self.authenticate("consent_portal", "consent_portal")
        response = self._post({"consent_email": "withdrawn", "consent_sms": "maybe"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("Choose Yes or No for each channel.", response.text)
        self.env.invalidate_all()
        self.assertFalse(self.partner.consent_ids)

    def test_anonymous_visitor_is_sent_to_login(self):
        self.authenticate(None, None)
        response = self.url_open("/my/consents", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
