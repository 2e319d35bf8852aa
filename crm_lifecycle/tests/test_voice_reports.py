from datetime import date, datetime, timedelta

from odoo.tests import tagged

from .common import frozen
from .voice_common import VoiceCase


@tagged("post_install", "-at_install")
class TestVoiceReports(VoiceCase):
    """Satisfaction and NPS by month and stage, and the satisfaction trap, on a small hand-computed data set."""

    def _at(self, day, hour=10):
        return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)

    def test_satisfaction_and_nps_by_month_and_stage(self):
        scores = {"Ann": 9, "Bob": 5, "Cid": 8, "Dee": 10}  # promoter, detractor, passive, promoter
        partners = {}
        for name, score in scores.items():
            partners[name] = self._customer(name)
            self._answer(self._send_nps(partners[name]).survey_user_input_id, score)  # June, customers are New
        # A July answer of Ann (a second order): a month of its own.
        july = date(2026, 7, 10)
        self._answer(self._send_nps(partners["Ann"], on=july).survey_user_input_id, 6, at=self._at(july + timedelta(2)))
        Report = self.env["crm.care.feedback.report"]
        domain = [("partner_id", "in", [partner.id for partner in partners.values()])]
        rows = Report._read_group(
            domain, ["date:month", "stage_id"], ["satisfaction:avg", "nps_points:avg", "is_promoter:sum", "__count"]
        )
        by_month = {(month.month, stage.code): values for month, stage, *values in rows}
        # June: answers 9, 5, 8, 10 -> satisfaction (90 + 50 + 80 + 100) / 4 = 80; NPS (2 promoters - 1
        # detractor) / 4 answers = 25.
        self.assertEqual(by_month[6, "new"], [80.0, 25.0, 2, 4])
        # July: Ann's 6, a detractor (-100); she bought twice: Active? she is New until her stage moves.
        (july_key,) = [key for key in by_month if key[0] == 7]
        self.assertEqual(by_month[july_key], [60.0, -100.0, 0, 1])
        self.assertEqual(july_key[1], partners["Ann"].lifecycle_stage_id.code)

    def test_a_rating_is_in_the_satisfaction_not_in_the_nps(self):
        partner = self._customer("Rated Only")
        self._answer(self._send_nps(partner).survey_user_input_id, 10)
        answer_row = self.env["crm.care.feedback.report"].search([("partner_id", "=", partner.id)])
        self.assertEqual((answer_row.kind, answer_row.satisfaction, answer_row.nps_points), ("survey", 100.0, 100.0))
        self.assertEqual(answer_row.date, self.TODAY + timedelta(days=2))
        self.assertEqual(answer_row.stage_id, self.stage["new"], "the stage on the day of the answer")

    def test_satisfaction_trap_finds_satisfied_customers_at_risk_or_churned(self):
        long_ago = self.TODAY - timedelta(days=300)
        happy_at_risk = self._customer("Happy At Risk")
        unhappy_at_risk = self._customer("Unhappy At Risk")
        happy_active = self._customer("Happy Active")
        for partner, score in ((happy_at_risk, 9), (unhappy_at_risk, 4)):
            touch = self._send_nps(partner, on=long_ago)
            self._answer(touch.survey_user_input_id, score, at=self._at(long_ago + timedelta(days=2)))
        self._order(happy_active, long_ago)
        self._answer(self._send_nps(happy_active).survey_user_input_id, 8)
        self._run_cron()
        self.assertEqual(happy_at_risk.lifecycle_stage_id, self.stage["at_risk"])
        self.assertEqual(unhappy_at_risk.lifecycle_stage_id, self.stage["at_risk"])
        self.assertEqual(happy_active.lifecycle_stage_id, self.stage["active"])
        self.assertEqual(
            (happy_at_risk.satisfaction_score, unhappy_at_risk.satisfaction_score, happy_active.satisfaction_score),
            (90.0, 40.0, 80.0),
        )
        ours = [("id", "in", (happy_at_risk | unhappy_at_risk | happy_active).ids)]
        Partner = self.env["res.partner"]
        self.assertEqual(Partner.search([*ours, ("is_satisfaction_trap", "=", True)]), happy_at_risk)
        self.assertEqual(Partner.search([*ours, ("is_satisfaction_trap", "=", False)]), unhappy_at_risk | happy_active)
        self.assertEqual(
            (happy_at_risk | unhappy_at_risk | happy_active).mapped("is_satisfaction_trap"), [True, False, False]
        )

    def test_nps_and_satisfaction_of_a_segment(self):
        tag = self.env["res.partner.category"].create({"name": "Voice panel"})
        scores = {"Ann": 9, "Bob": 5, "Cid": 8}  # promoter, detractor, passive
        for name, score in scores.items():
            partner = self._customer(name, category_id=[tag.id])
            self._answer(self._send_nps(partner).survey_user_input_id, score)
        dee_ltd = self._customer("Dee Ltd", is_company=True, category_id=[tag.id])
        self._customer("Dee", parent_id=dee_ltd.id, category_id=[tag.id])  # her contact: the same customer
        self._answer(self._send_nps(dee_ltd).survey_user_input_id, 10)
        panel = self.env["crm.segment"].create({"name": "Panel", "domain": f"[('category_id', 'in', [{tag.id}])]"})
        detractors = self.env["crm.segment"].create(
            {"name": "Detractors", "domain": f"[('category_id', 'in', [{tag.id}]), ('nps_category', '=', 'detractor')]"}
        )
        with frozen(self.env, self._at(self.TODAY + timedelta(days=3))):
            (panel | detractors)._refresh_members()
        self.assertEqual(panel.member_count, 5, "Dee Ltd and Dee are both members ...")
        # ... but one customer: 4 answers, 2 promoters (Ann, Dee Ltd), 1 detractor (Bob): (2 - 1) / 4 = 25
        self.assertEqual((panel.nps, panel.nps_answer_count), (25.0, 4))
        self.assertEqual(panel.satisfaction_score, 80.0, "(90 + 50 + 80 + 100) / 4")
        self.assertEqual(detractors.member_ids.partner_id.mapped("name"), ["Bob"], "segments select on NPS")
        self.assertEqual((detractors.nps, detractors.satisfaction_score), (-100.0, 50.0))
