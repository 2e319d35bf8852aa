from contextlib import contextmanager
from datetime import timedelta

from odoo.fields import Command

from odoo.addons.crm_lifecycle.tests.common import LifecycleCase, frozen


class LoyaltyCase(LifecycleCase):
    """A tier ladder (Member 0, Silver 5,000, Gold 20,000, Platinum 80,000) over a 365-day window."""

    WINDOW = 365

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.cr.execute("DELETE FROM crm_loyalty_run")
        cls.env.cr.execute(
            "UPDATE res_partner SET loyalty_tier_id = NULL, loyalty_tier_locked = FALSE, loyalty_review_date = NULL,"
            " loyalty_qualifying_orders = 0, loyalty_member_card_id = NULL"
        )
        cls.env.invalidate_all()
        # The evaluation of the first run after installation is set-based and silent: tests start after it.
        cls.env["crm.loyalty.run"].create({"date": cls.TODAY, "state": "done"})
        cls.company.write(
            {
                "loyalty_window_days": cls.WINDOW,
                "loyalty_program_id": False,
                "loyalty_auto_enroll": True,
                "loyalty_points_validity_months": 0,
            }
        )
        Tier = cls.env["crm.loyalty.tier"]
        Tier.search([("id", "!=", cls.env.ref("crm_loyalty.crm_loyalty_tier_member").id)]).action_archive()
        cls.member = cls.env.ref("crm_loyalty.crm_loyalty_tier_member")
        cls.member.write({"sequence": 0, "min_spend": 0, "min_orders": 0, "points_multiplier": 1, "active": True})
        # Tier pricelists need Sales' Pricelists feature.
        cls.env.ref("base.group_user").write(
            {"implied_ids": [Command.link(cls.env.ref("product.group_product_pricelist").id)]}
        )
        cls.gold_pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Gold Members",
                "item_ids": [
                    Command.create({"applied_on": "3_global", "compute_price": "percentage", "percent_price": 10})
                ],
            }
        )
        cls.silver = Tier.create({"name": "Silver", "sequence": 10, "min_spend": 5000, "points_multiplier": 1.2})
        cls.gold = Tier.create(
            {
                "name": "Gold",
                "sequence": 20,
                "min_spend": 20000,
                "points_multiplier": 1.5,
                "pricelist_id": cls.gold_pricelist.id,
                "benefits": "<p>Ten percent off everything</p>",
            }
        )
        cls.platinum = Tier.create(
            {"name": "Platinum", "sequence": 30, "min_spend": 80000, "min_orders": 3, "points_multiplier": 2}
        )

    @classmethod
    def _membership_program(cls, **vals):
        """A loyalty-card program earning a point per currency unit, made the company's membership card."""
        program = cls.env["loyalty.program"].create(
            {
                "name": "Membership Card",
                "program_type": "loyalty",
                "applies_on": "both",
                "trigger": "auto",
                "rule_ids": [
                    Command.clear(),
                    Command.create({"reward_point_mode": "money", "reward_point_amount": 1, "minimum_amount": 0}),
                ],
                "reward_ids": [Command.clear(), Command.create({"discount": 5, "required_points": 1000000})],
                **vals,
            }
        )
        cls.company.loyalty_program_id = program
        return program

    def _day(self, days):
        return self.TODAY + timedelta(days=days)

    def _evaluate(self, on=None, **kwargs):
        """The nightly tier evaluation on day `on`."""
        with frozen(self.env, on or self.TODAY), self._no_commit():
            self.env["crm.loyalty.run"]._cron_evaluate_tiers(**kwargs)
        self.env.invalidate_all()

    def _history(self, partner):
        return self.env["crm.loyalty.tier.history"].search([("partner_id", "=", partner.id)], order="id")

    def _mails(self, partner, template_xmlid):
        template = self.env.ref(template_xmlid)
        subject_start = template.subject.split("{{")[0].strip()
        return self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", partner.id), ("subject", "ilike", subject_start)]
        )

    @contextmanager
    def _refused(self, exception, message):
        """assertRaises (which rolls back to a savepoint, unlike assertRaisesRegex) plus the message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), message)
