"""Reply scripts (话术) ship as Odoo canned responses, in English and Chinese, shared with the Customer Care
users (complaint teams included), found the way the chatter's "::" suggestion finds them, edited by managers."""

import re

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

CJK = re.compile(r"[\u4e00-\u9fff]")
# topic: (addon, xml id stem); each stem has an English (_en) and a Chinese (_zh) record.
SCRIPTS = {
    "unclear needs": ("crm_lifecycle", "canned_response_needs_clarify"),
    "misunderstanding": ("crm_lifecycle", "canned_response_misunderstanding"),
    "customer leaving": ("crm_lifecycle", "canned_response_leaving"),
    "follow-up visit": ("crm_lifecycle", "canned_response_follow_up_visit"),
    "satisfaction call": ("crm_lifecycle", "canned_response_satisfaction_call"),
    "complaint: apology": ("crm_complaints", "canned_response_complaint_apology"),
    "complaint: ownership": ("crm_complaints", "canned_response_complaint_ownership"),
    "complaint: next step": ("crm_complaints", "canned_response_complaint_next_step"),
    "complaint: compensation": ("crm_complaints", "canned_response_complaint_compensation"),
}


@tagged("post_install", "-at_install")
class TestReplyScripts(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scripts = cls.env["mail.canned.response"]
        for addon, stem in SCRIPTS.values():
            cls.scripts |= cls.env.ref(f"{addon}.{stem}_en") | cls.env.ref(f"{addon}.{stem}_zh")
        cls.team_member = mail_new_test_user(
            cls.env,
            login="script_agent",
            name="Li Na",
            groups="sales_team.group_sale_salesman",
            password="script_agent",
        )
        cls.env["crm.complaint.team"].create({"name": "Hotline", "member_ids": [Command.set(cls.team_member.ids)]})
        cls.employee = mail_new_test_user(
            cls.env, login="script_employee", name="Eve Employee", groups="base.group_user", password="script_employee"
        )
        cls.care_manager = mail_new_test_user(
            cls.env, login="script_manager", name="Zhou Min", groups="crm_lifecycle.group_crm_care_manager"
        )

    def _fetch_canned_responses(self, login):
        """The canned responses the web client loads for the "::" suggestion of `login`'s composer."""
        self.authenticate(login, login)
        result = self.make_jsonrpc_request("/mail/data", {"fetch_params": ["mail.canned.response"]})
        return {values["source"]: values["substitution"] for values in result.get("mail.canned.response", [])}

    def test_every_topic_in_english_and_in_chinese(self):
        for topic, (addon, stem) in SCRIPTS.items():
            english = self.env.ref(f"{addon}.{stem}_en")
            chinese = self.env.ref(f"{addon}.{stem}_zh")
            with self.subTest(topic=topic):
                self.assertFalse(CJK.search(english.source + english.substitution), "English shortcut and text")
                self.assertTrue(CJK.search(chinese.source), "a Chinese shortcut, typed with a Chinese input method")
                self.assertGreater(len(CJK.findall(chinese.substitution)), 30, "a Chinese script")
                self.assertGreater(len(english.substitution.split()), 25, "a script, not a placeholder")
        self.assertEqual(len(set(self.scripts.mapped("source"))), len(SCRIPTS) * 2, "one shortcut per script")

    def test_shared_with_the_customer_care_users(self):
        care_users = self.env.ref("crm_lifecycle.group_crm_care_user")
        for script in self.scripts:
            with self.subTest(shortcut=script.source):
                self.assertEqual(script.group_ids, care_users)
                self.assertTrue(script.is_shared)

    def test_a_complaint_team_member_finds_them_with_the_shortcut_prefixes(self):
        found = self._fetch_canned_responses("script_agent")
        self.assertLessEqual(set(self.scripts.mapped("source")), set(found))
        # "::complaint" and "::投诉" list the four steps of a complaint answer, in each language
        self.assertEqual(len([source for source in found if "complaint" in source]), 4)
        self.assertEqual(len([source for source in found if "投诉" in source]), 4)
        self.assertEqual(len([source for source in found if "回访" in source]), 2, "follow-up and satisfaction calls")
        self.assertIn("apology", " ".join(found))

    def test_not_shown_to_employees_outside_customer_care(self):
        self.assertFalse(set(self.scripts.mapped("source")) & set(self._fetch_canned_responses("script_employee")))

    def test_managers_edit_them_users_do_not(self):
        script = self.env.ref("crm_complaints.canned_response_complaint_apology_zh")
        with self.assertRaises(AccessError):
            script.with_user(self.team_member).write({"substitution": "改写"})
        script.with_user(self.care_manager).write({"substitution": "非常抱歉给您添麻烦了。"})
        self.assertEqual(script.substitution, "非常抱歉给您添麻烦了。")
