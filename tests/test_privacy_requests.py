"""Export and erasure on request (issue 17): what CRM Care holds on a person, to them or to a manager, and
nothing of anybody else; an erasure leaves no trace of the person's name, email and phone in CRM Care while
the reports' figures stay; every request is in the managers' audit list."""

import io
import json
from datetime import timedelta

import openpyxl  # noqa: F401 - only to tell a missing optional reader from a broken file

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.crm_lifecycle.tests.common import frozen
from odoo.addons.crm_loyalty.tests.common import LoyaltyCase
from odoo.addons.mail.tests.common import mail_new_test_user

PEOPLE = {
    "alice": {"name": "Alice Qianyu", "email": "alice.qianyu@example.com", "phone": "+86 138 0013 8001"},
    "bob": {"name": "Bob Zhaolei", "email": "bob.zhaolei@example.com", "phone": "+86 139 0013 9002"},
}


@tagged("post_install", "-at_install")
class PrivacyCase(LoyaltyCase, HttpCase):
    """Two portal customers, each with an order (stage and tier history, points), a care touch (a birthday
    email), a closed complaint with their message, a rating with a comment and a compensation paid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._membership_program()
        cls.env["crm.care.campaign"].with_context(active_test=False).search([]).action_archive()
        cls.campaign = cls.env["crm.care.campaign"].create(
            {
                "name": "Birthday wishes",
                "kind": "birthday",
                "user_id": cls.manager.id,
                "step_ids": [
                    Command.create(
                        {
                            "action": "email",
                            "mail_template_id": cls.env.ref("crm_lifecycle.mail_template_care_birthday").id,
                        }
                    )
                ],
            }
        )
        cls.nps_campaign = cls.env["crm.care.campaign"].create(
            {
                "name": "NPS after an order",
                "kind": "after_order",
                "user_id": cls.manager.id,
                "step_ids": [
                    Command.create(
                        {"action": "survey", "survey_id": cls.env.ref("crm_lifecycle.survey_nps").id, "delay_days": 1}
                    )
                ],
            }
        )
        cls.users, cls.people, cls.complaints = {}, {}, {}
        for key, person in PEOPLE.items():
            user = mail_new_test_user(
                cls.env,
                login=key,
                password=f"{key}-pw-2026",
                name=person["name"],
                email=person["email"],
                groups="base.group_portal",
            )
            partner = user.partner_id
            partner.write({"phone": person["phone"], "street": f"{key} road 8", "birthday": cls.TODAY.replace(1990)})
            cls.users[key], cls.people[key] = user, partner
            cls.env["crm.consent"]._record(
                partner, ["email"], "given", source="portal", note=f"Ticked by {person['name']} on the portal"
            )
            cls._order(partner, cls.TODAY - timedelta(days=20), amount=200.0 if key == "alice" else 300.0)
            with frozen(cls.env, cls.TODAY):
                complaint = cls.env["crm.complaint"].create(
                    {
                        "subject": f"Broken lid - {person['name']}",
                        "partner_id": partner.id,
                        "description": f"<p>{person['name']} called from {person['phone']}</p>",
                        "resolution": f"<p>New lid sent to {person['name']}</p>",
                        "cause_id": cls.env["crm.complaint.cause"].search([], limit=1).id,
                    }
                )
                complaint.message_post(
                    body=f"Please call me back on {person['phone']}, {person['name']}",
                    author_id=partner.id,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
                compensation = cls.env["crm.complaint.compensation"].create(
                    {
                        "complaint_id": complaint.id,
                        "kind": "gift",
                        "amount": 15.0,
                        "description": f"Gift for {person['name']}",
                    }
                )
                compensation.action_submit()
                compensation.action_apply()
                complaint.action_close()
                complaint.sudo().rating_apply(
                    4, token=complaint._rating_get_access_token(), feedback=f"Thanks, {person['email']}"
                )
            cls.complaints[key] = complaint
        cls.manager.group_ids = [Command.link(cls.env.ref("base.group_partner_manager").id)]
        # The day after their order, the NPS survey of an after-order campaign; each answers with a comment.
        with frozen(cls.env, cls.TODAY - timedelta(days=19, hours=-3)), patch_no_commit():
            cls.env["crm.care.campaign"]._cron_care()
        nps, reason = (
            cls.env.ref("crm_lifecycle.survey_nps_question_score"),
            cls.env.ref("crm_lifecycle.survey_nps_question_reason"),
        )
        for key, partner in cls.people.items():
            touch = cls.env["crm.care.touch"].search(
                [("campaign_id", "=", cls.nps_campaign.id), ("partner_id", "=", partner.id)]
            )
            answer = touch.survey_user_input_id.sudo()  # as the survey page saves the answers
            with frozen(cls.env, cls.TODAY - timedelta(days=18)):
                answer._save_lines(nps, "9")
                answer._save_lines(reason, f"{PEOPLE[key]['name']} here, call {PEOPLE[key]['phone']}")
                answer._mark_done()
        with frozen(cls.env, cls.TODAY + timedelta(hours=3)), patch_no_commit():
            cls.env["crm.care.campaign"]._cron_care()
        cls.env.invalidate_all()

    def _export(self, partner, file_format="json", user=None):
        filename, mimetype, content = partner.with_user(user or self.manager)._crm_privacy_export(file_format)
        return json.loads(content) if file_format == "json" else content


def patch_no_commit():
    from unittest.mock import patch  # noqa: PLC0415

    from odoo.addons.base.models.ir_cron import IrCron  # noqa: PLC0415

    return patch.object(IrCron, "_commit_progress", lambda self, processed=0, **kw: float("inf"))


@tagged("post_install", "-at_install")
class TestPrivacyExport(PrivacyCase):
    def test_export_holds_the_person_and_nobody_else(self):
        alice, bob = self.people["alice"], self.people["bob"]
        sections = self._export(alice)["sections"]
        self.assertEqual(sections["contact"][0]["email"], PEOPLE["alice"]["email"])
        self.assertEqual(sections["contact"][0]["birthday"], "1990-06-15")
        self.assertEqual(len(sections["stage_history"]), 1)
        self.assertEqual([touch["state"] for touch in sections["care_touches"]], ["Done", "Done"])
        answers = [answer["answer"] for touch in sections["care_touches"] for answer in touch["survey_answers"]]
        self.assertIn(f"{PEOPLE['alice']['name']} here, call {PEOPLE['alice']['phone']}", answers)
        self.assertTrue(any(PEOPLE["alice"]["name"] in (touch["content"] or "") for touch in sections["care_touches"]))
        self.assertEqual(len(sections["tier_history"]), 1)
        self.assertEqual(sections["points_history"][0]["issued"], 230.0)  # 200 + 15 % tax, a point per unit
        self.assertEqual([row["name"] for row in sections["complaints"]], [self.complaints["alice"].name])
        self.assertTrue(any(PEOPLE["alice"]["phone"] in (row["body"] or "") for row in sections["complaint_messages"]))
        self.assertEqual(sections["compensations"][0]["amount"], 15.0)
        self.assertEqual(
            [(row["channel"], row["state"], row["source"]) for row in sections["consents"]],
            [("Email", "Given", "Portal")],
        )
        self.assertEqual(sections["profile"][0]["consent_email"], "Given")
        self.assertEqual(sections["complaint_ratings"][0]["feedback"], f"Thanks, {PEOPLE['alice']['email']}")
        text = json.dumps(sections)
        for value in PEOPLE["bob"].values():
            self.assertNotIn(value, text)
        self.assertNotIn(self.complaints["bob"].name, text)
        self.assertIn(self.complaints["bob"].name, json.dumps(self._export(bob)["sections"]))

    def test_excel_export_has_one_sheet_per_section(self):
        content = self._export(self.people["alice"], "xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertIn("Complaints", workbook.sheetnames)
        self.assertIn("Points History", workbook.sheetnames)
        sheet = workbook["Contact"]
        header = [cell.value for cell in sheet[1]]
        self.assertEqual(sheet.cell(2, header.index("Email") + 1).value, PEOPLE["alice"]["email"])
        with self.assertRaises(UserError):
            self._export(self.people["alice"], "pdf")

    def test_portal_user_downloads_only_their_own_data(self):
        for key, other in (("alice", "bob"), ("bob", "alice")):
            self.authenticate(key, f"{key}-pw-2026")
            response = self.url_open("/my/personal_data/download?file_format=json")
            self.assertEqual(response.status_code, 200)
            document = response.json()
            self.assertEqual(document["partner_id"], self.people[key].id)
            self.assertIn(PEOPLE[key]["email"], response.text)
            self.assertNotIn(PEOPLE[other]["email"], response.text)
            self.assertNotIn(PEOPLE[other]["name"], response.text)
            # no parameter reaches the other person, and the staff route is closed to them
            response = self.url_open(f"/my/personal_data/download?file_format=json&partner_id={self.people[other].id}")
            self.assertNotIn(PEOPLE[other]["email"], response.text)
            response = self.url_open(f"/crm_care/privacy/export/{self.people[other].id}")
            self.assertNotIn(PEOPLE[other]["email"], response.text)
        self.assertEqual(self.url_open("/my/personal_data").status_code, 200)
        self.assertIn("/my/personal_data", self.url_open("/my").text)
        logs = self.env["crm.privacy.log"].search([("channel", "=", "portal")])
        self.assertEqual(set(logs.partner_id.ids), {self.people["alice"].id, self.people["bob"].id})

    def test_manager_exports_from_the_partner_and_others_cannot(self):
        alice = self.people["alice"]
        action = alice.with_user(self.manager).with_context(crm_privacy_format="xlsx").action_crm_export_personal_data()
        self.assertEqual(action["url"], f"/crm_care/privacy/export/{alice.id}?file_format=xlsx")
        self.authenticate("care_manager", "care_manager")
        response = self.url_open(f"/crm_care/privacy/export/{alice.id}?file_format=json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["sections"]["contact"][0]["name"], PEOPLE["alice"]["name"])
        log = self.env["crm.privacy.log"].search([("partner_id", "=", alice.id)])
        self.assertEqual(
            (log.operation, log.channel, log.user_id, log.file_format), ("export", "staff", self.manager, "json")
        )
        self.assertIn("complaints: 1", log.summary)
        # a salesperson (Customer Care user, not manager) can neither export nor erase
        with self.assertRaises(AccessError):
            alice.with_user(self.salesman).action_crm_export_personal_data()
        with self.assertRaises(AccessError):
            alice.with_user(self.salesman).action_crm_erase_personal_data()
        self.authenticate("care_salesman", "care_salesman")
        response = self.url_open(f"/crm_care/privacy/export/{alice.id}")
        self.assertNotIn(PEOPLE["alice"]["email"], response.text)


@tagged("post_install", "-at_install")
class TestPrivacyErasure(PrivacyCase):
    def _our_text_columns(self):
        """(table, column) of every stored char/text/html field of CRM Care's models (our addons' models)."""
        columns = []
        for model_name in self.env["res.partner"]._crm_privacy_models():
            model = self.env[model_name]
            if not model._auto or model._table_query:
                continue  # SQL views: their texts are the tables' searched here
            for field in model._fields.values():
                if field.store and field.column_type and field.type in ("char", "text", "html"):
                    columns.append((model._table, field.name))
        return columns

    def _traces(self, key):
        """Where the person's name, email or phone still appear: CRM Care's tables, the messages of CRM Care's
        records and of the partner, their tracked values, ratings, survey answers and the partner itself."""
        self.env.flush_all()
        found = []
        our_models = self.env["res.partner"]._crm_privacy_models()
        for value in PEOPLE[key].values():
            pattern = f"%{value}%"
            for table, column in self._our_text_columns():
                count = self.env.execute_query(
                    SQL(
                        "SELECT COUNT(*) FROM %s WHERE %s::text ILIKE %s",
                        SQL.identifier(table),
                        SQL.identifier(column),
                        pattern,
                    )
                )[0][0]
                if count:
                    found.append((table, column, value))
            rows = self.env.execute_query(
                SQL(
                    """SELECT m.id FROM mail_message m
                        WHERE (m.model IN %(models)s OR (m.model = 'res.partner' AND m.res_id = %(partner)s))
                          AND CONCAT_WS(' ', m.body, m.subject, m.email_from, m.reply_to, m.outgoing_email_to)
                              ILIKE %(p)s
                       UNION
                       SELECT t.mail_message_id
                         FROM mail_tracking_value t JOIN mail_message m ON m.id = t.mail_message_id
                        WHERE (m.model IN %(models)s OR (m.model = 'res.partner' AND m.res_id = %(partner)s))
                          AND CONCAT_WS(' ', t.old_value_char, t.new_value_char, t.old_value_text, t.new_value_text)
                              ILIKE %(p)s""",
                    models=tuple(our_models),
                    partner=self.people[key].id,
                    p=pattern,
                )
            )
            if rows:
                found.append(("mail_message", [row[0] for row in rows], value))
            for table, condition in (
                ("res_partner", SQL("CONCAT_WS(' ', name, complete_name, email, phone, street) ILIKE %s", pattern)),
                ("rating_rating", SQL("CONCAT_WS(' ', feedback, res_name) ILIKE %s", pattern)),
                ("res_users", SQL("CONCAT_WS(' ', login, signature::text) ILIKE %s", pattern)),
                ("survey_user_input_line", SQL("CONCAT_WS(' ', value_char_box, value_text_box) ILIKE %s", pattern)),
                ("survey_user_input", SQL("CONCAT_WS(' ', email, nickname) ILIKE %s", pattern)),
            ):
                if self.env.execute_query(SQL("SELECT COUNT(*) FROM %s WHERE %s", SQL.identifier(table), condition))[0][
                    0
                ]:
                    found.append((table, value))
        return found

    def _figures(self):
        Purchase = self.env["crm.purchase"]
        return {
            "purchases": Purchase._read_group([], [], ["amount:sum", "__count"])[0],
            "complaints": self.env["crm.complaint"].with_context(active_test=False).search_count([]),
            "compensations": self.env["crm.complaint.compensation"]._read_group([], [], ["amount:sum"])[0],
            "touches": self.env["crm.care.touch"].search_count([("state", "=", "done")]),
            "messages": self.env["mail.message"].search_count([("model", "=", "crm.complaint")]),
            "revenue": self.env["res.partner"]._read_group(
                [("id", "in", [p.id for p in self.people.values()])], [], ["total_revenue:sum", "order_count:sum"]
            )[0],
        }

    def test_erasure_leaves_no_trace_of_the_person_and_keeps_the_figures(self):
        self.assertTrue(self._traces("alice"), "the check finds the person before the erasure")
        before = self._figures()
        wizard = Form(
            self.env["crm.privacy.erase.wizard"]
            .with_user(self.manager)
            .with_context(default_partner_id=self.people["alice"].id)
        )
        self.assertFalse(wizard.blockers)
        wizard.save().action_erase()
        self.assertEqual(self._traces("alice"), [])
        self.assertTrue(self._traces("bob"), "nobody else is touched")
        self.assertEqual(self._figures(), before)
        alice = self.people["alice"]
        self.assertEqual(alice.name, f"Anonymised customer #{alice.id}")
        self.assertFalse(alice.birthday)
        self.assertFalse(self.users["alice"].active)
        log = self.env["crm.privacy.log"].search([("partner_id", "=", alice.id)])
        self.assertEqual((log.operation, log.channel, log.user_id), ("erasure", "staff", self.manager))

    def test_erasure_refused_while_a_complaint_or_compensation_is_open_or_on_legal_hold(self):
        alice = self.people["alice"]
        complaint = self.complaints["alice"]
        complaint.action_reopen()
        wizard = self.env["crm.privacy.erase.wizard"].with_user(self.manager).create({"partner_id": alice.id})
        self.assertIn(complaint.name, wizard.blockers)
        with self.assertRaisesRegex(UserError, "complaints still open"):
            wizard.action_erase()
        complaint.action_close()
        compensation = self.env["crm.complaint.compensation"].create(
            {"complaint_id": complaint.id, "kind": "gift", "amount": 5.0}
        )
        with self.assertRaisesRegex(UserError, "compensations not settled"):
            wizard.action_erase()
        compensation.unlink()
        alice.with_user(self.manager).privacy_legal_hold = True
        with self.assertRaisesRegex(UserError, "legal hold"):
            wizard.action_erase()
        self.assertEqual(alice.name, PEOPLE["alice"]["name"])
        self.assertFalse(self.env["crm.privacy.log"].search([("operation", "=", "erasure")]))
        alice.with_user(self.manager).privacy_legal_hold = False
        wizard.action_erase()
        self.assertNotEqual(alice.name, PEOPLE["alice"]["name"])


@tagged("post_install", "-at_install")
class TestPrivacyLog(PrivacyCase):
    def test_audit_list_is_the_managers_and_read_only(self):
        self._export(self.people["bob"])
        log = self.env["crm.privacy.log"].search([])
        self.assertEqual(len(log), 1)
        self.assertEqual(log.with_user(self.manager).read(["operation"])[0]["operation"], "export")
        for user in (self.salesman, self.users["alice"]):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["crm.privacy.log"].with_user(user).search([])
        with self.assertRaises(AccessError):
            log.with_user(self.manager).write({"operation": "erasure"})
        with self.assertRaises(AccessError):
            log.with_user(self.manager).unlink()

    def test_audit_list_follows_the_companies(self):
        self._export(self.people["bob"])
        other_manager = new_test_user(
            self.env,
            "privacy_manager_2",
            groups="crm_lifecycle.group_crm_care_manager",
            company_id=self.company_2.id,
            company_ids=[Command.set(self.company_2.ids)],
        )
        self.assertFalse(self.env["crm.privacy.log"].with_user(other_manager).search([]))
        self.assertEqual(len(self.env["crm.privacy.log"].with_user(self.manager).search([])), 1)
