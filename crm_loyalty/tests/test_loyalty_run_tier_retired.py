from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.common import frozen

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestLoyaltyRunTierRetired(LoyaltyCase):
    """A tier evaluation prepared, then resumed after a tier was retired, never moves anyone into that tier."""

    def test_member_due_for_a_retired_tier_is_evaluated_again(self):
        customer = self._customer("Gold Last Year")
        self._order(customer, self._day(-self.WINDOW), amount=25000)
        self.assertEqual((customer.loyalty_tier_id, customer.loyalty_review_date), (self.gold, self.TODAY))
        with frozen(self.env, self.TODAY), self._no_commit():
            run = self.env["crm.loyalty.run"]._prepare_run(chunk_size=1000)
            # Nothing spent in the window: the run prepares one tier down, to Silver.
            self.env.cr.execute(
                "SELECT loyalty_tier_id FROM crm_loyalty_run_line WHERE run_id = %s AND partner_id = %s",
                [run.id, customer.id],
            )
            self.assertEqual(self.env.cr.fetchall(), [(self.silver.id,)])
            self.silver.with_user(self.manager).action_archive()  # before the run is resumed
            run._apply_chunks()
        self.env.invalidate_all()

        self.assertEqual(customer.loyalty_tier_id, self.member, "one active tier down, not the retired Silver")
        last = self._history(customer)[-1]
        self.assertEqual((last.from_tier_id, last.to_tier_id, last.reason), (self.gold, self.member, "review"))
        downgrades = self._mails(customer, "crm_loyalty.mail_template_loyalty_downgrade")
        self.assertEqual(len(downgrades), 1)
        self.assertNotIn("Silver", downgrades.subject)
        self.assertEqual(run.state, "done")
