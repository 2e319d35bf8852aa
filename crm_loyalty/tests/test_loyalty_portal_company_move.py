from odoo.tests import HttpCase, new_test_user, tagged

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyPortalCompanyMove(LoyaltyCase, HttpCase):
    """A contact moving to another company sees that company's membership, not the one of the company she left."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._membership_program(portal_point_name="Stars")
        cls.acme = cls.env["res.partner"].create({"name": "Acme", "is_company": True})
        cls.bolt = cls.env["res.partner"].create({"name": "Bolt", "is_company": True})
        cls.carla_user = new_test_user(cls.env, "carla_move", groups="base.group_portal", name="Carla Move")
        cls.carla_user.partner_id.parent_id = cls.acme
        cls._order(cls.carla_user.partner_id, cls.TODAY, amount=25000)

    def test_membership_page_follows_the_current_company(self):
        self.assertEqual(self.acme.loyalty_tier_id, self.gold)
        self.authenticate("carla_move", "carla_move")
        self.assertIn('o_membership_tier">Gold<', self.url_open("/my/membership").text)

        self.carla_user.partner_id.parent_id = self.bolt
        page = self.url_open("/my/membership").text
        self.assertNotIn('o_membership_tier">Gold<', page, "Acme's tier stays with Acme")
        self.assertNotIn("25,000", page)
        self.assertIn("not a member yet", page)
