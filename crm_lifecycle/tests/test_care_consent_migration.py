"""Upgrade to 19.0.1.0.2: contacts opted out before the consent history get their history; campaigns whose steps all
ignored contact pressure (the former mark of service messages) become service campaigns."""

import importlib.util
from pathlib import Path

from odoo.tests import tagged

from .care_common import CareCase

MIGRATION = Path(__file__).parents[1] / "migrations" / "19.0.1.0.2" / "post-migrate.py"


def _migrate(cr):
    spec = importlib.util.spec_from_file_location("crm_lifecycle_post_migrate_19_0_1_0_2", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.migrate(cr, "19.0.1.0.1")


@tagged("post_install", "-at_install")
class TestCareConsentMigration(CareCase):
    def test_former_opt_outs_get_their_history_once(self):
        # as before the upgrade: the box ticked, no history (the history's sync is what skips recording)
        quiet = self._customer("Former Opt Out").with_context(crm_consent_sync=True)
        quiet.care_opt_out = True
        talkative = self._customer("Never Opted Out")
        self.assertFalse(quiet.consent_ids)
        self.env.flush_all()
        _migrate(self.env.cr)
        _migrate(self.env.cr)  # run twice: nothing more
        self.env.invalidate_all()
        self.assertEqual(sorted(quiet.consent_ids.mapped("channel")), ["email", "phone", "sms"])
        self.assertEqual(set(quiet.consent_ids.mapped("state")), {"withdrawn"})
        self.assertEqual((quiet.consent_email, quiet.consent_sms, quiet.consent_phone), ("withdrawn",) * 3)
        self.assertTrue(quiet.care_opt_out)
        self.assertFalse(talkative.consent_ids)
        self.assertEqual(talkative.consent_email, "unknown")

    def test_campaigns_of_service_steps_become_service(self):
        service = self._campaign(
            "birthday",
            steps=[{"action": "email", "mail_template_id": self.birthday_template.id, "respect_pressure": False}],
            name="Thank you",
        )
        mixed = self._campaign(
            "birthday",
            steps=[
                {"action": "email", "mail_template_id": self.birthday_template.id, "respect_pressure": False},
                {"action": "email", "mail_template_id": self.birthday_template.id},
            ],
            name="Mixed",
        )
        self.env.flush_all()
        _migrate(self.env.cr)
        self.env.invalidate_all()
        self.assertEqual((service.purpose, mixed.purpose), ("service", "marketing"))
