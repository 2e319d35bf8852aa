"""A marketing coupon step whose program emails the coupon needs the email consent (issue 17); a coupon only put on
the customer's account needs none."""

from datetime import date

from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.care_common import CareCase


@tagged("post_install", "-at_install")
class TestLoyaltyCouponConsent(CareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        card_mail = cls.env.ref("loyalty.mail_template_loyalty_card")
        cls.mailed = cls.env["loyalty.program"].create(
            {
                "name": "Consent Coupons",
                "program_type": "coupons",
                "communication_plan_ids": [Command.create({"trigger": "create", "mail_template_id": card_mail.id})],
            }
        )
        cls.silent = cls.env["loyalty.program"].create({"name": "Unmailed Coupons", "program_type": "coupons"})
        cls.company.care_consent_mode = "opt_in"

    def _run_coupon_campaign(self, program):
        campaign = self._campaign(
            "birthday", steps=[{"action": "issue_coupon", "coupon_program_id": program.id, "coupon_points": 2}]
        )
        self._run_care(self.TODAY)
        return {touch.partner_id.name: (touch.state, touch.reason) for touch in self._touches(campaign)}

    def test_mailed_coupon_needs_email_consent_under_opt_in(self):
        agreed = self._customer("Coupon Agreed", birthday=date(1990, 6, 15))
        self.env["crm.consent"].create({"partner_id": agreed.id, "channel": "email", "state": "given"})
        self._customer("Coupon Never Asked", birthday=date(1990, 6, 15))
        self.assertEqual(
            self._run_coupon_campaign(self.mailed),
            {"Coupon Agreed": ("done", False), "Coupon Never Asked": ("skipped", "consent_missing")},
        )

    def test_unmailed_coupon_needs_no_consent(self):
        self._customer("Coupon Never Asked", birthday=date(1990, 6, 15))
        self.assertEqual(self._run_coupon_campaign(self.silent), {"Coupon Never Asked": ("done", False)})
