"""What a database without demo data ships with: a complaint team on the company's working hours, SLA policies
per severity, complaint categories and root causes (translated), so that a complaint logged on day one gets a
policy and deadlines that skip the evenings, the weekend and the company's public holidays."""

from datetime import datetime

from odoo.tests import Form, tagged

from odoo.addons.mail.tests.common import MailCommon, mail_new_test_user

# Wednesday 30 September 2026, 16:00 in Shanghai (08:00 UTC): one working hour left that day; Thursday 1 October
# (National Day) is a public holiday of the company, then the weekend from Saturday 3 October.
WEDNESDAY_4PM_SHANGHAI = datetime(2026, 9, 30, 8, 0)


@tagged("post_install", "-at_install")
class TestProductionDefaults(MailCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.team = cls.env.ref("crm_complaints.crm_complaint_team_customer_service")
        cls.calendar = cls.company.resource_calendar_id
        # The company works in Shanghai, 8:00-12:00 and 13:00-17:00 (Odoo's standard calendar), and declares its
        # public holiday as Odoo's Working Hours > Public Holidays do: time off of no resource.
        cls.calendar.tz = "Asia/Shanghai"
        cls.env["resource.calendar.leaves"].create(
            {
                "name": "National Day",
                "company_id": cls.company.id,
                "date_from": datetime(2026, 9, 30, 16, 0),  # 1 October 00:00 in Shanghai
                "date_to": datetime(2026, 10, 1, 15, 59, 59),
            }
        )
        cls.salesperson = mail_new_test_user(
            cls.env,
            login="day_one_sales",
            name="Sun Li",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.customer = cls.env["res.partner"].create({"name": "Wang Fang", "email": "wang.fang@example.com"})

    def _log_complaint(self, severity):
        """A complaint logged by the salesperson in the complaint form, as on a phone call."""
        with self.mock_datetime_and_now(WEDNESDAY_4PM_SHANGHAI):
            with Form(self.env["crm.complaint"].with_user(self.salesperson)) as form:
                form.subject = "The parcel arrived a week late"
                form.partner_id = self.customer
                form.category_id = self.env.ref("crm_complaints.crm_complaint_category_default_delivery_late")
                form.severity = severity
            complaint = form.record
            self.env.flush_all()
        return complaint.with_user(self.env.user)

    def test_the_default_team_works_on_the_company_hours(self):
        self.assertEqual(self.team.company_id, self.company)
        self.assertEqual(self.team.resource_calendar_id, self.calendar)
        self.assertNotIn(self.salesperson, self.team.member_ids | self.team.leader_id)

    def test_a_complaint_of_a_salesperson_gets_a_policy_and_deadlines_on_working_hours(self):
        complaint = self._log_complaint("medium")
        self.assertEqual(complaint.team_id, self.team, "a salesperson outside any team logs into the default team")
        self.assertEqual(complaint.sla_policy_id, self.env.ref("crm_complaints.crm_complaint_sla_default_medium"))
        # 4 working hours to answer: 16:00-17:00 on Wednesday, not on the holiday, then 8:00-11:00 on Friday
        self.assertEqual(complaint.response_deadline, datetime(2026, 10, 2, 3, 0))
        # 24 working hours to resolve: 1 on Wednesday, 8 on Friday, 8 on Monday, 7 on Tuesday (until 16:00)
        self.assertEqual(complaint.resolve_deadline, datetime(2026, 10, 6, 8, 0))
        self.assertEqual(complaint.sla_status, "on_track")

    def test_every_severity_has_its_policy(self):
        expected = {
            "critical": (1, 8),
            "high": (2, 16),
            "medium": (4, 24),
            "low": (8, 40),
        }
        for severity, hours in expected.items():
            with self.subTest(severity=severity):
                policy = self._log_complaint(severity).sla_policy_id
                self.assertEqual(policy, self.env.ref(f"crm_complaints.crm_complaint_sla_default_{severity}"))
                self.assertEqual((policy.response_hours, policy.resolve_hours), hours)

    def test_categories_and_causes_from_everyday_practice_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["crm_complaints"], ["zh_CN"], overwrite=True)
        self.env.invalidate_all()  # the translations are written in SQL
        ref = self.env.ref
        roots = self.env["crm.complaint.category"].search([("parent_id", "=", False), ("company_id", "=", False)])
        self.assertLessEqual(
            ref("crm_complaints.crm_complaint_category_default_product")
            | ref("crm_complaints.crm_complaint_category_default_delivery")
            | ref("crm_complaints.crm_complaint_category_default_service")
            | ref("crm_complaints.crm_complaint_category_default_billing")
            | ref("crm_complaints.crm_complaint_category_default_after_sales"),
            roots,
        )
        zh = self.env(context={"lang": "zh_CN"})
        late = zh.ref("crm_complaints.crm_complaint_category_default_delivery_late")
        self.assertEqual(late.display_name, "物流配送 / 延迟送达")
        self.assertEqual(zh.ref("crm_complaints.crm_complaint_team_customer_service").name, "客户服务部")
        self.assertEqual(zh.ref("crm_complaints.crm_complaint_sla_default_critical").name, "紧急投诉")
        self.assertEqual(zh.ref("crm_complaints.crm_complaint_cause_supplier").name, "供应商或承运商问题")
