from datetime import timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import LifecycleCase, frozen


@tagged("post_install", "-at_install")
class TestVoiceChurn(LifecycleCase):
    """A Customer Care manager marks a customer lost with a churn reason: locked in Churned, reason kept."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})
        cls.company_partner = cls._customer("Leaving Ltd", is_company=True)
        cls.contact = cls._customer("Lea Leaving", parent_id=cls.company_partner.id)
        cls._order(cls.company_partner, cls.TODAY - timedelta(days=30))
        cls.price = cls.env.ref("crm_lifecycle.churn_reason_price")
        cls.competitor = cls.env.ref("crm_lifecycle.churn_reason_competitor")

    def _mark_lost(self, user, reason, note=None, partner=None, on=None):
        """The manager's button "Mark as Lost" and its wizard, as in the form view."""
        with frozen(self.env, on or self.TODAY):
            action = (partner or self.contact).with_user(user).action_mark_lost()
            wizard = Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))
            wizard.churn_reason_id = reason
            if note:
                wizard.churn_reason_note = note
            result = wizard.save().action_mark_lost()
        self.env.invalidate_all()
        return result

    def test_shipped_churn_reasons(self):
        codes = ["price", "product_quality", "service", "competitor", "moved_away", "no_longer_needed", "unknown"]
        reasons = [self.env.ref(f"crm_lifecycle.churn_reason_{code}") for code in codes]
        self.assertEqual(self.env["crm.churn.reason"].search([]), self.env["crm.churn.reason"].concat(*reasons))

    def test_mark_as_lost_locks_churned_with_the_reason_kept_in_the_history(self):
        self._refresh(self.company_partner)
        self.assertEqual(self.company_partner.lifecycle_stage_id, self.stage["new"])
        self._mark_lost(self.manager, self.competitor, "Cheaper shop opened next door")
        partner = self.company_partner
        self.assertEqual(partner.lifecycle_stage_id, self.stage["churned"])
        self.assertTrue(partner.lifecycle_locked)
        self.assertEqual(partner.lifecycle_lock_reason, "Competitor: Cheaper shop opened next door")
        self.assertEqual(partner.churn_reason_id, self.competitor)
        self.assertEqual(partner.churn_reason_note, "Cheaper shop opened next door")
        self.assertEqual(
            (self.contact.churn_reason_id, self.contact.lifecycle_stage_id),
            (self.competitor, self.stage["churned"]),
            "copied onto the contacts",
        )
        line = partner.lifecycle_history_ids[0]
        self.assertEqual(
            (line.from_stage_id, line.to_stage_id, line.reason, line.user_id, line.churn_reason_id),
            (self.stage["new"], self.stage["churned"], "manual", self.manager, self.competitor),
        )
        # Unlocked and buying again: no longer churned, the reason leaves the customer, the history keeps it.
        with frozen(self.env, self.TODAY + timedelta(days=5)):
            partner.with_user(self.manager).action_lifecycle_unlock()
        self.env.invalidate_all()
        self.assertNotEqual(partner.lifecycle_stage_id, self.stage["churned"])
        self.assertFalse(partner.churn_reason_id)
        self.assertFalse(self.contact.churn_reason_id)
        self.assertEqual(line.churn_reason_id, self.competitor)

    def test_an_already_churned_customer_gets_the_reason_on_its_churn_line(self):
        self._run_cron(on=self.TODAY + timedelta(days=400))
        partner = self.company_partner
        self.assertEqual(partner.lifecycle_stage_id, self.stage["churned"])
        churn_line = partner.lifecycle_history_ids.filtered(lambda line: line.to_stage_id == self.stage["churned"])
        self._mark_lost(self.manager, self.price, on=self.TODAY + timedelta(days=401))
        self.assertEqual(churn_line.churn_reason_id, self.price)
        self.assertEqual(len(partner.lifecycle_history_ids.filtered("churn_reason_id")), 1, "no second line")
        self.assertEqual(partner.lifecycle_lock_reason, "Price")
        # A second, different answer later is a line of its own: the first reason stays where it was.
        self._mark_lost(self.manager, self.competitor, on=self.TODAY + timedelta(days=402))
        self.assertEqual(churn_line.churn_reason_id, self.price)
        self.assertEqual(partner.lifecycle_history_ids[0].churn_reason_id, self.competitor)
        self.assertEqual(partner.churn_reason_id, self.competitor)

    def test_only_managers_record_churn_reasons(self):
        with self.assertRaises(AccessError):
            self.contact.with_user(self.salesman).action_mark_lost()
        with self.assertRaises(AccessError):
            self.company_partner.with_user(self.salesman).write({"churn_reason_id": self.price.id})

    def test_churn_reason_on_a_customer_who_is_not_churned_is_refused(self):
        self._refresh(self.company_partner)
        with self.assertRaises(ValidationError) as catcher:
            self.company_partner.with_user(self.manager).write({"churn_reason_id": self.price.id})
        self.assertIn("is not churned", str(catcher.exception))
