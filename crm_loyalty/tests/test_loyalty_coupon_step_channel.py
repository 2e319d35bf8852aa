from datetime import date, timedelta

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.care_common import CareCase


@tagged("post_install", "-at_install")
class TestLoyaltyCouponStepChannel(CareCase):
    """The `issue_coupon` step issues its coupons with Odoo's coupon generation, emails (the program's mail on
    creation) only those the step may contact, and never gives another company's coupon (issues 11 §8,
    12 §1 and §7)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        card_mail = cls.env.ref("loyalty.mail_template_loyalty_card")
        cls.mailed = cls.env["loyalty.program"].create(
            {
                "name": "Birthday Coupons",
                "program_type": "coupons",
                "communication_plan_ids": [Command.create({"trigger": "create", "mail_template_id": card_mail.id})],
            }
        )
        cls.silent = cls.env["loyalty.program"].create({"name": "Quiet Coupons", "program_type": "coupons"})
        cls.company_b = cls.env["res.company"].create({"name": "Sister Company"})

    def _coupon_campaign(self, program, **step):
        return self._campaign(
            "birthday",
            steps=[{"action": "issue_coupon", "coupon_program_id": program.id, "coupon_points": 2, **step}],
        )

    def _card_mails(self, partner):
        return self.env["mail.mail"].search(
            [("model", "=", "loyalty.card"), ("recipient_ids", "in", partner.ids)]
        ) | self.env["mail.mail"].search([("model", "=", "loyalty.card"), ("email_to", "ilike", partner.email or "-")])

    def test_step_coupon_is_what_odoo_coupon_generation_makes(self):
        customer = self._customer("Coupon Fan", birthday=date(1990, 6, 15))
        campaign = self._coupon_campaign(self.mailed, coupon_validity_days=30)
        self._run_care(self.TODAY)
        touch = self._touches(campaign)
        self.assertEqual(touch.state, "done")
        card = touch.loyalty_card_id
        theirs = (
            self.env["loyalty.generate.wizard"]
            .create(
                {
                    "program_id": self.mailed.id,
                    "mode": "selected",
                    "customer_ids": [Command.set(customer.ids)],
                    "points_granted": 2,
                    "valid_until": self.TODAY + timedelta(days=30),
                    "description": f"Care campaign {campaign.name}",
                }
            )
            .generate_coupons()
        )

        def facts(coupon):
            return (
                coupon.program_id,
                coupon.partner_id,
                coupon.points,
                coupon.expiration_date,
                coupon.company_id,
                [(line.description, line.issued, line.used) for line in coupon.history_ids],
            )

        self.assertEqual(facts(card), facts(theirs))
        self.assertEqual(card.history_ids.issued, 2.0)
        mails = self.env["mail.mail"].search([("model", "=", "loyalty.card"), ("res_id", "in", (card + theirs).ids)])
        self.assertEqual(sorted(mails.mapped("res_id")), sorted((card + theirs).ids), "one mail per coupon, as Odoo")

    def test_no_coupon_mail_to_contacts_the_step_may_not_contact(self):
        reachable = self._customer("Coupon Reachable", birthday=date(1990, 6, 15))
        opted_out = self._customer("Coupon Opted Out", birthday=date(1990, 6, 15), care_opt_out=True)
        blacklisted = self._customer("Coupon Blacklisted", birthday=date(1990, 6, 15))
        self.env["mail.blacklist"]._add(blacklisted.email)
        no_email = self._customer("Coupon Without Address", birthday=date(1990, 6, 15))
        no_email.email = False
        campaign = self._coupon_campaign(self.mailed)
        self._run_care(self.TODAY)
        touches = {touch.partner_id: touch for touch in self._touches(campaign)}
        self.assertEqual(
            {partner.name: (touch.state, touch.reason) for partner, touch in touches.items()},
            {
                "Coupon Reachable": ("done", False),
                "Coupon Opted Out": ("skipped", "opt_out"),
                "Coupon Blacklisted": ("skipped", "blacklisted"),
                "Coupon Without Address": ("skipped", "no_email"),
            },
        )
        self.assertEqual(len(self._card_mails(reachable)), 1)
        for partner in (opted_out, blacklisted, no_email):
            self.assertFalse(self._card_mails(partner), partner.name)
            self.assertFalse(self.env["loyalty.card"].search([("partner_id", "=", partner.id)]), partner.name)

    def test_program_without_mail_still_skips_opted_out_contacts(self):
        self._customer("Quiet Opted Out", birthday=date(1990, 6, 15), care_opt_out=True)
        blacklisted = self._customer("Quiet Blacklisted", birthday=date(1990, 6, 15))
        self.env["mail.blacklist"]._add(blacklisted.email)
        campaign = self._coupon_campaign(self.silent)
        self._run_care(self.TODAY)
        touches = {touch.partner_id.name: (touch.state, touch.reason) for touch in self._touches(campaign)}
        self.assertEqual(touches, {"Quiet Opted Out": ("skipped", "opt_out"), "Quiet Blacklisted": ("done", False)})
        self.assertEqual(self.env["loyalty.card"].search([("partner_id", "=", blacklisted.id)]).program_id, self.silent)
        self.assertFalse(self._card_mails(blacklisted), "the program sends nothing: the coupon is issued, unmailed")

    def test_coupon_step_counts_for_contact_pressure(self):
        customer = self._customer("Coupon Pressed", birthday=date(1990, 6, 15))
        self._history_touch(customer, 1)  # a care message yesterday; the minimum gap is 2 days
        campaign = self._coupon_campaign(self.mailed)
        self._run_care(self.TODAY)
        self.assertEqual(self._touches(campaign).mapped("reason"), ["pressure_gap"])
        self.assertFalse(self._card_mails(customer))

    def test_program_of_another_company_is_never_issued(self):
        program_b = self.env["loyalty.program"].create(
            {"name": "Sister Coupons", "program_type": "coupons", "company_id": self.company_b.id}
        )
        with self.assertRaises(UserError) as refusal:  # check_company on the step (Odoo's rolled-back assertRaises)
            self._coupon_campaign(program_b)
        self.assertIn("Sister Coupons", str(refusal.exception))
        field = self.env["crm.care.step"]._fields["coupon_program_id"]
        self.assertIn("company_id", field.domain, "the form offers the campaign company's programs only")
        customer = self._customer("Coupon Sister", birthday=date(1990, 6, 15))
        campaign = self._coupon_campaign(self.silent)
        self.silent.company_id = self.company_b  # the program moved to the sister company since
        self._run_care(self.TODAY)
        touch = self._touches(campaign)
        self.assertEqual((touch.state, touch.reason), ("failed", "error"))
        self.assertIn("belongs to Sister Company", touch.error_message)
        self.assertFalse(self.env["loyalty.card"].search([("partner_id", "=", customer.id)]))
