from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.base.models.res_partner import _tz_get

from ..tools import business_time


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_care_tz = fields.Selection(
        _tz_get,
        string="Business Time Zone",
        groups="base.group_user",
        compute="_compute_crm_care_tz",
        store=True,
        readonly=False,
        help="CRM Care dates every business event of this company in this time zone, whoever triggers the "
        "computation (a user in another time zone, the nightly jobs): today, the date of an order (first and "
        "last order, stage dates, after-order messages), birthdays, contact pressure, tier windows and "
        "points expiry. Taken from the time zone of the company's address when that one is set or changed; "
        "UTC when none is set.",
    )
    lifecycle_new_days = fields.Integer(
        string="New Customer Period (days)",
        default=90,
        help="A customer whose first order is younger than this is New.",
        groups="base.group_user",
    )
    lifecycle_active_days = fields.Integer(
        string="Active Period (days)",
        default=180,
        help="A customer whose last order is younger than this is Active (or Loyal).",
        groups="base.group_user",
    )
    lifecycle_churn_days = fields.Integer(
        string="Churn Period (days)",
        default=365,
        help="A customer whose last order is older than this has Churned.",
        groups="base.group_user",
    )
    lifecycle_loyal_min_orders = fields.Integer(
        string="Loyal Minimum Orders",
        default=3,
        help="Orders in the last 365 days that make an active customer Loyal.",
        groups="base.group_user",
    )
    rfm_window_days = fields.Integer(
        string="RFM Window (days)",
        default=730,
        help="Frequency and monetary scores count the orders of this many last days.",
        groups="base.group_user",
    )
    clv_margin_rate = fields.Float(string="CLV Margin Rate", default=0.30, digits=(16, 4), groups="base.group_user")
    clv_discount_rate = fields.Float(string="CLV Discount Rate", default=0.10, digits=(16, 4), groups="base.group_user")
    clv_horizon_years = fields.Integer(string="CLV Horizon (years)", default=5, groups="base.group_user")
    clv_retention_rate = fields.Float(
        string="CLV Retention Rate",
        digits=(16, 4),
        help="Share of customers who buy again the next year. Leave empty (0) to estimate it from the orders.",
        groups="base.group_user",
    )
    clv_retention_estimate = fields.Float(
        string="Estimated Retention Rate",
        digits=(16, 4),
        readonly=True,
        default=0.5,
        help="Retention estimated by the lifecycle refresh: customers who ordered in the year before "
        "last and ordered again in the last year, rounded to 4 decimals. Estimated again once it is 30 days "
        "old, it changes (and with it every lifetime value) only when the new estimate differs from it by more "
        "than half a percentage point (0.005), so the nights in between rewrite no lifetime value for it.",
        groups="base.group_user",
    )
    clv_retention_estimate_date = fields.Date(
        string="Retention Estimated On",
        readonly=True,
        help="Business date of the lifecycle refresh that estimated the retention rate in use. Empty until the "
        "first refresh, and when a retention rate is set by hand.",
        groups="base.group_user",
    )
    rfm_cut_points = fields.Json(
        string="RFM Cut Points",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Where each RFM score and revenue percentile starts, estimated from all customers with purchases by "
        "the lifecycle refresh; every customer is scored against them. A dict: window_start (ISO date: frequency "
        "and monetary values count the purchases from that day on), customers (how many customers they were "
        "estimated from), recency (4 ISO dates: a last purchase on or after the 1st gives recency 2, ... on or "
        "after the 4th gives 5), frequency (4 purchase counts in the window: at least the 1st gives 2, ... the "
        "4th gives 5), monetary (4 net amounts in the window, company currency: same), revenue (99 total revenues, "
        "company currency: at least the 1st gives percentile 2, ... the 99th gives 100). Below the first cut point "
        "a customer scores 1. Empty before the first refresh and after the RFM window changed.",
    )
    rfm_cut_points_date = fields.Date(
        string="RFM Cut Points Computed On",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Business date of the lifecycle refresh that computed the RFM cut points in use from all customers. "
        "Checked again 30 days after their last check, they are replaced (with this date) only when the new ones "
        "would change the scores of more than 1 % of the customers; between two estimations a customer's scores "
        "change only when her own purchases cross a cut point.",
    )
    rfm_cut_points_check_date = fields.Date(
        string="RFM Cut Points Checked On",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Business date of the lifecycle refresh that last compared the RFM cut points in use with new ones "
        "estimated from all customers (they stayed when within 1 % of the customers' scores). The next estimation "
        "is 30 days later; changing the RFM window makes it the next refresh.",
    )

    @api.constrains(
        "lifecycle_new_days",
        "lifecycle_active_days",
        "lifecycle_churn_days",
        "lifecycle_loyal_min_orders",
        "rfm_window_days",
        "clv_margin_rate",
        "clv_discount_rate",
        "clv_horizon_years",
        "clv_retention_rate",
    )
    def _check_lifecycle_settings(self):
        for company in self:
            problems = []
            if company.lifecycle_new_days <= 0:
                problems.append(("lifecycle_new_days", self.env._("must be greater than 0")))
            if company.lifecycle_active_days < company.lifecycle_new_days:
                problems.append(("lifecycle_active_days", self.env._("must be at least the New Customer Period")))
            if company.lifecycle_churn_days <= company.lifecycle_active_days:
                problems.append(("lifecycle_churn_days", self.env._("must be longer than the Active Period")))
            if company.lifecycle_loyal_min_orders < 1:
                problems.append(("lifecycle_loyal_min_orders", self.env._("must be at least 1")))
            if company.rfm_window_days <= 0:
                problems.append(("rfm_window_days", self.env._("must be greater than 0")))
            if not 0 <= company.clv_margin_rate <= 1:
                problems.append(("clv_margin_rate", self.env._("must be between 0 and 1")))
            if not 0 <= company.clv_discount_rate < 1:
                problems.append(("clv_discount_rate", self.env._("must be at least 0 and below 1")))
            if not 1 <= company.clv_horizon_years <= 50:
                problems.append(("clv_horizon_years", self.env._("must be between 1 and 50")))
            if not 0 <= company.clv_retention_rate <= 1:
                problems.append(("clv_retention_rate", self.env._("must be between 0 and 1")))
            if problems:
                field_name, message = problems[0]
                raise ValidationError(
                    self.env._(
                        "%(field)s %(problem)s.",
                        field=self._fields[field_name].get_description(self.env)["string"],
                        problem=message,
                    )
                )

    def write(self, vals):
        # RFM cut points estimated over another window do not fit the new one: the next refresh estimates them.
        moved = self.browse()
        if "rfm_window_days" in vals:
            moved = self.sudo().filtered(lambda company: company.rfm_window_days != vals["rfm_window_days"])
        result = super().write(vals)
        if moved:
            moved.write({"rfm_cut_points": False, "rfm_cut_points_date": False, "rfm_cut_points_check_date": False})
        return result

    @api.depends("partner_id.tz")
    def _compute_crm_care_tz(self):
        for company in self:
            company.crm_care_tz = company.partner_id.tz or company.crm_care_tz or "UTC"

    def _get_lifecycle_today(self):
        """(today, tz): the company's business date and its time zone name, never the user's.

        tz is the company's Business Time Zone (crm_care_tz), UTC when not set; today is the current date
        there (Odoo's clock, frozen in tests). See crm_lifecycle/tools/business_time.py for the rule.
        """
        self.ensure_one()
        tz = self.sudo().crm_care_tz or "UTC"
        return business_time.local_today(tz), tz

    @api.model
    def _get_crm_care_main_company(self):
        """The company whose Business Time Zone dates the stored dates of contacts without a company (next
        birthday, the birthday check, merge history): Odoo's main company (the one of the nightly jobs),
        whoever writes them. Returns a res.company record (sudo)."""
        # The external id's lookup is cached: no query per call (env.ref would check that the record exists).
        main_id = self.env["ir.model.data"]._xmlid_to_res_id("base.main_company", raise_if_not_found=False)
        return self.sudo().browse(main_id) if main_id else self.sudo().search([], limit=1)

    care_max_touches = fields.Integer(
        string="Maximum Care Messages",
        default=4,
        help="At most this many care messages (steps that respect contact pressure) reach one contact in the window.",
        groups="base.group_user",
    )
    care_window_days = fields.Integer(
        string="Contact Pressure Window (days)",
        default=30,
        help="The number of last days in which the maximum number of care messages is counted.",
        groups="base.group_user",
    )
    care_min_gap_days = fields.Integer(
        string="Minimum Days Between Care Messages",
        default=2,
        help="A care message waits at least this many days after the previous one to the same contact.",
        groups="base.group_user",
    )
    care_attribution_days = fields.Integer(
        string="Conversion Window (days)",
        default=14,
        help="A confirmed order within this many days after a care message counts as a conversion of its campaign.",
        groups="base.group_user",
    )

    @api.constrains("care_max_touches", "care_window_days", "care_min_gap_days", "care_attribution_days")
    def _check_care_settings(self):
        for company in self:
            if company.care_max_touches < 1:
                raise ValidationError(self.env._("The maximum number of care messages must be at least 1."))
            if company.care_window_days < 1:
                raise ValidationError(self.env._("The contact pressure window must be at least 1 day."))
            if company.care_min_gap_days < 0:
                raise ValidationError(
                    self.env._("The minimum number of days between care messages cannot be negative.")
                )
            if company.care_attribution_days < 1:
                raise ValidationError(self.env._("The conversion window must be at least 1 day."))
