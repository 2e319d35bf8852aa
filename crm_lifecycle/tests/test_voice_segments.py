from datetime import timedelta

from odoo.tests import Form, tagged

from .common import frozen
from .voice_common import VoiceCase


@tagged("post_install", "-at_install")
class TestVoiceSegments(VoiceCase):
    """Segments select on the voice of the customer (NPS category, satisfaction, churn reason) and campaigns reach
    them: a service-recovery call to detractors, a win-back offer by churn reason."""

    def _mark_lost(self, partner, reason):
        with frozen(self.env, self.TODAY):
            action = partner.with_user(self.manager).action_mark_lost()
            wizard = Form(self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]))
            wizard.churn_reason_id = reason
            wizard.save().action_mark_lost()
        self.env.invalidate_all()

    def _segment(self, name, domain, on):
        segment = self.env["crm.segment"].create({"name": name, "domain": domain})
        with frozen(self.env, on):
            segment._refresh_members()
        return segment

    def test_win_back_offer_by_churn_reason(self):
        price = self.env.ref("crm_lifecycle.churn_reason_price")
        service = self.env.ref("crm_lifecycle.churn_reason_service")
        too_dear, badly_served, still_here = (
            self._customer(name) for name in ("Too Dear", "Badly Served", "Still Here")
        )
        for partner in (too_dear, badly_served, still_here):
            self._order(partner, self.TODAY - timedelta(days=100))
        self._mark_lost(too_dear, price)
        self._mark_lost(badly_served, service)
        day = self.TODAY + timedelta(days=1)
        price_lost = self._segment("Lost on price", f"[('churn_reason_id', '=', {price.id})]", day)
        self.assertEqual(price_lost.member_ids.partner_id, too_dear)
        offer = self._campaign(
            "segment_entry",
            steps=[
                {"action": "email", "mail_template_id": self.env.ref("crm_lifecycle.mail_template_care_win_back").id}
            ],
            segment_id=price_lost.id,
            name="Win-back offer: price",
        )
        self._run_care(day)
        touches = self._touches(offer)
        self.assertEqual((touches.partner_id, touches.state), (too_dear, "done"), touches.error_message)

    def test_service_recovery_call_to_detractors_and_unsatisfied(self):
        scores = {"Promoter": 10, "Passive": 7, "Detractor": 3}
        partners = {name: self._customer(name) for name in scores}
        for name, score in scores.items():
            self._answer(self._send_nps(partners[name]).survey_user_input_id, score)
        day = self.TODAY + timedelta(days=3)
        detractors = self._segment("Detractors", "[('nps_category', '=', 'detractor')]", day)
        unsatisfied = self._segment(
            "Unsatisfied", "[('satisfaction_count', '>', 0), ('satisfaction_score', '<', 75)]", day
        )
        ours = set(partners.values())
        self.assertEqual([p for p in detractors.member_ids.partner_id if p in ours], [partners["Detractor"]])
        self.assertEqual(
            {p.name for p in unsatisfied.member_ids.partner_id if p in ours}, {"Passive", "Detractor"}, "70 and 30"
        )
        call = self.env.ref("mail.mail_activity_data_call")
        recovery = self._campaign(
            "segment_entry",
            steps=[{"action": "activity", "activity_type_id": call.id, "activity_summary": "Service recovery"}],
            segment_id=detractors.id,
            name="Service recovery",
        )
        self._run_care(day)
        touch = self._touches(recovery).filtered(lambda t: t.partner_id in ours)
        self.assertEqual((touch.partner_id, touch.state, touch.action), (partners["Detractor"], "done", "activity"))
