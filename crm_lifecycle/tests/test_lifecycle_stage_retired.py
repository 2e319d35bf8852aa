from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import LifecycleCase


@tagged("post_install", "-at_install")
class TestLifecycleStageRetired(LifecycleCase):
    """A shipped stage cannot be archived; archiving a stage of one's own releases its customers to the rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})

    def test_shipped_stage_cannot_be_archived(self):
        for code in ("active", "churned"):
            with self.subTest(code=code), self.assertRaisesRegex(UserError, "cannot be archived"):
                self.stage[code].with_user(self.manager).action_archive()
            self.assertTrue(self.stage[code].active)

    def test_archiving_own_stage_unlocks_its_customers_and_applies_the_rules(self):
        watch = self.env["crm.lifecycle.stage"].with_user(self.manager).create({"name": "Watch List", "code": "watch"})
        partner = self._customer("Watched Account")
        self._order(partner, self.TODAY - timedelta(days=300))
        action = partner.with_user(self.manager).action_lifecycle_lock()
        wizard = Form(self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"]))
        wizard.stage_id = watch
        wizard.reason = "Payment dispute"
        wizard.save().action_lock()
        self.assertEqual((partner.lifecycle_stage_id, partner.lifecycle_locked), (watch, True))

        self._refresh(partner)  # a refresh keeps the lock
        self.assertEqual(partner.lifecycle_stage_id, watch)
        with freeze_time(self.TODAY):
            watch.with_user(self.manager).action_archive()
        self.env.invalidate_all()

        self.assertFalse(watch.active)
        self.assertEqual((partner.lifecycle_stage_id, partner.lifecycle_locked), (self.stage["at_risk"], False))
        self.assertFalse(partner.lifecycle_lock_reason)
        last = self.env["crm.lifecycle.history"].search([("partner_id", "=", partner.id)], order="id desc", limit=1)
        self.assertEqual(
            (last.from_stage_id, last.to_stage_id, last.reason), (watch, self.stage["at_risk"], "stage_retired")
        )
