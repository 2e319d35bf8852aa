from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCareCampaignTour(HttpCase):
    """A manager builds a campaign with two steps in the browser (static/tests/tours/crm_care_campaign_tour.js)."""

    def test_build_a_campaign_with_two_steps(self):
        self.start_tour("/odoo/action-crm_lifecycle.crm_care_campaign_action", "crm_care_campaign_tour", login="admin")
        campaign = self.env["crm.care.campaign"].search([("name", "=", "Tour follow-up")])
        self.assertEqual(campaign.kind, "after_order")
        steps = campaign.step_ids.sorted("delay_days")
        self.assertEqual(steps.mapped("action"), ["email", "activity"])
        self.assertEqual(steps.mapped("delay_days"), [1, 7])
        self.assertEqual(steps[0].mail_template_id, self.env.ref("crm_lifecycle.mail_template_care_thank_you"))
        self.assertEqual(steps[1].activity_type_id, self.env.ref("crm_lifecycle.mail_activity_type_follow_up_visit"))
        self.assertEqual(steps[1].activity_summary, "Visit the customer")
