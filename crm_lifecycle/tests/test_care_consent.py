"""Marketing consent per channel (issue 17): the history, the company's opt-in / opt-out rule at execution, the
campaign's purpose, the former opt-out box as "withdrawn on every channel"."""

from datetime import date, datetime

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .care_common import CareCase
from .common import frozen


@tagged("post_install", "-at_install")
class TestCareConsent(CareCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls._campaign("birthday")
        cls.care_user = new_test_user(
            cls.env,
            "consent_care_user",
            groups="sales_team.group_sale_salesman,crm_lifecycle.group_crm_care_user",
            name="Consent Care User",
        )

    def _birthday_customer(self, name, **vals):
        return self._customer(name, birthday=date(1990, 6, 15), phone="+32 470 12 34 56", **vals)

    def _greet(self, partner, campaign=None):
        self._run_care(self.TODAY)
        return self._touches(campaign or self.campaign).filtered(lambda t: t.partner_id == partner)

    def _consent(self, partner, channel, state, source="staff", on=None):
        with frozen(self.env, on or datetime(2026, 6, 1, 9, 0)):
            return (
                self.env["crm.consent"]
                .with_user(self.care_user)
                .create({"partner_id": partner.id, "channel": channel, "state": state, "source": source})
            )

    # ------------------------------------------------------------------
    # Acceptance: opt-in skips a contact without consent, opt-out reaches them
    # ------------------------------------------------------------------

    def test_opt_in_skips_contact_without_consent(self):
        self.company.care_consent_mode = "opt_in"
        silent = self._birthday_customer("Never Asked")
        agreed = self._birthday_customer("Agreed")
        self._consent(agreed, "email", "given")
        touch = self._greet(silent)
        self.assertEqual((touch.state, touch.reason), ("skipped", "consent_missing"))
        self.assertFalse(touch.mail_message_id)
        self.assertEqual(self._touches(self.campaign).filtered(lambda t: t.partner_id == agreed).state, "done")

    def test_opt_out_reaches_contact_without_consent(self):
        self.company.care_consent_mode = "opt_out"
        partner = self._birthday_customer("Never Asked")
        touch = self._greet(partner)
        self.assertEqual(touch.state, "done")
        self.assertTrue(touch.mail_message_id)

    def test_withdrawn_consent_skips_under_opt_out(self):
        self.company.care_consent_mode = "opt_out"
        partner = self._birthday_customer("Changed Mind")
        self._consent(partner, "email", "given", on=datetime(2026, 1, 1))
        self._consent(partner, "email", "withdrawn", on=datetime(2026, 5, 1))
        self.assertEqual(partner.consent_email, "withdrawn")
        touch = self._greet(partner)
        self.assertEqual((touch.state, touch.reason), ("skipped", "consent_withdrawn"))

    def test_current_consent_is_the_latest_by_date(self):
        partner = self._birthday_customer("Backdated")
        self._consent(partner, "email", "given", on=datetime(2026, 5, 1))
        # imported afterwards, but older: the May consent stays the current one
        self._consent(partner, "email", "withdrawn", source="import", on=datetime(2025, 1, 1))
        self.assertEqual(partner.consent_email, "given")
        self.assertEqual(len(partner.consent_ids), 2)

    def test_consent_is_per_channel(self):
        """Email consent given, SMS not: under opt-in the SMS step skips, the email step goes; a call (activity) needs
        the phone consent."""
        self.company.care_consent_mode = "opt_in"
        template = self.env["sms.template"].create(
            {"name": "Birthday SMS", "model_id": self.env["ir.model"]._get_id("res.partner"), "body": "Happy birthday"}
        )
        sms_campaign = self._campaign("birthday", steps=[{"action": "sms", "sms_template_id": template.id}])
        call_campaign = self._campaign(
            "birthday", steps=[{"action": "activity", "activity_type_id": self.visit_type.id}], name="Call"
        )
        partner = self._birthday_customer("Email Only")
        self._consent(partner, "email", "given")
        self.assertEqual(self._greet(partner).state, "done")
        sms = self._touches(sms_campaign)
        self.assertEqual((sms.state, sms.reason), ("skipped", "consent_missing"))
        call = self._touches(call_campaign)
        self.assertEqual((call.state, call.reason), ("skipped", "consent_missing"))

    def test_internal_steps_need_no_consent(self):
        self.company.care_consent_mode = "opt_in"
        tag = self.env["res.partner.category"].create({"name": "Birthday month"})
        self.campaign.step_ids.write({"action": "add_tag", "tag_id": tag.id})
        partner = self._birthday_customer("Tagged")
        self._consent(partner, "email", "withdrawn")
        self.assertEqual(self._greet(partner).state, "done")
        self.assertIn(tag, partner.category_id)

    def test_service_campaign_ignores_consent(self):
        self.company.care_consent_mode = "opt_in"
        self.campaign.purpose = "service"
        unknown = self._birthday_customer("Unknown")
        withdrawn = self._birthday_customer("Withdrawn")
        self._consent(withdrawn, "email", "withdrawn")
        self._run_care(self.TODAY)
        self.assertEqual(set(self._touches(self.campaign).mapped("state")), {"done"})
        self.assertEqual(self._touches(self.campaign).partner_id, unknown | withdrawn)

    # ------------------------------------------------------------------
    # The former opt-out box: "withdrawn on every channel", both ways
    # ------------------------------------------------------------------

    def test_old_opt_out_still_blocks_and_is_withdrawn_for_all(self):
        self.company.care_consent_mode = "opt_out"
        partner = self._birthday_customer("Quiet")
        partner.with_user(self.manager).care_opt_out = True
        self.assertEqual((partner.consent_email, partner.consent_sms, partner.consent_phone), ("withdrawn",) * 3)
        self.assertEqual(sorted(partner.consent_ids.mapped("channel")), ["email", "phone", "sms"])
        self.assertEqual(set(partner.consent_ids.mapped("source")), {"staff"})
        self.assertEqual(partner.consent_ids.user_id, self.manager)
        self.campaign.purpose = "service"  # the opt-out blocks service messages too, as before
        touch = self._greet(partner)
        self.assertEqual((touch.state, touch.reason), ("skipped", "opt_out"))

    def test_opt_out_created_ticked_records_history(self):
        partner = self._birthday_customer("Born Quiet", care_opt_out=True)
        self.assertEqual(len(partner.consent_ids), 3)
        self.assertEqual(set(partner.consent_ids.mapped("state")), {"withdrawn"})

    def test_every_channel_withdrawn_is_the_opt_out_and_back(self):
        partner = self._birthday_customer("Step By Step")
        for channel in ("email", "sms"):
            self._consent(partner, channel, "withdrawn")
        self.assertFalse(partner.care_opt_out)
        self._consent(partner, "phone", "withdrawn")
        self.assertTrue(partner.care_opt_out)
        self._consent(partner, "sms", "given")
        self.assertFalse(partner.care_opt_out)
        self.assertEqual(len(partner.consent_ids), 4, "syncing the box records no line of its own")

    def test_unticking_the_opt_out_is_no_consent(self):
        self.company.care_consent_mode = "opt_in"
        partner = self._birthday_customer("Back Again", care_opt_out=True)
        partner.care_opt_out = False
        self.assertEqual((partner.consent_email, partner.consent_sms, partner.consent_phone), ("unknown",) * 3)
        self.assertEqual(len(partner.consent_ids), 6)
        touch = self._greet(partner)
        self.assertEqual((touch.state, touch.reason), ("skipped", "consent_missing"))

    # ------------------------------------------------------------------
    # Staff record a change; the history is not rewritten
    # ------------------------------------------------------------------

    def test_staff_record_a_change_from_the_partner(self):
        partner = self._birthday_customer("On The Phone")
        action = partner.with_user(self.care_user).action_record_consent()
        self.assertEqual((action["res_model"], action["target"]), ("crm.consent", "new"))
        with frozen(self.env, datetime(2026, 6, 10, 8, 0)):
            form = Form(self.env["crm.consent"].with_user(self.care_user).with_context(**action["context"]))
            form.channel = "phone"
            form.state = "given"
            form.note = "Agreed on the phone"
            consent = form.save()
        self.assertEqual(
            (consent.partner_id, consent.source, consent.user_id, consent.date),
            (partner, "staff", self.care_user, datetime(2026, 6, 10, 8, 0)),
        )
        self.assertEqual(partner.consent_phone, "given")

    def test_history_lines_cannot_be_rewritten(self):
        partner = self._birthday_customer("Evidence")
        consent = self._consent(partner, "email", "given")
        for user in (self.care_user, self.manager):
            with self.assertRaises(AccessError):
                consent.with_user(user).write({"state": "withdrawn"})
        with self.assertRaises(AccessError):
            consent.with_user(self.care_user).unlink()
        employee = new_test_user(self.env, "consent_employee", groups="base.group_user", name="Plain Employee")
        with self.assertRaises(AccessError):
            consent.with_user(employee).read(["state"])

    # ------------------------------------------------------------------
    # The company setting
    # ------------------------------------------------------------------

    def test_companies_in_china_default_to_opt_in(self):
        china = self.env.ref("base.cn")
        company = self.env["res.company"].create({"name": "Shanghai Care", "country_id": china.id})
        self.assertEqual(company.care_consent_mode, "opt_in")
        other = self.env["res.company"].create({"name": "Brussels Care", "country_id": self.env.ref("base.be").id})
        self.assertEqual(other.care_consent_mode, "opt_out")
        other.country_id = china
        self.assertEqual(other.care_consent_mode, "opt_in")

    def test_setting_in_customer_care_settings(self):
        settings = Form(self.env["res.config.settings"])
        settings.care_consent_mode = "opt_in"
        settings.care_retention_months = 36
        settings.save().execute()
        self.assertEqual((self.company.care_consent_mode, self.company.care_retention_months), ("opt_in", 36))

    # ------------------------------------------------------------------
    # Merging contacts merges their histories
    # ------------------------------------------------------------------

    def test_merge_keeps_both_histories_and_the_latest_consent(self):
        survivor = self._birthday_customer("Survivor")
        duplicate = self._birthday_customer("Duplicate")
        self._consent(survivor, "email", "given", on=datetime(2026, 3, 1))
        self._consent(duplicate, "email", "withdrawn", on=datetime(2026, 5, 1))
        self._consent(duplicate, "sms", "given", on=datetime(2026, 5, 1))
        self._consent(survivor, "sms", "withdrawn", on=datetime(2026, 5, 20))
        with frozen(self.env, self.TODAY):
            wizard = (
                self.env["base.partner.merge.automatic.wizard"]
                .with_context(active_model="res.partner", active_ids=(survivor | duplicate).ids)
                .create({"dst_partner_id": survivor.id})
            )
            wizard.action_merge()
        self.env.invalidate_all()
        self.assertFalse(duplicate.exists())
        self.assertEqual(len(survivor.consent_ids), 4)
        self.assertEqual((survivor.consent_email, survivor.consent_sms), ("withdrawn", "withdrawn"))

    # ------------------------------------------------------------------
    # Set-based: the consent check reads the whole batch at once
    # ------------------------------------------------------------------

    def test_consent_check_query_count_does_not_grow_with_the_batch(self):
        self.company.care_consent_mode = "opt_in"

        def planned_touches(count, campaign_name):
            campaign = self._campaign("birthday", name=campaign_name)
            partners = self.env["res.partner"].create(
                [
                    {
                        "name": f"{campaign_name} {i}",
                        "email": f"{campaign_name}{i}@example.com",
                        "birthday": date(1990, 6, 15),
                    }
                    for i in range(count)
                ]
            )
            self._consent(partners[0], "email", "given")
            with frozen(self.env, self.TODAY):
                campaign._plan(self.TODAY, "Asia/Shanghai")
            touches = self._touches(campaign).filtered(lambda t: t.partner_id in partners)
            self.assertEqual(len(touches), count)
            return touches

        small, large = planned_touches(2, "small"), planned_touches(20, "large")
        counts = []
        for touches in (small, large):
            self.env.flush_all()
            self.env.invalidate_all()
            queries = self.env.cr.sql_log_count
            reasons = touches.browse(touches.ids)._care_veto_consent()
            counts.append(self.env.cr.sql_log_count - queries)
            self.assertEqual(len(reasons), len(touches) - 1, "all but the one with consent")
        self.assertEqual(counts[0], counts[1])

    def test_imported_opt_out_is_recorded_as_import(self):
        """Contacts imported with the opt-out box ticked (Odoo's import: `load` with `import_file`) get their history
        with source import; consent lines can be imported as such too."""
        result = (
            self.env["res.partner"]
            .with_context(import_file=True)
            .load(["name", "email", "care_opt_out"], [["Imported Quiet", "imported.quiet@example.com", "1"]])
        )
        self.assertFalse(result["messages"])
        partner = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(set(partner.consent_ids.mapped("source")), {"import"})
        self.assertTrue(partner.care_opt_out)
        result = (
            self.env["crm.consent"]
            .with_context(import_file=True)
            .load(["partner_id/.id", "channel", "state", "source"], [[str(partner.id), "email", "given", "import"]])
        )
        self.assertFalse(result["messages"])
        self.assertEqual((partner.consent_email, partner.care_opt_out), ("given", False))

    def test_consent_history_menu_for_customer_care_users(self):
        menu = self.env.ref("crm_lifecycle.crm_consent_menu")
        visible = self.env["ir.ui.menu"].with_user(self.care_user)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        self.assertEqual(menu.action, self.env.ref("crm_lifecycle.crm_consent_action"))
        partner = self._birthday_customer("Listed")
        self._consent(partner, "sms", "given")
        action = menu.action.sudo().read()[0]
        lines = self.env[action["res_model"]].with_user(self.care_user).search([("partner_id", "=", partner.id)])
        self.assertEqual(lines.mapped("state"), ["given"])

    def test_consents_tab_for_customer_care_users_only(self):
        employee = new_test_user(
            self.env, "consent_plain", groups="base.group_user,base.group_partner_manager", name="Plain"
        )
        arches = {
            user: self.env["res.partner"].with_user(user).get_views([(False, "form")])["views"]["form"]["arch"]
            for user in (self.care_user, employee)
        }
        self.assertIn('name="crm_consents"', arches[self.care_user])
        self.assertIn('name="action_record_consent"', arches[self.care_user])
        self.assertNotIn('name="crm_consents"', arches[employee])
