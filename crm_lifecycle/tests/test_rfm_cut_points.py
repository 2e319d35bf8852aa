"""RFM scores and the revenue percentile are scored against cut points stored per company (issue 14, steady
state): estimated from all customers on the first run, checked again every 30 days and replaced only when the
new ones would change more than 1 % of the customers' scores. Between two estimations a customer's scores move
only with her own purchases (scored at once when she orders), never because other customers moved or because
days passed; the frequency and monetary values count the purchases from the window's first day stored with
the cut points.
"""

from datetime import datetime, timedelta

from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import LifecycleCase, frozen


@tagged("post_install", "-at_install")
class TestRfmCutPoints(LifecycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_utc_company()
        # A service: confirming many orders creates no delivery.
        cls.service = cls.env["product.product"].create({"name": "Care Service", "type": "service", "list_price": 100})

    def _last_run(self):
        return self.env["crm.lifecycle.run"].search([], limit=1)

    def _scores(self, partners):
        return {
            p.name: (p.rfm_recency_score, p.rfm_frequency_score, p.rfm_monetary_score, p.revenue_percentile)
            for p in partners
        }

    def _four_customers(self):
        """The four customers of test_lifecycle_metrics' cume_dist example (ages in days, amounts):
        A (10: 100), B (10: 200), C (200, 100: 100 each), D (728, 500, 400, 300: 50 each; the 728-day-old order
        leaves a sliding 730-day window within a week)."""
        a, b, c, d = (self._customer(name) for name in "ABCD")
        self._order(a, self._days_ago(10), amount=100)
        self._order(b, self._days_ago(10), amount=200)
        for age in (200, 100):
            self._order(c, self._days_ago(age), amount=100)
        for age in (728, 500, 400, 300):
            self._order(d, self._days_ago(age), amount=50)
        return a, b, c, d

    def test_first_run_stores_the_cut_points_of_the_ranks(self):
        a, b, c, d = self._four_customers()
        self._run_cron()
        # R on the last purchase (D 300 days ago -> 1/4, C 100 -> 2/4, A and B 10 -> 4/4), F on 1, 1, 2, 4
        # purchases, M on 100, 200, 200, 200: ceil(5 x cume_dist), ties sharing a score.
        self.assertEqual(
            self._scores(a | b | c | d),
            {"A": (5, 3, 2, 25), "B": (5, 3, 5, 100), "C": (3, 4, 5, 100), "D": (2, 5, 5, 100)},
        )
        cuts = self.company.rfm_cut_points
        self.assertEqual(self.company.rfm_cut_points_date, self.TODAY)
        self.assertEqual(self.company.rfm_cut_points_check_date, self.TODAY)
        # A score's cut point is the smallest value of the customers with at least that score.
        self.assertEqual(cuts["recency"], [str(self._days_ago(age)) for age in (300, 100, 10, 10)])
        self.assertEqual(cuts["frequency"], [1, 1, 2, 4])
        self.assertEqual(cuts["monetary"], [100, 200, 200, 200])
        self.assertEqual(cuts["revenue"], [100] * 24 + [200] * 75, "percentile 2-25 from 100, 26-100 from 200")
        self.assertEqual(cuts["window_start"], str(self._days_ago(729)))
        self.assertEqual(cuts["customers"], 4)

    def test_a_week_without_purchase_writes_no_customer(self):
        a, b, c, d = self._four_customers()
        self._run_cron()
        before = self._scores(a | b | c | d)
        # D's oldest purchase (728 days) would leave a sliding 730-day window in two days, lowering her F and M
        # and with them everybody's rank: the window's first day is stored with the cut points instead.
        self._run_cron(self._days_ago(-7))
        self.assertEqual(self._last_run().changed_count, 0, "nobody bought: nobody is written")
        self.assertEqual(self._scores(a | b | c | d), before)

    def test_own_purchase_scores_her_at_once_and_moves_nobody_else(self):
        a, b, c, d = self._four_customers()
        self._run_cron()
        others = self._scores(b | c | d)
        # Three days later A buys again: 2 purchases (F cut points 1, 1, 2, 4 -> 4), 200 in the window and in
        # total (M and percentile at the top), today (R 5): scored when the order is confirmed.
        self._order(a, self._days_ago(-3), amount=100)
        self.assertEqual(self._scores(a), {"A": (5, 4, 5, 100)}, "scored at once against the stored cut points")
        self.assertEqual(self._scores(b | c | d), others)
        # The next night: the cut points stay (3 days old), nobody else is rewritten (ranked anew, B's single
        # purchase would fall to 1/4 of the customers and her F to 2).
        self._run_cron(self._days_ago(-4))
        self.assertEqual(self._last_run().changed_count, 0)
        self.assertEqual(self._scores(b | c | d), others)
        self.assertEqual(self.company.rfm_cut_points_date, self.TODAY)

    def test_due_estimate_beyond_the_precision_replaces_the_cut_points(self):
        a, b, c, d = self._four_customers()
        self._run_cron()
        for partner in (b, c):
            self._order(partner, self._days_ago(-5), amount=300)
        self._run_cron(self._days_ago(-29))
        self.assertEqual(self.company.rfm_cut_points_date, self.TODAY, "29 days old: not estimated again")
        due = self._days_ago(-30)
        self._run_cron(due)
        # Ranked anew in the window of the last 730 days, which D's 728-day-old purchase has left: purchases
        # A 1, B 2, C 3, D 3 -> F 2, 3, 5, 5 (A's F was 3: she moved, beyond 1 % of the customers); amounts
        # A 100, D 150, B 500, C 500 -> M 2, 3, 5, 5.
        self.assertEqual(self.company.rfm_cut_points_date, due)
        self.assertEqual(self.company.rfm_cut_points_check_date, due)
        self.assertEqual(self.company.rfm_cut_points["window_start"], str(due - timedelta(days=729)))
        self.assertEqual(self.company.rfm_cut_points["frequency"], [1, 2, 3, 3])
        self.assertEqual(self.company.rfm_cut_points["monetary"], [100, 150, 500, 500])
        self.assertEqual([p.rfm_frequency_score for p in (a, b, c, d)], [2, 3, 5, 5])
        self.assertEqual([p.rfm_monetary_score for p in (a, b, c, d)], [2, 5, 5, 3])

    def test_customer_form_and_settings_say_when_the_cut_points_were_computed(self):
        self._four_customers()
        self._run_cron()
        form = Form(self.env["res.partner"].search([("name", "=", "A")]).with_user(self.salesman))
        self.assertEqual(form.rfm_cut_points_date, str(self.TODAY))
        settings = Form(self.env["res.config.settings"].with_user(self.env.ref("base.user_admin")))
        self.assertEqual(settings.rfm_cut_points_date, self.TODAY)
        self.assertEqual(settings.rfm_cut_points_check_date, self.TODAY)

    def test_a_new_window_in_the_settings_is_estimated_at_the_next_run(self):
        a, b, c, d = self._four_customers()
        self._run_cron()
        admin = self.env.ref("base.user_admin")
        settings = Form(self.env["res.config.settings"].with_user(admin))
        settings.rfm_window_days = 400
        settings.save().execute()
        self.assertFalse(self.company.rfm_cut_points, "cut points of another window are dropped")
        # An order before the next run keeps the customer's scores (no cut points to score against).
        self._order(b, self._days_ago(-1), amount=100)
        self.assertEqual(self._scores(b)["B"][:3], (5, 3, 5))
        next_day = self._days_ago(-2)
        self._run_cron(next_day)
        self.assertEqual(self.company.rfm_cut_points_date, next_day)
        # In the last 400 days: A 1, B 2, C 2, D 1 purchases -> cume_dist 2/4 and 4/4 -> F 3, 5, 5, 3.
        self.assertEqual(self.company.rfm_cut_points["window_start"], str(next_day - timedelta(days=399)))
        self.assertEqual([p.rfm_frequency_score for p in (a, b, c, d)], [3, 5, 5, 3])

    def test_edge_cases_single_customer_equal_customers_no_purchase(self):
        single = self._customer("Single")
        self._order(single, self._days_ago(40), amount=80)
        prospect = self._customer("Prospect")
        self._order(prospect, self._days_ago(1), confirm=False)  # a quotation: no purchase
        self._run_cron()
        self.assertEqual(self._scores(single), {"Single": (5, 5, 5, 100)}, "alone: at the top of every scale")
        self.assertEqual(self._scores(prospect), {"Prospect": (0, 0, 0, 0)}, "no purchase, no score")
        # A second customer buying less, older: below every cut point of the first.
        second = self._customer("Second")
        self._order(second, self._days_ago(-1), amount=50)
        # A newer purchase: R 5; a smaller amount: M 1 and percentile 1.
        self.assertEqual(self._scores(second), {"Second": (5, 5, 1, 1)})

    def test_equal_customers_share_the_top_scores(self):
        equal = self.env["res.partner"].create([{"name": f"Equal {i}"} for i in range(3)])
        with frozen(self.env, datetime.combine(self._days_ago(20), datetime.min.time()) + timedelta(hours=10)):
            self.env["sale.order"].create(
                [
                    {
                        "partner_id": partner.id,
                        "order_line": [
                            Command.create({"product_id": self.service.id, "product_uom_qty": 1, "price_unit": 90})
                        ],
                    }
                    for partner in equal
                ]
            ).action_confirm()
        self._run_cron()
        self.assertEqual(set(self._scores(equal).values()), {(5, 5, 5, 100)})
        self.assertEqual(self.company.rfm_cut_points["revenue"], [90] * 99)

    def test_each_company_has_its_own_cut_points(self):
        self._four_customers()
        other = self._customer("Other Company Customer", company_id=self.company_2.id)
        with frozen(self.env, datetime.combine(self._days_ago(5), datetime.min.time()) + timedelta(hours=15)):
            self.env["sale.order"].with_company(self.company_2).create(
                {
                    "partner_id": other.id,
                    "company_id": self.company_2.id,
                    "order_line": [Command.create({"product_id": self.service.id, "price_unit": 10})],
                }
            ).action_confirm()
        self._run_cron()
        self.assertEqual(self._scores(other), {"Other Company Customer": (5, 5, 5, 100)}, "alone in its company")
        self.assertEqual(self.company_2.rfm_cut_points["customers"], 1)
        self.assertEqual(self.company.rfm_cut_points["customers"], 4)


@tagged("post_install", "-at_install")
class TestRfmCutPointsPrecision(LifecycleCase):
    """100 customers, one purchase each of the same amount on 100 different days: recency quintiles of 20
    customers. One of them buying again moves every customer between her old place and the top down by one
    rank; ranked anew, the customers at the quintile boundaries she passed change their recency score."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_utc_company()
        service = cls.env["product.product"].create({"name": "Care Service", "type": "service", "list_price": 100})
        cls.customers = cls.env["res.partner"].create([{"name": f"Precision {age}"} for age in range(1, 101)])
        with frozen(cls.env, datetime.combine(cls.TODAY, datetime.min.time())):
            orders = (
                cls.env["sale.order"]
                .with_context(crm_lifecycle_no_refresh=True)
                .create(
                    [
                        {
                            "partner_id": partner.id,
                            "order_line": [
                                Command.create({"product_id": service.id, "product_uom_qty": 1, "price_unit": 100})
                            ],
                        }
                        for partner in cls.customers
                    ]
                )
            )
            orders.action_confirm()
            # Entered as history: customer "Precision N" bought N days ago (rank 101 - N by recency).
            for age, order in enumerate(orders, start=1):
                order.date_order = datetime.combine(cls.TODAY - timedelta(days=age), datetime.min.time()) + timedelta(
                    hours=10
                )

    def _order_again_and_estimate(self, age):
        """The customer who bought `age` days ago cancels that order and orders the same again 10 days after
        the first run: her frequency, amount and revenue stay those of everybody, her last purchase moves to
        the top. The cut points are estimated again 30 days after the first run."""
        self._run_cron()
        buyer = self.customers[age - 1]
        with frozen(self.env, datetime.combine(self._days_ago(-10), datetime.min.time())):
            self.env["sale.order"].search([("partner_id", "=", buyer.id), ("state", "=", "sale")]).action_cancel()
        self._order(buyer, self._days_ago(-10), amount=100)
        self.assertEqual(buyer.rfm_recency_score, 5, "scored at once")
        due = self._days_ago(-30)
        self._run_cron(due)
        return due

    def test_a_move_of_one_percent_keeps_the_cut_points(self):
        # The customer of rank 70 buys: ranks 71-100 move down by one, only rank 81 crosses a quintile
        # boundary (4/5 -> R 4 instead of 5): 1 customer of 100, within the 1 % precision.
        due = self._order_again_and_estimate(31)
        self.assertEqual(self.company.rfm_cut_points_date, self.TODAY, "kept")
        self.assertEqual(self.company.rfm_cut_points_check_date, due, "checked")
        self.assertEqual(self.customers[19].rfm_recency_score, 5, "rank 81 keeps her score")
        # Checked: not estimated again the next night.
        self._run_cron(due + timedelta(days=1))
        self.assertEqual(self.company.rfm_cut_points_check_date, due)

    def test_a_move_beyond_the_precision_replaces_the_cut_points(self):
        # The customer of rank 1 (the oldest purchase) buys: ranks 21, 41, 61 and 81 cross a boundary, 4 %.
        due = self._order_again_and_estimate(100)
        self.assertEqual(self.company.rfm_cut_points_date, due)
        self.assertEqual(self.customers[19].rfm_recency_score, 4, "rank 81 is now rank 80: 4/5")
        self.assertEqual(self.customers[79].rfm_recency_score, 1, "rank 21 is now rank 20: 1/5")
