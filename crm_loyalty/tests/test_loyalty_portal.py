import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyPortal(LoyaltyCase, HttpCase):
    """ "My membership" shows the logged-in customer's own membership, and nobody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program = cls._membership_program(portal_point_name="Stars")
        cls.company.loyalty_points_validity_months = 12
        cls.alice_user = new_test_user(cls.env, "alice_portal", groups="base.group_portal", name="Alice Wong")
        cls.bob_user = new_test_user(cls.env, "bob_portal", groups="base.group_portal", name="Bob Marsh")
        cls.alice = cls.alice_user.partner_id
        cls.bob = cls.bob_user.partner_id
        cls._order(cls.alice, cls.TODAY, amount=6000)
        cls._order(cls.bob, cls.TODAY, amount=25000)

    def _jsonrpc(self, url, params):
        payload = {"jsonrpc": "2.0", "method": "call", "params": params}
        return self.url_open(url, data=json.dumps(payload), headers={"Content-Type": "application/json"}).json()

    def test_member_page_shows_tier_points_progress_and_history(self):
        self.assertEqual(self.alice.loyalty_tier_id, self.silver)
        self.authenticate("alice_portal", "alice_portal")
        response = self.url_open("/my/membership")
        self.assertEqual(response.status_code, 200)
        page = response.text
        self.assertIn("Silver", page)
        self.assertIn("6,000.00", page, "spend in the window")
        self.assertIn("more to reach Gold", page)
        self.assertIn('o_membership_points">6900<', page, "a point per unit paid: 6,000 + 15 % tax")
        self.assertIn("Stars", page)
        self.assertIn("expire on", page, "what expires next")
        self.assertIn("Upgrade", page, "tier history")
        self.assertNotIn("Bob", page)
        self.assertNotIn("Ten percent off", page, "Gold's benefits are not Alice's")

    def test_benefits_of_the_own_tier(self):
        self.authenticate("bob_portal", "bob_portal")
        page = self.url_open("/my/membership").text
        self.assertIn("Gold", page)
        self.assertIn("Ten percent off everything", page)

    def test_no_other_customer_by_url(self):
        self.authenticate("alice_portal", "alice_portal")
        for url in (
            f"/my/membership?partner_id={self.bob.id}",
            f"/my/membership?member={self.bob.id}&partner={self.bob.id}",
        ):
            page = self.url_open(url).text
            self.assertIn('o_membership_tier">Silver<', page)
            self.assertNotIn('o_membership_tier">Gold<', page)
            self.assertNotIn("25,000", page)
        self.assertEqual(self.url_open(f"/my/membership/{self.bob.id}").status_code, 404)

    def test_no_other_customer_by_rpc(self):
        self.authenticate("alice_portal", "alice_portal")
        for model, method, args in (
            ("crm.loyalty.tier.history", "search_read", [[("partner_id", "=", self.bob.id)], ["to_tier_id"]]),
            ("res.partner", "read", [[self.bob.id], ["loyalty_tier_id", "loyalty_qualifying_spend"]]),
            ("crm.loyalty.tier", "search_read", [[], ["name"]]),
        ):
            response = self._jsonrpc(
                "/web/dataset/call_kw", {"model": model, "method": method, "args": args, "kwargs": {}}
            )
            self.assertIn("error", response, f"{model}.{method} must be refused")
            self.assertIn("AccessError", response["error"]["data"]["name"])
        # And at the ORM level, as the portal user.
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.alice_user).browse(self.bob.id).read(["loyalty_tier_id"])
        with self.assertRaises(AccessError):
            self.env["crm.loyalty.tier.history"].with_user(self.alice_user).search([])

    def test_portal_home_has_the_membership_entry(self):
        self.authenticate("alice_portal", "alice_portal")
        self.assertIn("/my/membership", self.url_open("/my/home").text)
        counters = self._jsonrpc("/my/counters", {"counters": ["membership_count"]})
        self.assertEqual(counters["result"]["membership_count"], 1)

    def test_non_member_page(self):
        new_test_user(self.env, "carol_portal", groups="base.group_portal", name="Carol New")
        self.authenticate("carol_portal", "carol_portal")
        self.assertIn("not a member yet", self.url_open("/my/membership").text)
