from datetime import date
from unittest.mock import patch

from odoo.tests import tagged

from .care_common import CareCase


@tagged("post_install", "-at_install")
class TestCarePressure(CareCase):
    """Contact pressure, opt-outs, blacklists and missing addresses skip touches with their reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls._campaign("birthday")

    def _greet(self, partner):
        """Run today's birthday campaign for partner; returns its touch."""
        self._run_care(self.TODAY)
        return self._touches(self.campaign).filtered(lambda t: t.partner_id == partner)

    def _birthday_customer(self, name, **vals):
        return self._customer(name, birthday=date(1990, 6, 15), **vals)

    def test_max_touches_per_window(self):
        partner = self._birthday_customer("Busy")
        for days_ago in (3, 10, 17, 29):
            self._history_touch(partner, days_ago)
        touch = self._greet(partner)
        self.assertEqual((touch.state, touch.reason), ("skipped", "pressure_max"))
        self.assertFalse(touch.mail_message_id)

    def test_touches_older_than_the_window_do_not_count(self):
        partner = self._birthday_customer("Was Busy")
        for days_ago in (3, 10, 17, 30):
            self._history_touch(partner, days_ago)
        self.assertEqual(self._greet(partner).state, "done")

    def test_max_touches_setting_is_the_company_s(self):
        partner = self._birthday_customer("Strict")
        self.company.care_max_touches = 1
        self._history_touch(partner, 20)
        self.assertEqual(self._greet(partner).reason, "pressure_max")

    def test_min_gap_between_two_touches(self):
        partner = self._birthday_customer("Yesterday")
        self._history_touch(partner, 1)
        touch = self._greet(partner)
        self.assertEqual((touch.state, touch.reason), ("skipped", "pressure_gap"))

    def test_gap_long_enough(self):
        partner = self._birthday_customer("Two Days Ago")
        self._history_touch(partner, 2)
        self.assertEqual(self._greet(partner).state, "done")

    def test_two_campaigns_the_same_day_respect_the_gap(self):
        self._birthday_customer("Popular")
        second = self._campaign("birthday", name="Second greeting")
        self._run_care(self.TODAY)
        touches = self._touches(self.campaign) | self._touches(second)
        self.assertEqual(sorted(touches.mapped("state")), ["done", "skipped"])
        self.assertEqual(touches.filtered(lambda t: t.state == "skipped").reason, "pressure_gap")

    def test_service_message_ignores_pressure(self):
        partner = self._birthday_customer("Served")
        for days_ago in (1, 3, 10, 17):
            self._history_touch(partner, days_ago)
        self.campaign.step_ids.respect_pressure = False
        self.assertEqual(self._greet(partner).state, "done")

    def test_service_messages_do_not_count_in_pressure(self):
        partner = self._birthday_customer("Serviced")
        self._history_touch(partner, 1, respect_pressure=False)
        self.assertEqual(self._greet(partner).state, "done")

    def test_opt_out_even_for_service_messages(self):
        partner = self._birthday_customer("Quiet", care_opt_out=True)
        self.campaign.step_ids.respect_pressure = False
        touch = self._greet(partner)
        self.assertEqual((touch.state, touch.reason), ("skipped", "opt_out"))

    def test_blacklisted_email(self):
        partner = self._birthday_customer("Blocked")
        self.env["mail.blacklist"]._add(partner.email)
        touch = self._greet(partner)
        self.assertEqual((touch.state, touch.reason), ("skipped", "blacklisted"))

    def test_no_email_for_an_email_step(self):
        partner = self._birthday_customer("Offline")
        partner.email = False
        touch = self._greet(partner)
        self.assertEqual((touch.state, touch.reason), ("skipped", "no_email"))

    def test_no_phone_for_an_sms_step(self):
        template = self.env["sms.template"].create(
            {
                "name": "Birthday SMS",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "body": "Happy birthday {{ object.name }}",
            }
        )
        self.campaign.step_ids.write({"action": "sms", "sms_template_id": template.id})
        without = self._birthday_customer("No Phone")
        with_phone = self._birthday_customer("Phone", phone="+32 470 12 34 56")
        self._run_care(self.TODAY)
        touches = self._touches(self.campaign)
        skipped = touches.filtered(lambda t: t.partner_id == without)
        self.assertEqual((skipped.state, skipped.reason), ("skipped", "no_phone"))
        self.assertEqual(touches.filtered(lambda t: t.partner_id == with_phone).state, "done")
        sms = self.env["sms.sms"].search([("partner_id", "=", with_phone.id)])
        self.assertEqual(sms.body, "Happy birthday Phone")

    def test_internal_actions_ignore_opt_out_and_pressure(self):
        tag = self.env["res.partner.category"].create({"name": "Birthday this month"})
        self.campaign.step_ids.write({"action": "add_tag", "tag_id": tag.id})
        partner = self._birthday_customer("Tagged", care_opt_out=True)
        self._history_touch(partner, 1)
        self.assertEqual(self._greet(partner).state, "done")
        self.assertIn(tag, partner.category_id)

    def test_other_addons_add_vetoes(self):
        partner = self._birthday_customer("Vetoed")
        touch_model = type(self.env["crm.care.touch"])
        original = touch_model._care_veto_reasons

        def veto_everyone(touches):
            return {**dict.fromkeys(touches.ids, "error"), **original(touches)}

        with patch.object(touch_model, "_care_veto_reasons", veto_everyone):
            touch = self._greet(partner)
        self.assertEqual((touch.state, touch.reason), ("skipped", "error"))
