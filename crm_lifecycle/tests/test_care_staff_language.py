"""The activity and the opportunity a care campaign gives a salesperson (created by the nightly job, which has
no language) are titled in that salesperson's language: the step's summary, else the campaign's name, as they
read them in Customer Care."""

from datetime import date

from odoo.tests import tagged

from .care_common import CareCase


@tagged("post_install", "-at_install")
class TestCareStaffLanguage(CareCase):
    def test_activity_and_opportunity_titled_in_the_salesperson_s_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.salesman.lang = "zh_CN"
        chinese = self._customer("Li Lei", birthday=date(1990, 6, 15), user_id=self.salesman.id)
        english = self._customer("John", birthday=date(1990, 6, 15))  # the campaign responsible: English
        campaign = self._campaign(
            "birthday",
            steps=[
                {"action": "activity", "activity_type_id": self.visit_type.id},
                {"action": "create_opportunity", "user_id": self.salesman.id, "activity_summary": "Birthday offer"},
            ],
        )
        campaign.with_context(lang="zh_CN").name = "生日问候"
        offer = campaign.step_ids.filtered(lambda step: step.action == "create_opportunity")
        offer.with_context(lang="zh_CN").activity_summary = "生日优惠"
        self._run_care(self.TODAY)
        touches = self._touches(campaign)
        self.assertEqual(set(touches.mapped("state")), {"done"})
        activities = {touch.partner_id: touch.activity_id for touch in touches if touch.activity_id}
        self.assertEqual((activities[chinese].user_id, activities[chinese].summary), (self.salesman, "生日问候"))
        self.assertEqual(activities[english].summary, campaign.with_context(lang="en_US").name)
        self.assertNotEqual(activities[english].user_id.lang, "zh_CN")
        leads = touches.lead_id
        self.assertEqual(set(leads.mapped("user_id")), {self.salesman})
        self.assertEqual(set(leads.mapped("name")), {"生日优惠 - Li Lei", "生日优惠 - John"})
