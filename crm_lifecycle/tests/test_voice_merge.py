from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import frozen
from .voice_common import VoiceCase


@tagged("post_install", "-at_install")
class TestVoiceMerge(VoiceCase):
    """Merging contacts: the survivor's satisfaction and NPS come from all the merged feedback, and a churn
    reason never lands on a survivor who is not churned (the merge does not fail on it)."""

    def _merge(self, survivor, duplicate):
        with freeze_time(self.TODAY + timedelta(days=5)):
            wizard = (
                self.env["base.partner.merge.automatic.wizard"]
                .with_context(active_model="res.partner", active_ids=[survivor.id, duplicate.id])
                .create({"dst_partner_id": survivor.id})
            )
            wizard.action_merge()
        self.env.invalidate_all()

    def _at_day(self, day, hour):
        return datetime.combine(day, datetime.min.time()) + timedelta(hours=hour)

    def _lost(self, partner):
        with frozen(self.env, self.TODAY + timedelta(days=3)):
            action = partner.with_user(self.manager).action_mark_lost()
            wizard = Form(self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]))
            wizard.churn_reason_id = self.env.ref("crm_lifecycle.churn_reason_service")
            wizard.save().action_mark_lost()

    def _two_voices(self):
        survivor = self._customer("Mia Merge")
        duplicate = self._customer("Mia Merge (old)")
        self._answer(self._send_nps(survivor).survey_user_input_id, 10)
        later = self._at_day(self.TODAY + timedelta(days=2), hour=12)
        self._answer(self._send_nps(duplicate).survey_user_input_id, 4, at=later)
        self._lost(duplicate)
        return survivor, duplicate

    def test_merged_feedback_and_a_carried_churn_lock_keep_the_reason(self):
        survivor, duplicate = self._two_voices()
        self._merge(survivor, duplicate)
        self.assertFalse(duplicate.exists())
        self.assertEqual((survivor.satisfaction_score, survivor.satisfaction_count), (70.0, 2), "(100 + 40) / 2")
        self.assertEqual(survivor.nps_score, 4, "the last answer of the merged customer (the duplicate's, later)")
        # The survivor has no lock: the duplicate's (Churned, Mark as Lost) is carried over, with its reason.
        self.assertEqual(survivor.lifecycle_stage_id, self.stage["churned"])
        self.assertEqual(survivor.churn_reason_id.name, "Service")

    def test_a_survivor_who_is_not_churned_gets_no_churn_reason(self):
        survivor, duplicate = self._two_voices()
        with frozen(self.env, self.TODAY + timedelta(days=3)):
            action = survivor.with_user(self.manager).action_lifecycle_lock()
            wizard = Form(self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]))
            wizard.stage_id = self.stage["loyal"]
            wizard.reason = "Key account"
            wizard.save().action_lock()
        self._merge(survivor, duplicate)  # Odoo's merge copies the duplicate's churn reason: no error
        self.assertEqual(survivor.lifecycle_stage_id, self.stage["loyal"], "the survivor keeps its own lock")
        self.assertFalse(survivor.churn_reason_id, "not churned: no churn reason")
        self.assertFalse(survivor.churn_reason_note)
        history = survivor.lifecycle_history_ids.filtered("churn_reason_id")
        self.assertEqual(history.churn_reason_id.name, "Service", "the duplicate's stage history keeps it")
        self.assertEqual((survivor.satisfaction_score, survivor.satisfaction_count), (70.0, 2))
