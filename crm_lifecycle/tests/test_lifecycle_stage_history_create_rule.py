from odoo.tests import tagged

from .common import LifecycleCase


@tagged("post_install", "-at_install")
class TestLifecycleStageHistoryCreateRule(LifecycleCase):
    """An Automation Rule "On creation" of stage history lines runs for each stage change of the nightly run:
    the changes then go through write() and their history lines through the ORM's create()."""

    def test_a_rule_on_the_creation_of_history_lines_sees_each_move(self):
        self.env["crm.lifecycle.run"].create({"date": self.TODAY, "state": "done"})
        tag = self.env["res.partner.category"].create({"name": "Call: at risk"})
        model = self.env.ref("crm_lifecycle.model_crm_lifecycle_history")
        rule = self.env["base.automation"].create(
            {
                "name": "Tag who turns At Risk",
                "model_id": model.id,
                "trigger": "on_create",
                "filter_domain": "[('to_stage_id.code', '=', 'at_risk')]",
            }
        )
        self.env["ir.actions.server"].create(
            {
                "name": "Tag the customer",
                "model_id": model.id,
                "base_automation_id": rule.id,
                "state": "code",
                "code": f"record.partner_id.write({{'category_id': [Command.link({tag.id})]}})",
            }
        )
        drifting, steady = self._customer("Drifting"), self._customer("Steady")
        self._order(drifting, self._days_ago(179))
        self._order(steady, self._days_ago(10))
        self._run_cron()
        self._run_cron(on=self._days_ago(-1))
        self.assertEqual(drifting.lifecycle_stage_id, self.stage["at_risk"])
        self.assertEqual(drifting.lifecycle_history_ids.sorted("id")[-1].to_stage_id, self.stage["at_risk"])
        self.assertIn(tag, drifting.category_id, "the rule saw the history line of the nightly move")
        self.assertNotIn(tag, steady.category_id)
        notes = drifting.message_ids.tracking_value_ids.filtered(
            lambda t: t.new_value_integer == self.stage["at_risk"].id
        )
        self.assertEqual(len(notes), 1)
