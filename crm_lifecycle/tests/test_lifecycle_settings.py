from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestLifecycleSettings(TransactionCase):
    def test_invalid_settings_name_the_field(self):
        cases = [
            ({"lifecycle_new_days": 0}, "New Customer Period"),
            ({"lifecycle_new_days": 200}, "Active Period"),
            ({"lifecycle_churn_days": 180}, "Churn Period"),
            ({"lifecycle_loyal_min_orders": 0}, "Loyal Minimum Orders"),
            ({"clv_margin_rate": 1.5}, "CLV Margin Rate"),
            ({"clv_retention_rate": -0.1}, "CLV Retention Rate"),
            ({"clv_discount_rate": 1.0}, "CLV Discount Rate"),
            ({"clv_horizon_years": 51}, "CLV Horizon"),
            ({"clv_horizon_years": 0}, "CLV Horizon"),
            ({"rfm_window_days": 0}, "RFM Window"),
        ]
        for vals, label in cases:
            with self.subTest(vals=vals):
                with self.assertRaisesRegex(ValidationError, label), self.env.cr.savepoint():
                    self.env["res.config.settings"].create(vals).execute()
                self.env.invalidate_all(flush=False)

    def test_valid_settings_are_saved_per_company(self):
        settings = self.env["res.config.settings"].create({"lifecycle_new_days": 30, "clv_horizon_years": 50})
        settings.execute()
        self.assertEqual(self.env.company.lifecycle_new_days, 30)
        self.assertEqual(self.env.company.clv_horizon_years, 50)
