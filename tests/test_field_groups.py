"""Need to know: which CRM Care fields of a customer each kind of user reads (issue 17).

Birthday, value scores, RFM, lifetime value, lock reasons, satisfaction and churn fields are Customer Care
users' (and managers'); other employees read only the customer-facing values and the operational links
(complaints, care touches, opt-out); portal users read their own customer-facing values
(tests/test_portal_fields.py holds their exact list); the legal hold is the managers'.

The lists are exhaustive on purpose: a new CRM Care field on the partner or the sales order makes this test
fail until it is classified here.
"""

from test_portal_fields import ADDONS, MAGIC  # noqa: I001
from test_portal_fields import PARTNER_FIELDS as PORTAL_PARTNER_FIELDS

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

EMPLOYEE_PARTNER_FIELDS = PORTAL_PARTNER_FIELDS | {
    "care_opt_out",
    "consent_email",
    "consent_sms",
    "consent_phone",
    "care_touch_ids",
    "care_touch_count",
    "complaint_ids",
    "complaint_count",
    "open_complaint_ids",
}
NEED_TO_KNOW_PARTNER_FIELDS = {
    "birthday",
    "next_birthday",
    "lifecycle_stage_id",
    "lifecycle_stage_code",
    "lifecycle_stage_date",
    "lifecycle_locked",
    "lifecycle_lock_reason",
    "lifecycle_history_ids",
    "lifecycle_history_count",
    "first_order_date",
    "last_order_date",
    "order_count",
    "orders_last_year",
    "revenue_last_year",
    "total_revenue",
    "average_order_value",
    "rfm_recency_score",
    "rfm_frequency_score",
    "rfm_monetary_score",
    "rfm_segment",
    "revenue_percentile",
    "segment_membership_ids",
    "segment_ids",
    "customer_lifetime_value",
    "clv_retention_used",
    "clv_retention_date",
    "rfm_cut_points_date",
    "lifecycle_missing_rate_count",
    "purchase_count",
    "purchase_refund_amount",
    "satisfaction_score",
    "satisfaction_count",
    "nps_score",
    "nps_category",
    "date_last_feedback",
    "churn_reason_id",
    "churn_reason_note",
    "is_satisfaction_trap",
    "loyalty_tier_locked",
    "loyalty_lock_reason",
    "loyalty_lock_until",
    "loyalty_tier_history_count",
    "loyalty_points_shortfall",
    "consent_ids",
    "care_last_touch_id",
    "care_last_touch_date",
    "care_last_touch_campaign_id",
    "care_next_touch_id",
    "care_next_touch_date",
    "care_next_touch_campaign_id",
    "open_complaint_count",
    "open_complaint_sla_status",
    "open_complaint_deadline",
}
CARE_USER_PARTNER_FIELDS = EMPLOYEE_PARTNER_FIELDS | NEED_TO_KNOW_PARTNER_FIELDS
MANAGER_PARTNER_FIELDS = CARE_USER_PARTNER_FIELDS | {"privacy_legal_hold"}

EMPLOYEE_ORDER_FIELDS = {
    "complaint_ids",
    "complaint_count",
    "loyalty_points_multiplier",
    "loyalty_tier_id",
    "partner_loyalty_tier_id",
}
CARE_USER_ORDER_FIELDS = EMPLOYEE_ORDER_FIELDS | {"partner_lifecycle_stage_id"}

EXPECTED = {
    "employee": {"res.partner": EMPLOYEE_PARTNER_FIELDS, "sale.order": EMPLOYEE_ORDER_FIELDS},
    "care_user": {"res.partner": CARE_USER_PARTNER_FIELDS, "sale.order": CARE_USER_ORDER_FIELDS},
    "care_manager": {"res.partner": MANAGER_PARTNER_FIELDS, "sale.order": CARE_USER_ORDER_FIELDS},
    "portal": {"res.partner": PORTAL_PARTNER_FIELDS},
}


@tagged("post_install", "-at_install")
class TestCustomerFieldsPerGroup(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = {
            "employee": mail_new_test_user(cls.env, login="ntk_employee", groups="base.group_user"),
            "care_user": mail_new_test_user(
                cls.env, login="ntk_care_user", groups="crm_lifecycle.group_crm_care_user,base.group_partner_manager"
            ),
            "care_manager": mail_new_test_user(
                cls.env,
                login="ntk_care_manager",
                groups="crm_lifecycle.group_crm_care_manager,base.group_partner_manager",
            ),
            "portal": mail_new_test_user(cls.env, login="ntk_portal", groups="base.group_portal"),
        }
        cls.customer = cls.env["res.partner"].create({"name": "Lin Mei", "birthday": "1990-05-04"})

    def _ours(self, model):
        rows = self.env["ir.model.data"].search([("model", "=", "ir.model.fields"), ("module", "in", ADDONS)])
        fields = self.env["ir.model.fields"].browse(rows.mapped("res_id")).exists()
        return set(fields.filtered(lambda field: field.model == model).mapped("name")) - MAGIC

    def test_fields_each_group_reads(self):
        for kind, models in EXPECTED.items():
            for model, expected in models.items():
                with self.subTest(user=kind, model=model):
                    visible = set(self.env[model].with_user(self.users[kind]).fields_get(attributes=["type"]))
                    self.assertEqual(visible & self._ours(model), expected)

    def test_need_to_know_fields_are_refused_to_other_employees(self):
        customer = self.customer.with_user(self.users["employee"])
        for name in sorted(NEED_TO_KNOW_PARTNER_FIELDS):
            with self.subTest(field=name), self.assertRaises(AccessError):
                customer.read([name])
        with self.assertRaises(AccessError):
            customer.search([("birthday", "!=", False)])
        # the customer-facing values and the contact itself stay readable
        self.assertEqual(customer.read(["name", "loyalty_tier_id"])[0]["name"], "Lin Mei")
        self.assertEqual(str(self.customer.with_user(self.users["care_user"]).birthday), "1990-05-04")

    def test_legal_hold_is_the_managers(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.users["care_user"]).write({"privacy_legal_hold": True})
        self.customer.with_user(self.users["care_manager"]).write({"privacy_legal_hold": True})
        self.assertTrue(self.customer.privacy_legal_hold)
