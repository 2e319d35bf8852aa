from datetime import date

from freezegun import freeze_time

from odoo.tests import Form, new_test_user, tagged

from .care_common import CareCase


class MergeCase(CareCase):
    """Contacts merged through Odoo's merge wizard, as a user would do it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lifecycle.run"].create({"date": cls.TODAY, "state": "done"})
        # An administrator who is not a Customer Care manager (Settings and contacts, no Sales rights).
        cls.admin = new_test_user(
            cls.env, "merge_admin", groups="base.group_system,base.group_partner_manager", name="Merge Admin"
        )

    def _merge(self, survivor, *duplicates, user=None):
        """Merge the duplicates into survivor with the wizard, as `user` (default: the test's superuser)."""
        partners = survivor.browse([survivor.id] + [duplicate.id for duplicate in duplicates])
        Wizard = self.env["base.partner.merge.automatic.wizard"]
        if user:
            Wizard = Wizard.with_user(user)
        with freeze_time(self.TODAY):
            wizard = Wizard.with_context(active_model="res.partner", active_ids=partners.ids).create(
                {"dst_partner_id": survivor.id}
            )
            self.assertEqual(wizard.partner_ids, partners)
            wizard.action_merge()
        self.env.invalidate_all()
        self.assertFalse(partners.browse([duplicate.id for duplicate in duplicates]).exists())
        return survivor

    def _lock(self, partner, stage, reason, user=None):
        """Lock partner's stage through the manager's Lock action and wizard."""
        user = user or self.manager
        action = partner.with_user(user).action_lifecycle_lock()
        wizard = Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))
        wizard.stage_id = stage
        wizard.reason = reason
        with freeze_time(self.TODAY):
            wizard.save().action_lock()
        self.env.invalidate_all()


