"""The stage lock cannot be set at creation through default_* context keys either (an RPC client sets them)."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LifecycleCase


@tagged("post_install", "-at_install")
class TestLifecycleLockDefaults(LifecycleCase):
    def test_default_context_keys_cannot_lock_or_stage_a_new_partner(self):
        Partner = self.env["res.partner"].with_user(self.salesman)
        for context in (
            {"default_lifecycle_locked": True, "default_lifecycle_lock_reason": "VIP"},
            {"default_lifecycle_stage_id": self.stage["loyal"].id},
        ):
            with self.subTest(context=context), self.assertRaises(AccessError):
                Partner.with_context(**context).create({"name": "Defaulted"})
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Defaulted")]))
        # empty defaults are harmless, and a manager may
        Partner.with_context(default_lifecycle_locked=False).create({"name": "Plain"})
        locked = (
            self.env["res.partner"]
            .with_user(self.manager)
            .with_context(default_lifecycle_locked=True, default_lifecycle_lock_reason="Board decision")
            .create({"name": "Strategic"})
        )
        self.assertTrue(locked.lifecycle_locked)
