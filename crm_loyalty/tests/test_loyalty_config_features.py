"""Configuration of ours that needs an Odoo feature turns it on as Odoo does, or is refused with a clear message:
never stored to do nothing, never undone by Settings."""

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import convert_file

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyConfigFeatures(LoyaltyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pricelist_group = cls.env.ref("product.group_product_pricelist")
        cls.silver_pricelist = cls.env["product.pricelist"].create({"name": "Silver Members"})

    def _pricelists_off(self):
        """Sales' Pricelists feature off, as unticking it in Settings leaves the groups (pricelists kept)."""
        self.env.ref("base.group_user")._remove_group(self.pricelist_group)
        self.assertFalse(self.env["res.groups"]._is_feature_enabled("product.group_product_pricelist"))

    def _pricelists_on(self):
        return self.env["res.groups"]._is_feature_enabled("product.group_product_pricelist")

    def _quote_pricelist(self, partner):
        with freeze_time(self._day(1)):
            quote = Form(self.env["sale.order"].with_user(self.salesman))
            quote.partner_id = partner
            return quote.pricelist_id

    def test_a_tier_pricelist_turns_the_pricelist_feature_on_and_quotes_use_it(self):
        self._pricelists_off()
        self.silver.with_user(self.manager).pricelist_id = self.silver_pricelist
        self.assertTrue(self._pricelists_on(), "set like Settings does: implied by Internal User")
        self.assertIn(self.pricelist_group, self.env.ref("base.group_user").implied_ids)
        customer = self._customer("Silvia Silver")
        self._order(customer, self.TODAY, amount=6000)
        self.assertEqual(customer.loyalty_tier_id, self.silver)
        self.assertEqual(self._quote_pricelist(customer), self.silver_pricelist, "a new quotation uses it")

    def test_a_new_tier_with_a_pricelist_turns_the_feature_on(self):
        self._pricelists_off()
        self.env["crm.loyalty.tier"].with_user(self.manager).create(
            {"name": "Diamond", "sequence": 40, "min_spend": 150000, "pricelist_id": self.silver_pricelist.id}
        )
        self.assertTrue(self._pricelists_on())

    def test_a_tier_without_pricelist_leaves_the_feature_alone(self):
        self._pricelists_off()
        self.env["crm.loyalty.tier"].with_user(self.manager).create(
            {"name": "Diamond", "sequence": 40, "min_spend": 150000}
        )
        self.silver.with_user(self.manager).points_multiplier = 1.3
        self.assertFalse(self._pricelists_on())

    def test_saving_settings_keeps_the_tier_pricelists(self):
        self._pricelists_off()
        self.silver.with_user(self.manager).pricelist_id = self.silver_pricelist
        settings = Form(self.env["res.config.settings"])
        self.assertTrue(settings.group_product_pricelist, "Settings shows the feature on: no archiving warning")
        settings.save().execute()
        self.assertTrue(self.silver_pricelist.active)
        self.assertTrue(self.gold_pricelist.active)
        self.assertTrue(self._pricelists_on())

    def test_turning_pricelists_off_while_tiers_give_one_is_refused(self):
        settings = Form(self.env["res.config.settings"])
        settings.group_product_pricelist = False
        with self._refused(UserError, "Gold give their members a pricelist"):
            settings.save().execute()
        self.assertTrue(self.gold_pricelist.active)
        self.assertTrue(self._pricelists_on())

    def test_an_archived_pricelist_is_refused_on_a_tier(self):
        self.silver_pricelist.action_archive()
        with self._refused(ValidationError, "is archived"):
            self.silver.pricelist_id = self.silver_pricelist

    def test_the_membership_program_must_be_available_in_sales(self):
        program = self._membership_program()
        with self._refused(ValidationError, "must stay available in Sales"):
            program.sale_ok = False
        self.company.loyalty_program_id = False
        program.sale_ok = False
        with self._refused(ValidationError, "is not available in Sales"):
            self.company.loyalty_program_id = program


@tagged("post_install", "-at_install")
class TestLoyaltyDemoSettings(TransactionCase):
    def test_the_demo_leaves_nothing_for_settings_to_undo(self):
        """The demo data, loaded by Odoo's XML loader into a database whose Pricelists feature is off, turns it
        on with its tier pricelists: opening Settings shows no archiving warning and saving keeps them."""
        self.env.ref("base.group_user")._remove_group(self.env.ref("product.group_product_pricelist"))
        convert_file(self.env, "crm_loyalty", "data/crm_loyalty_demo.xml", {}, mode="init", noupdate=False)
        pricelists = self.env["crm.loyalty.tier"].search([("pricelist_id", "!=", False)]).pricelist_id
        self.assertEqual(len(pricelists), 3)
        settings = Form(self.env["res.config.settings"])
        self.assertTrue(settings.group_product_pricelist)
        settings.save().execute()
        self.assertEqual(pricelists.filtered("active"), pricelists)


@tagged("post_install", "-at_install")
class TestLoyaltyMembershipProgramStays(LoyaltyCase):
    """The membership program cannot be archived, nor moved to another company, while a company uses it."""

    def test_archiving_the_membership_program_is_refused(self):
        program = self._membership_program()
        with self._refused(ValidationError, "before archiving it"):
            program.with_user(self.env.ref("base.user_admin")).action_archive()
        self.assertTrue(program.active)
        other = self.env["res.company"].create({"name": "Other Shop"})
        with self._refused(ValidationError, "cannot move to another company"):
            program.company_id = other
        # chosen elsewhere first, it goes; an archived program cannot be chosen
        self.company.loyalty_program_id = False
        program.action_archive()
        with self._refused(ValidationError, "is archived"):
            self.company.loyalty_program_id = program