@tagged("post_install", "-at_install")
class TestLifecycleMerge(MergeCase):
    def test_members_of_the_same_segment_merge_into_one_membership(self):
        survivor, duplicate = self._customer("Mia Chen"), self._customer("Mia Chen")
        other = self._customer("Other Member")
        segment = self.env["crm.segment"].create(
            {"name": "Mia and friends", "domain": f"[('id', 'in', {[duplicate.id, other.id]})]"}
        )
        with freeze_time(self._days_ago(40)):
            segment._refresh_members()
        segment.domain = f"[('id', 'in', {[survivor.id, duplicate.id, other.id]})]"
        with freeze_time(self._days_ago(5)):
            segment._refresh_members()
        self.assertEqual(segment.member_count, 3)

        self._merge(survivor, duplicate)

        members = self.env["crm.segment.member"].search([("segment_id", "=", segment.id)])
        self.assertEqual(members.partner_id, survivor | other)
        mine = members.filtered(lambda member: member.partner_id == survivor)
        self.assertEqual(len(mine), 1, "one open membership for the merged contact")
        self.assertEqual(mine.date_entered, self._days_ago(40), "the earliest entry is kept")
        self.assertFalse(mine.date_left)
        self.assertEqual(segment.member_count, 2)
        self.assertEqual(survivor.segment_ids, segment)
        # The next refresh finds nothing to change: no exit, no entry.
        with freeze_time(self.TODAY):
            events = segment._refresh_members()
        self.assertEqual(events[segment.id], ([], []))

    def test_touches_of_both_contacts_are_kept_and_count_for_pressure(self):
        birthday = date(1990, 6, 15)
        survivor = self._customer("Lea Wong", birthday=birthday)
        duplicate = self._customer("Lea Wong", birthday=birthday)
        offer = self._campaign("birthday", name="Birthday offer", lead_days=1)
        greeting = self._campaign("birthday", name="Birthday greeting")
        self._run_care(self._days_ago(1))  # the offer, a day ahead: one email to each contact
        self._run_care(self.TODAY)  # the greeting: skipped for each, too soon after the offer
        self.assertEqual(self._touches(offer).mapped("state"), ["done", "done"])
        self.assertEqual(self._touches(greeting).mapped("reason"), ["pressure_gap", "pressure_gap"])
        before = self.env["crm.care.touch"].search([("partner_id", "in", (survivor | duplicate).ids)])
        states = {touch.id: (touch.state, touch.reason, touch.date_done) for touch in before}

        self._merge(survivor, duplicate)

        touches = self.env["crm.care.touch"].search([("id", "in", before.ids)])
        self.assertEqual(touches, before, "no touch is deleted, other campaigns' included")
        self.assertEqual(touches.partner_id, survivor)
        self.assertEqual(
            {touch.id: (touch.state, touch.reason, touch.date_done) for touch in touches},
            states,
            "what happened stays as it was",
        )
        for campaign in offer | greeting:
            self.assertEqual(
                sorted(self._touches(campaign).mapped("occurrence_key")),
                ["2026", f"2026 (merged, contact #{duplicate.id})"],
            )
        # Contact pressure counts both offer emails: with at most 2 in the window, a third message waits.
        self.company.write({"care_max_touches": 2, "care_min_gap_days": 1})
        later = self._campaign(
            "birthday",
            name="Belated wishes",
            steps=[{"action": "email", "mail_template_id": self.birthday_template.id, "delay_days": 2}],
        )
        self._run_care(self._days_ago(-2))
        late = self._touches(later)
        self.assertEqual((late.partner_id, late.state, late.reason), (survivor, "skipped", "pressure_max"))
        # Nothing is planned again for the occurrences the merged contacts already had.
        self.assertEqual(len(self._touches(offer) | self._touches(greeting)), 4)

    def test_a_second_planned_touch_of_one_occurrence_is_skipped_as_merged(self):
        birthday = date(1990, 6, 15)
        survivor = self._customer("Ivy Lin", birthday=birthday)
        duplicate = self._customer("Ivy Lin", birthday=birthday)
        campaign = self._campaign("birthday")
        # Planned (the cron plans each campaign in its own transaction, then executes): not sent yet.
        with freeze_time(self.TODAY):
            campaign._plan(self.TODAY, "UTC")
        self.assertEqual(self._touches(campaign).mapped("state"), ["planned", "planned"])

        self._merge(survivor, duplicate)

        touches = self._touches(campaign)
        self.assertEqual(touches.partner_id, survivor)
        kept = touches.filtered(lambda touch: touch.occurrence_key == "2026")
        second = touches - kept
        self.assertEqual((kept.state, second.state, second.reason), ("planned", "skipped", "merged"))
        self._run_care(self.TODAY)
        self.assertEqual((kept.state, second.state), ("done", "skipped"), "one greeting, not two")
        mails = self.env["mail.mail"].search([("model", "=", "res.partner"), ("res_id", "=", survivor.id)])
        self.assertEqual(len(mails), 1)

    def test_what_happened_wins_over_a_planned_touch(self):
        birthday = date(1990, 6, 15)
        duplicate = self._customer("Joy Ma", birthday=birthday)
        campaign = self._campaign("birthday")
        self._run_care(self.TODAY)  # the duplicate is greeted
        survivor = self._customer("Joy Ma", birthday=birthday)  # entered again later the same day
        with freeze_time(self.TODAY):
            campaign._plan_day(self.TODAY, "UTC")  # its greeting is planned, not sent yet
        greeted, planned = self._touches(campaign)
        self.assertEqual((greeted.partner_id, greeted.state), (duplicate, "done"))
        self.assertEqual((planned.partner_id, planned.state), (survivor, "planned"))

        self._merge(survivor, duplicate)

        self.assertEqual((greeted.partner_id, greeted.state, greeted.occurrence_key), (survivor, "done", "2026"))
        self.assertEqual((planned.state, planned.reason), ("skipped", "merged"))
        self.assertEqual(planned.occurrence_key, f"2026 (merged, contact #{survivor.id})")
        self._run_care(self.TODAY)
        self.assertEqual(self._touches(campaign), greeted | planned, "no second greeting")

    def test_duplicate_lock_is_carried_over_whole(self):
        survivor = self._customer("Nora Lee")
        self._order(survivor, self._days_ago(20))
        duplicate = self._customer("Nora Lee")
        self._order(duplicate, self._days_ago(200))
        self._order(duplicate, self._days_ago(150))
        self._refresh(survivor | duplicate)
        self.assertEqual(survivor.lifecycle_stage_id, self.stage["new"])
        self._lock(duplicate, self.stage["loyal"], "Key account, keep Loyal")

        self._merge(survivor, duplicate)

        self.assertEqual(survivor.lifecycle_stage_id, self.stage["loyal"], "the lock comes with its stage")
        self.assertTrue(survivor.lifecycle_locked)
        self.assertEqual(survivor.lifecycle_lock_reason, "Key account, keep Loyal")
        self.assertEqual(survivor.order_count, 3, "metrics recomputed from the merged purchases")
        self.assertEqual(survivor.first_order_date, self._days_ago(200))
        moves = survivor.lifecycle_history_ids.sorted("id")
        self.assertEqual((moves[-1].from_stage_id, moves[-1].to_stage_id), (self.stage["new"], self.stage["loyal"]))
        self.assertEqual(
            len(moves.filtered(lambda move: move.to_stage_id == self.stage["loyal"])),
            2,
            "the duplicate's history moved too",
        )

    def test_survivor_keeps_its_own_lock(self):
        survivor = self._customer("Olga Park")
        self._order(survivor, self._days_ago(300))
        duplicate = self._customer("Olga Park")
        self._order(duplicate, self._days_ago(10))
        self._refresh(survivor | duplicate)
        self._lock(survivor, self.stage["at_risk"], "Late payer, keep At Risk")
        self._lock(duplicate, self.stage["loyal"], "Key account")

        self._merge(survivor, duplicate)

        self.assertEqual(
            (survivor.lifecycle_stage_id, survivor.lifecycle_locked, survivor.lifecycle_lock_reason),
            (self.stage["at_risk"], True, "Late payer, keep At Risk"),
        )
        self.assertEqual(survivor.order_count, 2)

    def test_no_lock_the_stage_follows_the_merged_purchases(self):
        survivor = self._customer("Pia Sun")
        self._order(survivor, self._days_ago(20))
        duplicate = self._customer("Pia Sun")
        self._order(duplicate, self._days_ago(200))
        self._order(duplicate, self._days_ago(150))
        self._refresh(survivor | duplicate)
        self.assertEqual(
            (survivor.lifecycle_stage_id, duplicate.lifecycle_stage_id), (self.stage["new"], self.stage["active"])
        )
        self._merge(survivor, duplicate)
        self.assertEqual(survivor.lifecycle_stage_id, self.stage["loyal"], "3 orders in the year, the last recent")
        self.assertFalse(survivor.lifecycle_locked)

    def test_an_administrator_who_is_not_a_care_manager_can_merge(self):
        self.assertFalse(self.admin.has_group("crm_lifecycle.group_crm_care_manager"))
        survivor = self._customer("Rui Gao")
        self._order(survivor, self._days_ago(300))
        duplicate = self._customer("Rui Gao")
        self._order(duplicate, self._days_ago(30))
        self._refresh(survivor | duplicate)
        self._lock(survivor, self.stage["at_risk"], "Late payer")

        self._merge(survivor, duplicate, user=self.admin)

        self.assertEqual(
            (survivor.lifecycle_stage_id, survivor.lifecycle_locked, survivor.lifecycle_lock_reason),
            (self.stage["at_risk"], True, "Late payer"),
        )
        self.assertEqual(survivor.order_count, 2)

    def test_a_survivor_contact_of_a_company_follows_its_company_s_lock(self):
        company = self._customer("Harbour Trading", is_company=True)
        self._order(company, self._days_ago(300))
        self._refresh(company)
        self._lock(company, self.stage["at_risk"], "Late payer")
        survivor = self._customer("Wei Ho", parent_id=company.id)
        duplicate = self._customer("Wei Ho")  # the same person, once entered without her company
        self._order(duplicate, self._days_ago(10))
        self._refresh(duplicate)
        self._lock(duplicate, self.stage["loyal"], "Key buyer")

        self._merge(survivor, duplicate)

        for partner in (company, survivor):
            self.assertEqual(
                (partner.lifecycle_stage_id, partner.lifecycle_locked, partner.lifecycle_lock_reason),
                (self.stage["at_risk"], True, "Late payer"),
                partner.name,
            )
        self.assertEqual(company.order_count, 2, "the duplicate's order now counts for the company")
