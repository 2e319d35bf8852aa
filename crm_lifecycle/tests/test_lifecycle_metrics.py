from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.crm_lifecycle.models.crm_lifecycle_run import RFM_SEGMENT_MATRIX

from .common import LifecycleCase


@tagged("post_install", "-at_install")
class TestLifecycleMetrics(LifecycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})

    def test_metrics_roll_up_to_commercial_entity_and_contacts(self):
        company = self._customer("Acme", is_company=True)
        alice = self._customer("Alice", parent_id=company.id)
        bob = self._customer("Bob", parent_id=company.id)
        self._order(alice, self._days_ago(400), amount=300)
        self._order(bob, self._days_ago(100), amount=200)
        self._order(company, self._days_ago(20), amount=100)
        self._run_cron()
        for partner in (company, alice, bob):
            with self.subTest(partner=partner.name):
                self.assertEqual(partner.order_count, 3)
                self.assertEqual(partner.orders_last_year, 2)
                self.assertEqual(partner.total_revenue, 600)
                self.assertEqual(partner.revenue_last_year, 300)
                self.assertEqual(partner.average_order_value, 200)
                self.assertEqual(partner.first_order_date, self._days_ago(400))
                self.assertEqual(partner.last_order_date, self._days_ago(20))
                self.assertEqual(partner.lifecycle_stage_id, self.stage["active"])

    def test_foreign_currency_converted_with_order_rate(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        other = eur if self.company.currency_id != eur else self.env.ref("base.USD")
        other.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": other.id, "rate": 2.0, "name": self._days_ago(30), "company_id": self.company.id}
        )
        partner = self._customer("Abroad")
        order = self._order(partner, self._days_ago(10), amount=500, currency=other)
        self.assertEqual(order.currency_rate, 2.0)
        self._run_cron()
        self.assertEqual(partner.total_revenue, 250, "500 in a currency worth half: 250 in company currency")

    def test_rfm_scores_use_cume_dist_and_ties_share_a_score(self):
        """4 customers: F = 1, 1, 2, 4 orders -> cume_dist 2/4, 2/4, 3/4, 4/4 -> ceil(5x) = 3, 3, 4, 5."""
        a = self._customer("A")
        self._order(a, self._days_ago(10), amount=100)
        b = self._customer("B")
        self._order(b, self._days_ago(10), amount=200)
        c = self._customer("C")
        for age in (200, 100):
            self._order(c, self._days_ago(age), amount=100)
        d = self._customer("D")
        for age in (600, 500, 400, 300):
            self._order(d, self._days_ago(age), amount=50)
        self._run_cron()
        scores = {p.name: (p.rfm_recency_score, p.rfm_frequency_score, p.rfm_monetary_score) for p in a | b | c | d}
        # R on days since last order 10, 10, 100, 300 (descending: 300 -> 1/4, 100 -> 2/4, 10 -> 4/4).
        # M on revenue 100, 200, 200, 200 -> 1/4 -> 2, 4/4 -> 5.
        self.assertEqual(scores, {"A": (5, 3, 2), "B": (5, 3, 5), "C": (3, 4, 5), "D": (2, 5, 5)})
        self.assertEqual(a.rfm_segment, "potential_loyalist")
        self.assertEqual(c.rfm_segment, "loyal")
        self.assertEqual(d.rfm_segment, "cannot_lose")

    def test_rfm_segment_matrix_is_the_documented_one(self):
        documented = """
            1 hibernating hibernating at_risk at_risk cannot_lose
            2 hibernating hibernating at_risk at_risk cannot_lose
            3 about_to_sleep about_to_sleep need_attention loyal loyal
            4 promising potential_loyalist potential_loyalist loyal loyal
            5 new potential_loyalist potential_loyalist champion champion
        """
        expected = {int(line.split()[0]): tuple(line.split()[1:]) for line in documented.strip().splitlines()}
        self.assertEqual(RFM_SEGMENT_MATRIX, expected)
        keys = dict(self.env["res.partner"]._fields["rfm_segment"].selection)
        self.assertTrue(all(segment in keys for row in expected.values() for segment in row))

    def test_lifetime_value_worked_example(self):
        """README example: 1,000 revenue last year, margin 30 %, retention 60 %, discount 10 %, 5 years.

        m = 300; q = 0.6 / 1.1; CLV = 300 + 163.6364 + 89.2562 + 48.6852 + 26.5556 = 628.1333.
        """
        self.company.clv_retention_rate = 0.6
        partner = self._customer("Valued")
        self._order(partner, self._days_ago(200), amount=400)
        self._order(partner, self._days_ago(30), amount=600)
        self._run_cron()
        self.assertEqual(partner.revenue_last_year, 1000)
        self.assertAlmostEqual(partner.customer_lifetime_value, 628.13, places=2)

    def test_retention_estimated_from_data_when_not_set(self):
        kept_1, kept_2, lost = self._customer("Kept 1"), self._customer("Kept 2"), self._customer("Lost")
        for partner in (kept_1, kept_2, lost):
            self._order(partner, self._days_ago(500), amount=100)
        for partner in (kept_1, kept_2):
            self._order(partner, self._days_ago(100), amount=100)
        self._order(self._customer("Newcomer"), self._days_ago(50), amount=100)
        self._run_cron()
        self.assertAlmostEqual(self.company.clv_retention_estimate, 2 / 3, places=4)
        q = (2 / 3) / 1.1
        expected = 100 * 0.3 * sum(q**t for t in range(5))
        self.assertAlmostEqual(kept_1.customer_lifetime_value, expected, places=2)

    def test_archived_and_broken_partners_do_not_stop_the_run(self):
        archived = self._customer("Archived")
        self._order(archived, self._days_ago(30))
        archived.action_archive()
        orphan = self._customer("Orphan")
        self._order(orphan, self._days_ago(30))
        self.env.cr.execute("UPDATE res_partner SET commercial_partner_id = NULL WHERE id = %s", [orphan.id])
        self.env.invalidate_all()
        fine = self._customer("Fine")
        self._order(fine, self._days_ago(300))
        self._run_cron()
        self.assertEqual(archived.with_context(active_test=False).lifecycle_stage_id, self.stage["new"])
        self.assertEqual(fine.lifecycle_stage_id, self.stage["at_risk"])
        self.env["res.partner"].browse()._lifecycle_refresh()  # no partner: nothing to do, no error

    def test_merge_wizard_refreshes_the_survivor(self):
        keep, dup = self._customer("Keep"), self._customer("Keep Duplicate")
        self._order(keep, self._days_ago(20), amount=100)
        self._order(dup, self._days_ago(10), amount=50)
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge([keep.id, dup.id], dst_partner=keep)
        self.assertFalse(dup.exists())
        self.assertEqual((keep.order_count, keep.total_revenue), (2, 150))
        self.assertEqual(keep.last_order_date, self.TODAY - timedelta(days=10))
