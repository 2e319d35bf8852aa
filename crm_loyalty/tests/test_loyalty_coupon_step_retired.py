from datetime import date

from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.care_common import CareCase


@tagged("post_install", "-at_install")
class TestLoyaltyCouponStepRetired(CareCase):
    """Archiving a coupon program retires the campaign steps that issue its coupons."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coupons = cls.env["loyalty.program"].create({"name": "Birthday Coupons", "program_type": "coupons"})
        cls.customer = cls._customer("Coupon Fan", birthday=date(1990, 6, 15))
        cls.campaign = cls._campaign(
            "birthday",
            steps=[
                {"action": "issue_coupon", "coupon_program_id": cls.coupons.id, "delay_days": 1},
                {"action": "email", "mail_template_id": cls.birthday_template.id},
            ],
        )
        cls.coupon_step = cls.campaign.step_ids.filtered(lambda step: step.action == "issue_coupon")
        cls.email_step = cls.campaign.step_ids - cls.coupon_step

    def test_archived_program_issues_no_coupon(self):
        self._run_care(self.TODAY)  # the birthday email today, the coupon tomorrow
        self.coupons.with_user(self.manager).action_archive()

        self.assertFalse(self.coupon_step.active)
        self.assertTrue(self.email_step.active and self.campaign.active, "the rest of the campaign goes on")
        self.assertIn("archived with their loyalty program Birthday Coupons", self.campaign.message_ids[0].body)
        self._run_care(self._days_ago(-1))
        self.assertFalse(self.env["loyalty.card"].search([("program_id", "=", self.coupons.id)]))
        self.assertFalse(self._touches(self.campaign).filtered(lambda touch: touch.step_id == self.coupon_step))

    def test_step_restored_without_its_program_fails_with_the_reason(self):
        self.coupons.action_archive()
        self.coupon_step.action_unarchive()
        self._run_care(self._days_ago(-1))
        touch = self._touches(self.campaign).filtered(lambda touch: touch.step_id == self.coupon_step)
        self.assertEqual(touch.state, "failed")
        self.assertIn("Birthday Coupons is archived", touch.error_message)
        self.assertFalse(self.env["loyalty.card"].search([("program_id", "=", self.coupons.id)]))
