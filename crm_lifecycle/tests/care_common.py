from datetime import datetime, timedelta

from odoo.fields import Command

from .common import LifecycleCase, frozen


class CareCase(LifecycleCase):
    """Care campaigns on top of the lifecycle test base (company in Asia/Shanghai, taxed products, users in other
    zones): frozen company days, default pressure settings. The daily job runs at 03:00 UTC (11:00 in Shanghai)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {"care_max_touches": 4, "care_window_days": 30, "care_min_gap_days": 2, "care_attribution_days": 14}
        )
        cls.env["crm.care.campaign"].with_context(active_test=False).search([]).action_archive()
        cls.birthday_template = cls.env.ref("crm_lifecycle.mail_template_care_birthday")
        cls.thank_you_template = cls.env.ref("crm_lifecycle.mail_template_care_thank_you")
        cls.visit_type = cls.env.ref("crm_lifecycle.mail_activity_type_follow_up_visit")

    @classmethod
    def _campaign(cls, kind="birthday", steps=None, **vals):
        steps = steps or [{"action": "email", "mail_template_id": cls.birthday_template.id}]
        return cls.env["crm.care.campaign"].create(
            {
                "name": f"{kind} campaign",
                "kind": kind,
                "user_id": cls.manager.id,
                "step_ids": [Command.create(step) for step in steps],
                **vals,
            }
        )

    def _run_care(self, on=None, **kwargs):
        moment = datetime.combine(on or self.TODAY, datetime.min.time()) + timedelta(hours=3)
        with frozen(self.env, moment), self._no_commit():
            self.env["crm.care.campaign"]._cron_care(**kwargs)
        self.env.invalidate_all()

    def _touches(self, campaign):
        return self.env["crm.care.touch"].search([("campaign_id", "=", campaign.id)], order="id")

    def _history_touch(self, partner, days_ago, respect_pressure=True):
        """A touch already done `days_ago` days before TODAY (from an archived campaign of its own)."""
        campaign = self._campaign(
            "birthday",
            steps=[
                {"action": "email", "mail_template_id": self.birthday_template.id, "respect_pressure": respect_pressure}
            ],
            name=f"Past campaign {days_ago}",
            active=False,
        )
        done = datetime.combine(self._days_ago(days_ago), datetime.min.time()) + timedelta(hours=10)
        return self.env["crm.care.touch"].create(
            {
                "campaign_id": campaign.id,
                "step_id": campaign.step_ids.id,
                "partner_id": partner.id,
                "company_id": self.company.id,
                "occurrence_key": f"past-{days_ago}",
                "date_planned": done.date(),
                "state": "done",
                "date_done": done,
            }
        )
