from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.crm_lifecycle.tests.common import frozen
from odoo.addons.crm_lifecycle.tests.voice_common import VoiceCase

from .common import LoyaltyCase


@tagged("post_install", "-at_install")
class TestVoiceFeedbackByTier(VoiceCase, LoyaltyCase):
    """Satisfaction and NPS by membership tier (the tier on the day of the feedback) and by segment, on the shipped
    NPS survey answered by customers whose tiers come from their real orders."""

    def test_nps_by_tier_and_by_segment(self):
        panel_tag = self.env["res.partner.category"].create({"name": "Panel"})
        big_tag = self.env["res.partner.category"].create({"name": "Big spenders"})
        spend = {"Ann": 6000, "Bob": 6000, "Cid": 25000, "Dee": 0}  # Silver, Silver, Gold, Member
        scores = {"Ann": 9, "Bob": 5, "Cid": 10, "Dee": 10}  # promoter, detractor, promoter, promoter
        tags = {"Ann": panel_tag | big_tag, "Bob": panel_tag, "Cid": big_tag, "Dee": panel_tag}
        partners = {}
        for name, amount in spend.items():
            partner = partners[name] = self._customer(f"Voice {name}", category_id=tags[name].ids)
            if amount:
                self._order(partner, self.TODAY - timedelta(days=40), amount=amount)
        # Bob's contact is in the panel too: the same customer, counted once.
        self._customer("Voice Bob Junior", parent_id=partners["Bob"].id, category_id=panel_tag.ids)
        for name, score in scores.items():
            self._answer(self._send_nps(partners[name]).survey_user_input_id, score)
        self.assertEqual(
            [partners[name].loyalty_tier_id for name in spend], [self.silver, self.silver, self.gold, self.member]
        )
        ours = [("partner_id", "in", [partner.id for partner in partners.values()])]

        by_tier = self.env["crm.care.feedback.report"]._read_group(
            ours, ["tier_id"], ["nps_points:avg", "satisfaction:avg", "__count"]
        )
        # Silver: 9 and 5 -> (1 promoter - 1 detractor) / 2 = 0, satisfaction (90 + 50) / 2 = 70; Gold: 10 -> 100;
        # Member: 10 -> 100.
        self.assertEqual(
            {tier.name: values for tier, *values in by_tier},
            {"Silver": [0.0, 70.0, 2], "Gold": [100.0, 100.0, 1], "Member": [100.0, 100.0, 1]},
        )

        panel = self.env["crm.segment"].create(
            {"name": "Panel", "domain": f"[('category_id', 'in', [{panel_tag.id}])]"}
        )
        big = self.env["crm.segment"].create({"name": "Big", "domain": f"[('category_id', 'in', [{big_tag.id}])]"})
        with frozen(self.env, self.TODAY + timedelta(days=3)):
            (panel | big)._refresh_members()
        self.assertEqual(panel.member_count, 4)
        by_segment = self.env["crm.care.feedback.segment.report"]._read_group(
            [*ours, ("segment_id", "in", (panel | big).ids)],
            ["segment_id", "tier_id"],
            ["nps_points:avg", "__count"],
        )
        # Panel: Ann 9, Bob 5 (once, with his contact), Dee 10 -> (2 - 1) / 3 = 33.3 overall; Big: Ann 9, Cid 10.
        self.assertEqual(
            sorted((segment.name, tier.name, round(nps, 1), count) for segment, tier, nps, count in by_segment),
            [
                ("Big", "Gold", 100.0, 1),
                ("Big", "Silver", 100.0, 1),
                ("Panel", "Member", 100.0, 1),
                ("Panel", "Silver", 0.0, 2),
            ],
        )
        overall = self.env["crm.care.feedback.segment.report"]._read_group(
            [*ours, ("segment_id", "in", (panel | big).ids)], ["segment_id"], ["nps_points:avg"]
        )
        self.assertEqual({segment.name: round(nps, 1) for segment, nps in overall}, {"Panel": 33.3, "Big": 100.0})
        self.assertEqual(panel.nps, 33.3, "the segment's own NPS agrees with its report")
