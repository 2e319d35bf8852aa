"""The "Set up membership" wizard: the membership program (a loyalty card program of Odoo's Loyalty app) and the
tier ladder from a preset that the manager edits before confirming, on a database without demo data."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from odoo.addons.crm_lifecycle.tests.common import LifecycleCase, frozen
from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestMembershipSetupWizard(LifecycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.cr.execute("DELETE FROM crm_loyalty_run")
        cls.env["crm.loyalty.run"].create({"date": cls.TODAY, "state": "done"})
        # what a new database holds: the shipped Member tier, no membership program
        cls.company.loyalty_program_id = False
        cls.member = cls.env.ref("crm_loyalty.crm_loyalty_tier_member")
        Tier = cls.env["crm.loyalty.tier"]
        Tier.search([("id", "!=", cls.member.id)]).action_archive()
        cls.manager = mail_new_test_user(
            cls.env,
            login="setup_manager",
            name="Zhao Lei",
            groups="sales_team.group_sale_manager,product.group_product_manager",
        )
        cls.care_user = mail_new_test_user(
            cls.env, login="setup_agent", name="Qian Yu", groups="sales_team.group_sale_salesman"
        )

    def _wizard(self, user=None):
        """The wizard as the Customer Care > Loyalty > Set Up Membership menu opens it."""
        action = self.env.ref("crm_loyalty.crm_loyalty_setup_wizard_action")
        return Form(self.env[action.res_model].with_user(user or self.manager))

    def _ladder(self):
        return [
            (tier.name, tier.min_spend, tier.min_orders, tier.points_multiplier)
            for tier in self.env["crm.loyalty.tier"]._get_ranked_tiers(self.company)
        ]

    def test_the_manager_edits_the_preset_and_gets_program_and_ladder(self):
        wizard = self._wizard()
        self.assertEqual(len(wizard.line_ids), 4)
        with wizard.line_ids.edit(0) as line:
            self.assertEqual((line.name, line.min_spend), ("Member", 0))
            self.assertEqual(line.tier_id, self.member, "the shipped Member tier is reused, not doubled")
        with wizard.line_ids.edit(2) as line:
            self.assertEqual((line.name, line.min_spend, line.min_orders), ("Gold", 20000, 3))
            line.min_spend = 25000
        with wizard.line_ids.edit(3) as line:
            line.name = "Diamond"
            line.points_multiplier = 3
        wizard.program_name = "VIP Card"
        wizard.points_per_unit = 2
        wizard.points_validity_months = 12
        wizard.save().action_confirm()

        program = self.company.loyalty_program_id
        self.assertEqual(
            (program.name, program.program_type, program.company_id), ("VIP Card", "loyalty", self.company)
        )
        self.assertTrue(program.sale_ok)
        self.assertEqual(program.rule_ids.mapped("reward_point_amount"), [2])
        self.assertEqual(program.rule_ids.reward_point_mode, "money")
        self.assertTrue(program.reward_ids, "Odoo's loyalty card template gives a reward to spend the points on")
        self.assertEqual(self.company.loyalty_points_validity_months, 12)
        self.assertEqual(
            self._ladder(),
            [("Member", 0, 0, 1), ("Silver", 5000, 0, 1.2), ("Gold", 25000, 3, 1.5), ("Diamond", 80000, 6, 3)],
        )
        self.assertFalse(self.member.company_id, "the shared Member tier stays shared")

        # the ladder works: a customer who spent 6,000 is Silver after the nightly evaluation
        customer = self._customer("Wu Jing")
        self._order(customer, self.TODAY, amount=6000)
        with frozen(self.env, self.TODAY), self._no_commit():
            self.env["crm.loyalty.run"]._cron_evaluate_tiers()
        self.env.invalidate_all()
        self.assertEqual(customer.loyalty_tier_id.name, "Silver")

    def test_a_second_program_is_refused(self):
        self._wizard().save().action_confirm()
        program = self.company.loyalty_program_id
        programs = self.env["loyalty.program"].search_count([])
        with self.assertRaisesRegex(UserError, "already has a membership program"):
            self._wizard().save().action_confirm()
        self.assertEqual(self.company.loyalty_program_id, program)
        self.assertEqual(self.env["loyalty.program"].search_count([]), programs, "no second program")

    def test_bad_ladders_are_refused_and_nothing_is_created(self):
        cases = {
            "more spend than the one before": lambda line: setattr(line, "min_spend", 1000),  # Gold below Silver
            "must be at least 1": lambda line: setattr(line, "points_multiplier", 0.5),
            "cannot be negative": lambda line: setattr(line, "min_orders", -1),
        }
        for message, change in cases.items():
            with self.subTest(message=message):
                wizard = self._wizard()
                with wizard.line_ids.edit(2) as line:
                    change(line)
                with self.assertRaisesRegex(UserError, message):
                    wizard.save().action_confirm()
                self.assertFalse(self.company.loyalty_program_id)
                self.assertEqual(self._ladder(), [("Member", 0, 0, 1)])
        wizard = self._wizard()
        for _index in range(4):
            wizard.line_ids.remove(0)
        with self.assertRaisesRegex(UserError, "at least one tier"):
            wizard.save().action_confirm()

    def test_the_smaller_preset(self):
        wizard = self._wizard()
        wizard.preset = "three"
        wizard.save().action_confirm()
        self.assertEqual([name for name, *_rest in self._ladder()], ["Member", "Silver", "Gold"])

    def test_a_care_manager_without_sales_rights_is_told_who_may(self):
        care_manager = mail_new_test_user(
            self.env, login="setup_care_manager", name="Sun Mei", groups="crm_lifecycle.group_crm_care_manager"
        )
        with self.assertRaisesRegex(UserError, "Sales administrator and Products: Create"):
            self._wizard(care_manager).save().action_confirm()
        self.assertFalse(self.company.loyalty_program_id)
        self.assertEqual(self._ladder(), [("Member", 0, 0, 1)])

    def test_only_managers_set_up_the_membership(self):
        with self.assertRaises(AccessError):
            self._wizard(self.care_user).save().action_confirm()
        self.assertFalse(self.company.loyalty_program_id)
