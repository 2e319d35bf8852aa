from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.base.models.ir_cron import IrCron

from .common import LifecycleCase, frozen


@tagged("post_install", "-at_install")
class TestSegment(LifecycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})
        cls.big = cls._customer("Big Spender")
        cls.small = cls._customer("Small Spender")
        cls._order(cls.big, cls.TODAY, amount=5000)
        cls._order(cls.small, cls.TODAY, amount=50)
        cls.segment = cls.env["crm.segment"].create({"name": "Big", "domain": "[('total_revenue', '>=', 1000)]"})

    def _refresh(self, segment, on):
        with frozen(self.env, on):
            return segment._refresh_members()[segment.id]

    def test_refresh_gives_entered_and_left_events(self):
        entered, left = self._refresh(self.segment, self.TODAY)
        self.assertEqual((entered, left), ([self.big.id], []))
        self.assertEqual(self.segment.member_count, 1)
        self.assertEqual(self.segment.member_ids.partner_id, self.big)
        self.assertEqual(self.segment.member_ids.date_entered, self.TODAY)
        self.assertEqual(self._refresh(self.segment, self.TODAY), ([], []), "a second refresh changes nothing")
        self._order(self.small, self._days_ago(-1), amount=2000)
        self.env["sale.order"].search([("partner_id", "=", self.big.id)])._action_cancel()
        entered, left = self._refresh(self.segment, self._days_ago(-1))
        self.assertEqual((entered, left), ([self.small.id], [self.big.id]))
        stay = self.env["crm.segment.member"].search([("partner_id", "=", self.big.id)])
        self.assertEqual(stay.date_left, self._days_ago(-1))
        self.assertEqual(self.small.segment_ids, self.segment)
        self.assertFalse(self.big.segment_ids)
        self.assertEqual(self.env["res.partner"].search([("segment_ids", "in", self.segment.ids)]), self.small)

    def test_reentry_opens_a_new_stay(self):
        self._refresh(self.segment, self.TODAY)
        self.segment.domain = "[('id', '=', 0)]"
        self._refresh(self.segment, self._days_ago(-1))
        self.segment.domain = "[('total_revenue', '>=', 1000)]"
        entered, __ = self._refresh(self.segment, self._days_ago(-2))
        self.assertEqual(entered, [self.big.id])
        stays = self.env["crm.segment.member"].search([("partner_id", "=", self.big.id)])
        self.assertEqual(len(stays), 2)

    def test_relative_dates_in_domain(self):
        segment = self.env["crm.segment"].create(
            {
                "name": "Recent",
                "domain": "[('last_order_date', '>=', (context_today() - relativedelta(days=7)).strftime('%Y-%m-%d'))]",
            }
        )
        with frozen(self.env, self.TODAY):
            self.assertEqual(segment.preview_count, 2)
        self.assertEqual(self._refresh(segment, self._days_ago(-30))[0], [])

    def test_invalid_domain_is_refused_with_a_clear_message(self):
        for domain in ("[('name', '=', ", "[('no_such_field', '=', 1)]", "[('name', 'bogus', 1)]", "42"):
            with self.subTest(domain=domain), self.assertRaisesRegex(ValidationError, "not valid"):
                self.env["crm.segment"].create({"name": "Broken", "domain": domain})

    def test_cron_refreshes_every_segment_past_the_runners_time_budget(self):
        """Odoo's cron runner gives a call 10 s; a call that stopped there would start again with the first
        segment at the next call and never reach the last ones: all are refreshed in one call."""
        last = self.env["crm.segment"].create({"name": "Last", "domain": "[('total_revenue', '>=', 1000)]"})
        out_of_time = patch.object(IrCron, "_commit_progress", lambda self, processed=0, **kw: 0)
        with out_of_time, frozen(self.env, self.TODAY):
            self.env["crm.segment"]._cron_refresh_segments()
        self.assertEqual((self.segment.member_count, last.member_count), (1, 1))

    def test_cron_refreshes_active_segments(self):
        archived = self.env["crm.segment"].create({"name": "Old", "domain": "[]", "active": False})
        with self._no_commit(), frozen(self.env, self.TODAY):
            self.env["crm.segment"]._cron_refresh_segments()
        self.assertEqual(self.segment.member_count, 1)
        self.assertEqual(archived.member_count, 0)
