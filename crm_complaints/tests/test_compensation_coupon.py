import importlib.util
from pathlib import Path

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestCompensationCoupon(ComplaintCase):
    """A coupon compensation is issued by Odoo's coupon generation, of a program of the complaint's company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        card_mail = cls.env.ref("loyalty.mail_template_loyalty_card")
        cls.coupons = cls.env["loyalty.program"].create(
            {
                "name": "Apology coupons",
                "program_type": "coupons",
                "communication_plan_ids": [Command.create({"trigger": "create", "mail_template_id": card_mail.id})],
            }
        )
        cls.gift_cards = cls.env["loyalty.program"].create({"name": "Apology gift card", "program_type": "gift_card"})
        cls.company_b = cls.env["res.company"].create({"name": "Sister Company"})
        cls.coupons_b = cls.env["loyalty.program"].create(
            {"name": "Sister coupons", "program_type": "coupons", "company_id": cls.company_b.id}
        )

    def _compensation(self, amount, program, user=None):
        complaint = self._complaint()
        return (
            self.env["crm.complaint.compensation"]
            .with_user(user or self.agent)
            .create({"complaint_id": complaint.id, "kind": "coupon", "amount": amount, "coupon_program_id": program.id})
        )

    def _apply(self, compensation):
        compensation.with_user(self.agent).action_submit()
        compensation.with_user(self.agent).action_apply()
        return self.env["loyalty.card"].search([("code", "=", compensation.coupon_code)])

    def _odoo_wizard(self, program, points, description):
        """The same coupon from Odoo's own Loyalty > Generate Coupons wizard."""
        wizard = self.env["loyalty.generate.wizard"].create(
            {
                "program_id": program.id,
                "mode": "selected",
                "customer_ids": [Command.set(self.customer.ids)],
                "points_granted": points,
                "description": description,
            }
        )
        return wizard.generate_coupons()

    def _card_facts(self, card):
        return (
            card.program_id,
            card.partner_id,
            card.points,
            card.expiration_date,
            card.company_id,
            card.active,
            [(line.description, line.issued, line.used, line.order_model, line.order_id) for line in card.history_ids],
        )

    def test_coupon_is_what_odoo_coupon_generation_makes(self):
        self.assertIn("create", self.coupons.communication_plan_ids.mapped("trigger"), "the program mails coupons")
        compensation = self._compensation(30, self.coupons)
        card = self._apply(compensation)
        self.assertEqual(compensation.state, "done")
        self.assertEqual(len(card), 1)
        theirs = self._odoo_wizard(self.coupons, 1.0, f"Compensation for complaint {compensation.complaint_id.name}")
        self.assertEqual(self._card_facts(card), self._card_facts(theirs))
        self.assertEqual(card.history_ids.issued, 1.0, "the issued history line says where the coupon came from")
        mails = self.env["mail.mail"].search([("model", "=", "loyalty.card"), ("res_id", "in", (card + theirs).ids)])
        self.assertEqual(
            sorted((mail.res_id, mail.email_to or mail.recipient_ids.email) for mail in mails),
            [(card.id, "carla@example.com"), (theirs.id, "carla@example.com")],
            "the program's mail on creation, as Odoo sends it",
        )

    def test_gift_card_carries_the_amount(self):
        compensation = self._compensation(30, self.gift_cards)
        card = self._apply(compensation)
        label = f"Compensation for complaint {compensation.complaint_id.name}"
        theirs = self._odoo_wizard(self.gift_cards, 30.0, label)
        self.assertEqual(card.points, 30.0)
        self.assertEqual(self._card_facts(card), self._card_facts(theirs))

    def test_program_is_required_and_stays_draft_only(self):
        compensation = self._compensation(30, self.coupons)
        compensation.with_user(self.agent).write({"coupon_program_id": False})
        compensation.with_user(self.agent).action_submit()
        with self.assertRaisesRegex(UserError, "Choose the loyalty program"):
            compensation.with_user(self.agent).action_apply()
        compensation = self._compensation(30, self.coupons)
        compensation.with_user(self.agent).action_submit()
        with self.assertRaisesRegex(UserError, "Only a draft"):
            compensation.with_user(self.agent).write({"coupon_program_id": self.gift_cards.id})

    # ------------------------------------------------------------------
    # Issue 12 §1: a compensation never gives another company's coupon
    # ------------------------------------------------------------------

    def test_form_offers_only_programs_of_the_complaint_company(self):
        self.manager.write({"company_ids": [Command.link(self.company_b.id)]})
        compensation = self._compensation(30, self.coupons)
        field = compensation._fields["coupon_program_id"]
        domain = safe_eval(field.domain, {"company_id": compensation.company_id.id})
        offered = (
            self.env["loyalty.program"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=[self.company.id, self.company_b.id])
            .search(domain)
        )
        self.assertIn(self.coupons, offered)
        self.assertIn(self.gift_cards, offered)
        self.assertNotIn(self.coupons_b, offered)

    def test_other_company_program_is_refused_when_saved_and_when_applied(self):
        with self.assertRaisesRegex(UserError, "company"):  # check_company
            self._compensation(30, self.coupons_b, user=self.manager)
        shared = self.env["loyalty.program"].create(
            {
                "name": "Shared coupons",
                "program_type": "coupons",
                "company_id": False,
                "currency_id": self.company.currency_id.id,
            }
        )
        compensation = self._compensation(30, shared)
        compensation.with_user(self.agent).action_submit()
        shared.company_id = self.company_b  # the program moved to the sister company after the approval
        with self.assertRaisesRegex(UserError, "belongs to Sister Company"):
            compensation.with_user(self.agent).action_apply()
        self.assertEqual(compensation.state, "approved")
        self.assertFalse(shared.coupon_ids)

    # ------------------------------------------------------------------
    # Migration 19.0.1.0.1 of crm_complaints: the program ids kept as text become the Many2one
    # ------------------------------------------------------------------

    def test_migration_converts_the_text_program_ids(self):
        compensations = self._compensation(10, self.coupons) | self._compensation(10, self.coupons)
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("ALTER TABLE crm_complaint_compensation ADD COLUMN coupon_program varchar")
        cr.execute(
            "UPDATE crm_complaint_compensation SET coupon_program_id = NULL WHERE id IN %s", [tuple(compensations.ids)]
        )
        cr.execute(
            "UPDATE crm_complaint_compensation SET coupon_program = %s WHERE id = %s",
            [str(self.gift_cards.id), compensations[0].id],
        )
        cr.execute(
            "UPDATE crm_complaint_compensation SET coupon_program = '999999999' WHERE id = %s", [compensations[1].id]
        )
        path = Path(__file__).parents[2] / "crm_complaints" / "migrations" / "19.0.1.0.1" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("crm_complaints_post_migrate_19_0_1_0_1", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        with self.assertLogs("crm_complaints_post_migrate_19_0_1_0_1", "WARNING") as logs:
            module.migrate(cr, "19.0.1.0.0")
        self.assertIn("999999999", logs.output[0])
        self.env.invalidate_all()
        self.assertEqual(compensations[0].coupon_program_id, self.gift_cards)
        self.assertFalse(compensations[1].coupon_program_id)
        cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'crm_complaint_compensation'"
            " AND column_name = 'coupon_program'"
        )
        self.assertFalse(cr.fetchall(), "the text column is dropped")
