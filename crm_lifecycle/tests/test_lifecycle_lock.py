from datetime import timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import LifecycleCase, frozen


@tagged("post_install", "-at_install")
class TestLifecycleLock(LifecycleCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})
        cls.partner = cls._customer("Key Account")
        cls._order(cls.partner, cls.TODAY - timedelta(days=300))

    def _lock(self, user, stage, reason, on=None):
        """The manager's lock through the wizard, on day `on` (TODAY), never on the machine's date."""
        with frozen(self.env, on or self.TODAY):
            action = self.partner.with_user(user).action_lifecycle_lock()
            wizard = Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))
            wizard.stage_id = stage
            wizard.reason = reason
            return wizard.save().action_lock()

    def test_salesman_cannot_lock(self):
        with self.assertRaises(AccessError):
            self.partner.with_user(self.salesman).action_lifecycle_lock()
        with self.assertRaises(AccessError):
            self.partner.with_user(self.salesman).write({"lifecycle_locked": True, "lifecycle_lock_reason": "x"})

    def test_lock_needs_a_reason(self):
        with self.assertRaises(ValidationError):
            self.partner.with_user(self.manager).write({"lifecycle_locked": True, "lifecycle_lock_reason": " "})

    def test_locked_customer_keeps_stage_until_unlocked(self):
        self._run_cron()
        self.assertEqual(self.partner.lifecycle_stage_id, self.stage["at_risk"])
        self._lock(self.manager, self.stage["loyal"], "Strategic account")
        self.assertTrue(self.partner.lifecycle_locked)
        self.assertEqual(self.partner.lifecycle_stage_id, self.stage["loyal"])
        manual = self.partner.lifecycle_history_ids[0]
        self.assertEqual(
            (manual.reason, manual.user_id, manual.to_stage_id), ("manual", self.manager, self.stage["loyal"])
        )
        self._run_cron(on=self._days_ago(-200))
        self._order(self.partner, self._days_ago(-200))
        self.assertEqual(self.partner.lifecycle_stage_id, self.stage["loyal"], "neither time nor orders move it")
        self.assertEqual(self.partner.order_count, 2, "metrics still refresh while locked")
        with frozen(self.env, self._days_ago(-200)):
            self.partner.with_user(self.manager).action_lifecycle_unlock()
        self.assertFalse(self.partner.lifecycle_locked)
        self.assertEqual(self.partner.lifecycle_stage_id, self.stage["active"], "unlocking re-evaluates at once")

    def test_refresh_now_is_for_managers(self):
        with self.assertRaises(AccessError):
            self.partner.with_user(self.salesman).action_lifecycle_refresh()
        self.env.cr.execute("UPDATE res_partner SET order_count = 0 WHERE id = %s", [self.partner.id])
        self.env.invalidate_all()
        with frozen(self.env, self.TODAY):
            self.partner.with_user(self.manager).action_lifecycle_refresh()
        self.assertEqual(self.partner.order_count, 1)
