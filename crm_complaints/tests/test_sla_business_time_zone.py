from datetime import datetime

from odoo.fields import Command
from odoo.tests import tagged

from .common import ComplaintCase


@tagged("post_install", "-at_install")
class TestSlaBusinessTimeZone(ComplaintCase):
    """The SLA counts in the team calendar's own time zone (here Shanghai, with a lunch break), whatever the
    company's business time zone and the zone of the user who logs the complaint."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shanghai_team = cls.env["crm.complaint.team"].create(
            {
                "name": "Shanghai desk",
                "leader_id": cls.leader.id,
                "member_ids": [Command.set([cls.leader.id, cls.agent.id])],
                "resource_calendar_id": cls.calendar_shanghai.id,
            }
        )
        cls.env["crm.complaint.sla"].create(
            {"name": "Shanghai", "team_id": cls.shanghai_team.id, "response_hours": 4, "resolve_hours": 16}
        )

    def test_deadlines_in_the_calendar_zone_for_users_of_any_zone(self):
        # Monday 15 June 09:00 in Shanghai = 01:00 UTC; the agent works from Paris, the leader from New York.
        for user in (self.agent, self.leader):
            complaint = self._complaint(datetime(2026, 6, 15, 1, 0), user=user, team_id=self.shanghai_team.id)
            # Response: 9:00-12:00 (3 h), lunch, 13:30-14:30 (1 h) -> 14:30 in Shanghai = 06:30 UTC.
            self.assertEqual(complaint.response_deadline, datetime(2026, 6, 15, 6, 30), user.name)
            # Resolve: 7.5 h on Monday, 7.5 h on Tuesday, 1 h on Wednesday -> Wednesday 10:00 = 02:00 UTC.
            self.assertEqual(complaint.resolve_deadline, datetime(2026, 6, 17, 2, 0), user.name)
