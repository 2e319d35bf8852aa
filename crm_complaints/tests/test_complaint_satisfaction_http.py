from datetime import date, datetime

from odoo import http
from odoo.tests import HttpCase, tagged

from odoo.addons.crm_lifecycle.tests.common import frozen
from odoo.addons.crm_lifecycle.tests.voice_common import VoiceCase


@tagged("post_install", "-at_install")
class TestComplaintSatisfactionOverHttp(HttpCase, VoiceCase):
    """The customer rates a resolved complaint on Odoo's public rating page: the satisfaction moves at once."""

    def test_a_rating_from_the_public_page_sets_the_satisfaction(self):
        partner = self._customer("Web Rater")
        complaint = self.env["crm.complaint"].create({"subject": "Broken", "partner_id": partner.id, "team_id": False})
        complaint.write(
            {
                "resolution": "<p>Replaced</p>",
                "cause_id": self.env.ref("crm_complaints.crm_complaint_cause_product").id,
                "stage_id": self.env.ref("crm_complaints.crm_complaint_stage_resolved").id,
            }
        )
        token = complaint._rating_get_access_token()
        self.authenticate(None, None)
        with frozen(self.env, datetime(2026, 6, 16, 17, 0)):  # 17 June, 01:00 in Shanghai
            response = self.url_open(
                f"/rate/{token}/submit_feedback",
                data={"rate": 1, "csrf_token": http.Request.csrf_token(self), "feedback": "Still broken"},
            )
            response.raise_for_status()
        self.env.invalidate_all()
        self.assertEqual((partner.satisfaction_score, partner.satisfaction_count), (0.0, 1))
        self.assertEqual(partner.date_last_feedback, date(2026, 6, 17))
