"""What a portal customer can read of CRM Care over RPC: their own data (tier, points, spend, their complaints'
public fields), never our internal judgement of them (stage, RFM, lifetime value, locks, SLA bookkeeping...).

The lists below are exhaustive on purpose: a new CRM Care field on a model a portal user can read makes this
test fail until it is classified, either here (customer-facing) or with groups="base.group_user".
"""

from odoo.fields import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.mail.tests.common import mail_new_test_user

ADDONS = ("crm_lifecycle", "crm_loyalty", "crm_complaints")
MAGIC = {"id", "display_name", "create_uid", "create_date", "write_uid", "write_date"}

PARTNER_FIELDS = {
    "lifecycle_currency_id",
    "loyalty_tier_id",
    "loyalty_tier_since",
    "loyalty_review_date",
    "loyalty_qualifying_spend",
    "loyalty_qualifying_orders",
    "loyalty_next_tier_id",
    "loyalty_spend_to_next_tier",
    "loyalty_progress",
    "loyalty_progress_label",
    "loyalty_member_card_id",
    "loyalty_points",
}
PORTAL_READABLE = {
    "res.partner": PARTNER_FIELDS,
    "res.users": PARTNER_FIELDS,  # a user's partner fields, through _inherits
    "res.company": {"loyalty_window_days", "loyalty_points_validity_months"},
    "sale.order": {"partner_loyalty_tier_id", "loyalty_tier_id", "loyalty_points_multiplier"},
    "crm.complaint": {
        "name",
        "subject",
        "active",
        "company_id",
        "partner_id",
        "commercial_partner_id",
        "email_from",
        "phone",
        "channel",
        "priority",  # the model's default order: portal searches sort by it
        "category_id",
        "stage_id",
        "state",
        "user_id",
        "sale_order_id",
        "product_id",
        "description",
        "resolution",
        "resolve_deadline",
        "resolved_date",
        "closed_date",
    },
    "crm.complaint.stage": {"name", "sequence", "state", "fold", "description"},
    "crm.complaint.category": {
        "name",
        "complete_name",
        "parent_id",
        "parent_path",
        "child_ids",
        "active",
        "company_id",
    },
}
# A sample of what must stay internal, read one by one over RPC (each read is refused).
INTERNAL_SAMPLE = {
    "res.partner": [
        "lifecycle_stage_id",
        "lifecycle_lock_reason",
        "birthday",
        "lifecycle_locked",
        "rfm_segment",
        "rfm_monetary_score",
        "customer_lifetime_value",
        "revenue_percentile",
        "rfm_cut_points_date",
        "total_revenue",
        "care_opt_out",
        "loyalty_tier_locked",
        "loyalty_lock_reason",
        "segment_ids",
        "complaint_count",
    ],
    "sale.order": ["partner_lifecycle_stage_id", "complaint_count"],
    "res.company": ["complaint_approval_amount", "clv_margin_rate", "rfm_cut_points", "rfm_cut_points_date"],
    "crm.complaint": ["severity", "sla_status", "cause_id", "team_id", "followup_result", "reopen_count"],
}


@tagged("post_install", "-at_install")
class TestPortalReadsNoInternalJudgement(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Great Wall Trading", "is_company": True})
        cls.portal_user = mail_new_test_user(
            cls.env, login="gw_portal", name="Gina Wall", groups="base.group_portal", password="gw_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        # A manager locks the customer in At Risk, with an internal reason (through the lock wizard).
        cls.env["crm.lifecycle.lock.wizard"].with_user(cls.env.ref("base.user_admin")).create(
            {
                "partner_id": cls.customer.id,
                "stage_id": cls.env["crm.lifecycle.stage"].search([("code", "=", "at_risk")]).id,
                "reason": "late payer, keep At Risk",
            }
        ).action_lock()
        product = cls.env["product.product"].create({"name": "Teapot", "list_price": 30.0})
        cls.order = cls.env["sale.order"].create(
            {"partner_id": cls.portal_user.partner_id.id, "order_line": [Command.create({"product_id": product.id})]}
        )
        cls.order.action_confirm()
        cls.complaint = cls.env["crm.complaint"].create(
            {"subject": "Cracked teapot", "partner_id": cls.portal_user.partner_id.id, "sale_order_id": cls.order.id}
        )
        cls.records = {
            "res.partner": cls.customer,
            "res.users": cls.portal_user,
            "res.company": cls.env.company,
            "sale.order": cls.order,
            "crm.complaint": cls.complaint,
            "crm.complaint.stage": cls.complaint.stage_id,
        }

    def _crm_care_fields(self):
        """{model: CRM Care field names}: the fields our addons declare (not Odoo's mixins on our models)."""
        rows = self.env["ir.model.data"].search([("model", "=", "ir.model.fields"), ("module", "in", ADDONS)])
        fields = self.env["ir.model.fields"].browse(rows.mapped("res_id")).exists()
        by_model = {}
        for field in fields:
            model = self.env[field.model]
            mixins = set()
            for parent in model._inherit:
                if parent != model._name:
                    mixins |= set(self.env[parent]._fields)
            if field.name not in MAGIC and field.name not in mixins and not model._transient and not model._abstract:
                by_model.setdefault(field.model, set()).add(field.name)
        return by_model

    def _rpc(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def test_every_crm_care_field_a_portal_user_can_read(self):
        ours = self._crm_care_fields()
        readable_models = {model for model in ours if self.env[model].with_user(self.portal_user).has_access("read")}
        self.assertEqual(readable_models, set(PORTAL_READABLE), "models a portal user reads that have our fields")
        self.authenticate("gw_portal", "gw_portal")
        for model in sorted(readable_models):
            with self.subTest(model=model):
                visible = set(self._rpc(model, "fields_get", attributes=["type"]))
                self.assertEqual(visible & ours[model], PORTAL_READABLE[model])
                record = self.records.get(model)
                if record:
                    values = self._rpc(model, "read", record.ids, list(PORTAL_READABLE[model]))
                    self.assertEqual(values[0]["id"], record.id)

    def test_internal_fields_are_refused_over_rpc(self):
        self.authenticate("gw_portal", "gw_portal")
        for model, names in INTERNAL_SAMPLE.items():
            for name in names:
                with self.subTest(model=model, field=name), self.assertRaises(JsonRpcException):
                    self._rpc(model, "read", self.records[model].ids, [name])
        # Employees do read them.
        self.assertEqual(
            self.customer.with_user(self.env.ref("base.user_admin")).lifecycle_lock_reason, "late payer, keep At Risk"
        )

    def test_portal_pages_still_show_the_customer_their_data(self):
        self.authenticate("gw_portal", "gw_portal")
        response = self.url_open("/my/complaints")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Cracked teapot", response.text)
        response = self.url_open(f"/my/complaints/{self.complaint.id}")
        self.assertIn(self.complaint.name, response.text)
        self.assertEqual(self.url_open("/my/membership").status_code, 200)
        self.assertEqual(self.url_open("/my").status_code, 200)
