from datetime import date

from odoo.tests import tagged

from .care_common import CareCase


@tagged("post_install", "-at_install")
class TestCareCatchUp(CareCase):
    """A care cron that did not run for some days plans the days it missed (7 at most), and a touch more
    than 7 days overdue is skipped as too late instead of being sent late."""

    def test_missed_days_are_planned_when_the_cron_runs_again(self):
        missed = self._customer("Missed Birthday", birthday=date(1990, 6, 17))
        too_old = self._customer("Long Ago Birthday", birthday=date(1990, 6, 11))
        campaign = self._campaign("birthday")
        self._run_care(date(2026, 6, 10))
        self.assertEqual(campaign.date_last_planned, date(2026, 6, 10))
        # No run from 11 to 18 June: the run of the 19th plans 12-19 June (7 days back), not the 11th.
        self._run_care(date(2026, 6, 19))
        touches = self._touches(campaign)
        self.assertEqual(touches.partner_id, missed, "the 11th is more than 7 days back: not planned")
        self.assertEqual((touches.date_planned, touches.state), (date(2026, 6, 17), "done"))
        self.assertNotIn(too_old, touches.partner_id)

    def test_a_touch_more_than_seven_days_overdue_expires(self):
        partner = self._customer("Late Buyer")
        campaign = self._campaign(
            "after_order", steps=[{"action": "email", "mail_template_id": self.thank_you_template.id, "delay_days": 1}]
        )
        late = self._order(partner, self.TODAY)  # thank-you planned for TODAY + 1
        in_time = self._order(partner, self._days_ago(-1))  # planned for TODAY + 2
        self._run_care(self._days_ago(-9))  # 8 and 7 days after the planned days
        touches = self._touches(campaign)
        expired = touches.filtered(lambda t: t.order_id == late)
        self.assertEqual((expired.state, expired.reason), ("skipped", "expired"))
        self.assertFalse(expired.mail_message_id, "nothing sent late")
        sent = touches.filtered(lambda t: t.order_id == in_time)
        self.assertEqual(sent.state, "done", "7 days overdue is still sent")
        self.assertTrue(sent.mail_message_id)

    def test_blacklisted_phone_number_gets_no_sms(self):
        template = self.env["sms.template"].create(
            {
                "name": "Birthday SMS",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "body": "Happy birthday {{ object.name }}",
            }
        )
        campaign = self._campaign("birthday", steps=[{"action": "sms", "sms_template_id": template.id}])
        blocked = self._customer("Blocked Phone", birthday=date(1990, 6, 15), phone="+32 470 12 34 56")
        allowed = self._customer("Allowed Phone", birthday=date(1990, 6, 15), phone="+32 470 65 43 21")
        self.env["phone.blacklist"].sudo().add(blocked.phone_sanitized)
        self._run_care(self.TODAY)
        touches = self._touches(campaign)
        vetoed = touches.filtered(lambda t: t.partner_id == blocked)
        self.assertEqual((vetoed.state, vetoed.reason), ("skipped", "blacklisted"))
        self.assertFalse(self.env["sms.sms"].search([("partner_id", "=", blocked.id)]))
        self.assertEqual(touches.filtered(lambda t: t.partner_id == allowed).state, "done")
