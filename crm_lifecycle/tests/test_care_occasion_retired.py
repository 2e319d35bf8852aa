from odoo.fields import Command
from odoo.tests import tagged

from .care_common import CareCase


@tagged("post_install", "-at_install")
class TestCareOccasionRetired(CareCase):
    """Retiring (archiving) an occasion retires the campaigns greeting it."""

    def test_archived_occasion_greets_no_one(self):
        festival = self.env["crm.care.occasion"].create(
            {
                "name": "Shop Festival",
                "date_ids": [Command.create({"date": self._days_ago(-3)})],
            }
        )
        customer = self._customer("Festival Fan")
        self._order(customer, self._days_ago(30))
        self._run_cron(self.TODAY)  # classified: a customer the occasion greets
        campaign = self._campaign("occasion", occasion_id=festival.id, lead_days=1)
        fair = self.env["crm.care.occasion"].create(
            {"name": "Shop Fair", "date_ids": [Command.create({"date": self._days_ago(-3)})]}
        )
        other = self._campaign("occasion", occasion_id=fair.id, lead_days=1, name="Fair")

        festival.with_user(self.manager).action_archive()

        self.assertFalse(campaign.active)
        self.assertIn("Archived with its occasion Shop Festival", campaign.message_ids[0].body)
        self.assertTrue(other.active)
        campaign.action_unarchive()  # restored: still nothing for the archived occasion
        self._run_care(self._days_ago(-2))
        self.assertFalse(self._touches(campaign))
        self.assertEqual(self._touches(other).partner_id, customer, "the same day's active occasion greets her")
