from datetime import date, datetime, time

from odoo.tests import tagged

from odoo.addons.sms.tests.common import MockSMS

from .care_common import CareCase
from .common import frozen


@tagged("post_install", "-at_install")
class TestCareSmsBlacklistLiveNumber(CareCase, MockSMS):
    """An SMS step checks Odoo's phone blacklist with the number it would text (read live, E.164), not only the
    stored `phone_sanitized`, which may be another form of it: a blacklisted number is never texted."""

    def test_a_blacklisted_number_stored_in_another_form_is_not_texted(self):
        sms_template = self.env["sms.template"].create(
            {"name": "Care SMS", "model_id": self.env["ir.model"]._get_id("res.partner"), "body": "Hi"}
        )
        # The contact was entered while the company had no country: her national number could not be read
        # then (no stored phone_sanitized); the company's country was set afterwards.
        self.company.country_id = False
        partner = self._customer("Qian Li", birthday=date(1990, 6, 15), phone="139 1234 5678")
        self.assertFalse(partner.phone_sanitized)
        with frozen(self.env, datetime.combine(self._days_ago(30), time(9))):
            self.env["crm.consent"].create(
                {"partner_id": partner.id, "channel": "sms", "state": "given", "source": "staff"}
            )
        self.company.country_id = self.env.ref("base.cn")
        # She had agreed to texts, then answered STOP: Odoo blacklists the number in E.164.
        self.env["phone.blacklist"].sudo().add("+86 139 1234 5678")
        self.assertFalse(partner.phone_sanitized_blacklisted, "the stored flag misses it")
        campaign = self._campaign("birthday", steps=[{"action": "sms", "sms_template_id": sms_template.id}])
        self._run_care(self.TODAY)
        touch = self._touches(campaign)
        self.assertEqual((touch.state, touch.reason), ("skipped", "blacklisted"))
        self.assertFalse(self.env["sms.sms"].sudo().search([("partner_id", "=", partner.id)]))
