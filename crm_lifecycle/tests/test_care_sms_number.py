import ast
from datetime import date

from lxml import etree

from odoo.tests import tagged

from odoo.addons.sms.tests.common import MockSMS

from .care_common import CareCase


@tagged("post_install", "-at_install")
class TestCareSmsNumber(CareCase, MockSMS):
    """An SMS step checks the number with Odoo's phone validation before queueing: an invalid or missing number
    skips the touch at once with its reason (nothing queued, no contact pressure), as Odoo's SMS composer
    marks `sms_number_format`; a valid one is queued in E.164."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sms_template = cls.env["sms.template"].create(
            {"name": "Care SMS", "model_id": cls.env["ir.model"]._get_id("res.partner"), "body": "Hi {{ object.name }}"}
        )
        cls.china = cls.env.ref("base.cn")

    def _sms_campaign(self):
        return self._campaign(
            "birthday", steps=[{"action": "sms", "sms_template_id": self.sms_template.id}], name="SMS birthday"
        )

    def _texted(self, name, phone, **vals):
        return self._customer(name, birthday=date(1990, 6, 15), phone=phone, **vals)

    def _queued(self, partner):
        return self.env["sms.sms"].sudo().search([("partner_id", "=", partner.id)])

    def test_a_valid_chinese_mobile_is_queued_in_e164(self):
        international = self._texted("Wang Fang", "+86 138 0013 8000")
        national = self._texted("Li Na", "139 1234 5678", country_id=self.china.id)
        campaign = self._sms_campaign()
        self._run_care(self.TODAY)
        touches = {touch.partner_id: touch for touch in self._touches(campaign)}
        self.assertEqual(touches[international].state, "done")
        self.assertEqual(self._queued(international).number, "+8613800138000")
        self.assertEqual(touches[national].state, "done")
        self.assertEqual(self._queued(national).number, "+8613912345678", "read with the contact's country")

    def test_an_invalid_number_is_skipped_at_once_with_its_reason(self):
        partner = self._texted("Zhao Lei", "+86 123")
        too_long = self._texted("Sun Mei", "+86 138 0013 8000 999")
        campaign = self._sms_campaign()
        self._run_care(self.TODAY)
        touches = {touch.partner_id: touch for touch in self._touches(campaign)}
        for contact in (partner, too_long):
            touch = touches[contact]
            self.assertEqual((touch.state, touch.reason), ("skipped", "invalid_phone"))
            self.assertIn(contact.phone, touch.error_message)
            self.assertIn("is not valid: the SMS was not sent", touch.error_message)
            self.assertFalse(touch.sms_uuid)
            self.assertFalse(self._queued(contact), "nothing queued for the SMS service to refuse")
        self.assertEqual((campaign.touched_count, campaign.skipped_count), (0, 2))
        # found by the search view's filter
        found = self.env["crm.care.touch"].search(self._filter_domain("reason_invalid_phone"))
        self.assertEqual(found, touches[partner] | touches[too_long])

    def test_an_invalid_number_does_not_count_as_contact_pressure(self):
        partner = self._texted("Zhou Jie", "12345")
        self._sms_campaign()
        self._run_care(self.TODAY)
        # The next day's email is not "too soon after the previous message": nothing was sent.
        email_campaign = self._campaign("birthday", lead_days=0, name="Email the day after")
        partner.birthday = date(1990, 6, 16)
        self._run_care(self._days_ago(-1))
        self.assertEqual(self._touches(email_campaign).state, "done")

    def test_no_number_is_skipped_as_no_phone(self):
        partner = self._texted("Wu Gang", False)
        campaign = self._sms_campaign()
        self._run_care(self.TODAY)
        touch = self._touches(campaign)
        self.assertEqual((touch.state, touch.reason), ("skipped", "no_phone"))
        self.assertFalse(self._queued(partner))

    def _filter_domain(self, name):
        """The domain of filter `name` of the care touches' search view, as the web client applies it."""
        arch = etree.fromstring(self.env.ref("crm_lifecycle.crm_care_touch_view_search").get_combined_arch())
        return ast.literal_eval(arch.xpath(f"//filter[@name='{name}']")[0].get("domain"))
