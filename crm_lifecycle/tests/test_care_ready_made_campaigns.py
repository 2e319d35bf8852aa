"""The ready-made care campaigns shipped without demo data (birthday greeting, follow-up visit after order,
win-back when at risk, Spring Festival greeting) are inactive: nothing is planned until a manager switches one
on; then it works with the shipped templates, activity type, stage and occasion."""

from datetime import date

from odoo.tests import tagged

from .care_common import CareCase

READY_MADE = {
    "crm_lifecycle.crm_care_campaign_birthday": ("birthday", ["crm_lifecycle.mail_template_care_birthday"]),
    "crm_lifecycle.crm_care_campaign_follow_up": (
        "after_order",
        ["crm_lifecycle.mail_template_care_thank_you", "crm_lifecycle.mail_activity_type_follow_up_visit"],
    ),
    "crm_lifecycle.crm_care_campaign_win_back": (
        "stage_entry",
        ["crm_lifecycle.mail_template_care_win_back", "mail.mail_activity_data_call"],
    ),
    "crm_lifecycle.crm_care_campaign_spring_festival": (
        "occasion",
        ["crm_lifecycle.mail_template_care_spring_festival"],
    ),
}


@tagged("post_install", "-at_install")
class TestCareReadyMadeCampaigns(CareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()  # archives every campaign: the ready-made ones are shipped archived anyway
        cls.campaigns = {xmlid: cls.env.ref(xmlid) for xmlid in READY_MADE}

    def _switch_on(self, xmlid):
        """What a manager does: open the archived campaign and unarchive it."""
        campaign = self.campaigns[xmlid]
        campaign.with_user(self.manager).action_unarchive()
        return campaign

    def test_shipped_inactive_with_their_steps(self):
        for xmlid, (kind, step_refs) in READY_MADE.items():
            campaign = self.campaigns[xmlid]
            with self.subTest(campaign=xmlid):
                self.assertFalse(campaign.active)
                self.assertEqual(campaign.kind, kind)
                self.assertEqual(campaign.company_id, self.env.ref("base.main_company"))
                used = [*campaign.step_ids.mail_template_id, *campaign.step_ids.activity_type_id]
                self.assertEqual(sorted(record.get_external_id()[record.id] for record in used), sorted(step_refs))
        self.assertEqual(
            self.campaigns["crm_lifecycle.crm_care_campaign_win_back"].stage_id,
            self.env.ref("crm_lifecycle.stage_at_risk"),
        )
        self.assertEqual(
            self.campaigns["crm_lifecycle.crm_care_campaign_spring_festival"].occasion_id,
            self.env.ref("crm_lifecycle.crm_care_occasion_spring_festival"),
        )

    def test_inactive_campaigns_plan_nothing(self):
        self._customer("Birthday Today", birthday=date(1990, 6, 15))
        self._order(self._customer("Buyer"), self._days_ago(1))
        self._run_care(self.TODAY)
        self._run_care(date(2027, 2, 3))  # three days before the Spring Festival of 2027
        touches = self.env["crm.care.touch"].search([("campaign_id", "in", [c.id for c in self.campaigns.values()])])
        self.assertFalse(touches)

    def test_switched_on_the_birthday_greeting_goes_out(self):
        partner = self._customer("Birthday Today", birthday=date(1990, 6, 15))
        campaign = self._switch_on("crm_lifecycle.crm_care_campaign_birthday")
        self._run_care(self.TODAY)
        touch = self._touches(campaign)
        self.assertEqual(touch.partner_id, partner)
        self.assertEqual(touch.state, "done")
        self.assertTrue(touch.mail_message_id)

    def test_switched_on_the_follow_up_plans_the_thank_you_and_the_visit(self):
        campaign = self._switch_on("crm_lifecycle.crm_care_campaign_follow_up")
        order = self._order(self._customer("Buyer", user_id=self.salesman.id), self.TODAY)
        touches = self._touches(campaign)
        self.assertEqual(touches.order_id, order)
        self.assertEqual(touches.mapped("date_planned"), [self._days_ago(-1), self._days_ago(-7)])

    def test_names_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["crm_lifecycle"], ["zh_CN"], overwrite=True)
        self.env.invalidate_all()  # the translations are written in SQL
        names = [campaign.with_context(lang="zh_CN").name for campaign in self.campaigns.values()]
        self.assertEqual(names, ["生日祝福", "订单售后回访", "流失预警挽回", "春节问候"])
        visit = self.env.ref("crm_lifecycle.crm_care_step_follow_up_visit").with_context(lang="zh_CN")
        self.assertEqual(visit.activity_summary, "订单售后回访")
