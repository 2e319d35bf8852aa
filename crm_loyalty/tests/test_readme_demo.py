"""README promises of the shipped ladder: a base Member tier (spend 0) is installed; the demo data adds
Silver 5,000, Gold 20,000 and Platinum 80,000 with their pricelists and a *Membership Card* program. Loaded
with Odoo's XML loader into the test transaction (the test database has no demo data)."""

from odoo.tests import TransactionCase, tagged
from odoo.tools.convert import convert_file


@tagged("post_install", "-at_install")
class TestReadmeLoyaltyDemo(TransactionCase):
    def test_member_tier_installed_and_demo_ladder_with_pricelists_and_card(self):
        member = self.env.ref("crm_loyalty.crm_loyalty_tier_member")
        self.assertEqual(
            self.env["ir.model.data"]._xmlid_to_res_model_res_id("crm_loyalty.crm_loyalty_tier_member")[0],
            "crm.loyalty.tier",
        )
        convert_file(self.env, "crm_loyalty", "data/crm_loyalty_tier_data.xml", {}, mode="init", noupdate=False)
        self.assertEqual((member.name, member.min_spend, member.sequence), ("Member", 0, 0))
        convert_file(self.env, "crm_loyalty", "data/crm_loyalty_demo.xml", {}, mode="init", noupdate=True)
        ladder = {
            xmlid: self.env.ref(f"crm_loyalty.crm_loyalty_tier_{xmlid}") for xmlid in ("silver", "gold", "platinum")
        }
        self.assertEqual(
            {key: (tier.name, tier.min_spend) for key, tier in ladder.items()},
            {"silver": ("Silver", 5000), "gold": ("Gold", 20000), "platinum": ("Platinum", 80000)},
        )
        for tier in ladder.values():
            self.assertTrue(tier.pricelist_id, f"{tier.name} has its pricelist")
        ranked = self.env["crm.loyalty.tier"]._get_ranked_tiers(self.env.ref("base.main_company"))
        self.assertEqual(ranked[0], member, "Member is the base of the ladder")
        program = self.env.ref("base.main_company").loyalty_program_id
        self.assertEqual((program.name, program.program_type), ("Membership Card", "loyalty"))
