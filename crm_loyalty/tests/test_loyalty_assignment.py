from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyAssignment(LoyaltyCase):
    """The top-tier to-do goes to someone still here; membership emails come from the tier's company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Sister Shop", "email": "club@sister.example.com"})
        cls.company.email = "club@main.example.com"
        cls.care_managers = cls.env.ref("crm_lifecycle.group_crm_care_manager").all_user_ids

    def _to_top(self, partner):
        for day in range(3):
            self._order(partner, self._day(day), amount=40000)
        self.assertEqual(partner.loyalty_tier_id, self.platinum)
        return partner.activity_ids.filtered(lambda a: "Platinum" in (a.summary or ""))

    def test_top_tier_to_do_skips_an_archived_salesperson_for_the_team_leader(self):
        leader = new_test_user(self.env, "loyalty_leader", groups="sales_team.group_sale_salesman")
        self.env["crm.team"].create(
            {"name": "Club Team", "user_id": leader.id, "member_ids": [Command.link(self.salesman.id)]}
        )
        partner = self._customer("Loyal Orphan", user_id=self.salesman.id)
        self.salesman.action_archive()
        self.assertEqual(self._to_top(partner).user_id, leader)

    def test_top_tier_to_do_skips_a_salesperson_of_another_company(self):
        partner = self._customer("Loyal Abroad", user_id=self.salesman.id)
        self.salesman.write({"company_ids": [Command.set(self.company_b.ids)], "company_id": self.company_b.id})
        user = self._to_top(partner).user_id
        self.assertEqual(len(user), 1)
        self.assertIn(user, self.care_managers)
        self.assertTrue(user.active)
        self.assertIn(self.company, user.company_ids)

    def test_no_to_do_for_entering_a_ladder_of_one_tier(self):
        (self.silver | self.gold | self.platinum).write({"active": False})
        partner = self._customer("First Member", user_id=self.salesman.id)
        self._order(partner, self._day(0), amount=100)
        self.assertEqual(partner.loyalty_tier_id, self.member, "the only tier is the top one")
        self.assertFalse(partner.activity_ids, "entering the lowest tier is no achievement")

    def test_upgrade_email_of_company_b_comes_from_company_b(self):
        partner = self._customer("Sister Member")
        self.assertFalse(partner.company_id)
        # A user of both companies (default company: the main one) works in company B and confirms B's order:
        # the membership is B's (the tier engine's company of a contact without company is the current one).
        both = self.env["sale.order"].with_context(allowed_company_ids=[self.company_b.id, self.company.id])
        self.assertEqual(both.env.user.company_id, self.company)
        moment = datetime.combine(self.TODAY, datetime.min.time()) + timedelta(hours=10)
        with freeze_time(moment):
            order = both.create(
                {
                    "partner_id": partner.id,
                    "company_id": self.company_b.id,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_uom_qty": 1, "price_unit": 6000})
                    ],
                }
            )
            order.action_confirm()
        self.assertEqual(partner.loyalty_tier_id, self.silver)
        mail = self._mails(partner, "crm_loyalty.mail_template_loyalty_upgrade")
        self.assertEqual(len(mail), 1)
        self.assertIn("club@sister.example.com", mail.email_from)
        self.assertIn("Sister Shop", mail.body_html)
        self.assertNotIn("main.example.com", mail.email_from)
