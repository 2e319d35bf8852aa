"""The demo tells a believable complaint story whatever the moment it is built: mostly on track, some at
risk, a few breached, the resolved ones mostly in time and rated. The demo XML files are loaded with Odoo's
XML loader into the test transaction (the test database has no demo data), at two moments of the week."""

from collections import Counter
from datetime import datetime

from odoo.tests import TransactionCase, tagged
from odoo.tools.convert import convert_file

from odoo.addons.crm_lifecycle.tests.common import frozen
from odoo.addons.mail.tests.common import mail_new_test_user


@tagged("post_install", "-at_install")
class TestDemoComplaintStory(TransactionCase):
    def _load_demo(self, moment):
        # Odoo's demo user (base's demo data, which the demo teams count on) and a few customers
        marc = mail_new_test_user(self.env, login="marc_demo", groups="sales_team.group_sale_salesman")
        self.env["ir.model.data"]._update_xmlids([{"xml_id": "base.user_demo", "record": marc}])
        self.env["res.partner"].create(
            [{"name": f"Customer {n}", "is_company": True, "email": f"c{n}@example.com"} for n in range(8)]
        )
        with frozen(self.env, moment):
            for module, filename in (
                ("crm_lifecycle", "data/res_users_demo.xml"),
                ("crm_lifecycle", "data/crm_segment_demo.xml"),
                ("crm_complaints", "data/crm_complaints_demo.xml"),
            ):
                convert_file(self.env, module, filename, {}, mode="init", noupdate=True)
            self.env.flush_all()
        teams = self.env.ref("crm_complaints.crm_complaint_team_after_sales") | self.env.ref(
            "crm_complaints.crm_complaint_team_store"
        )
        return self.env["crm.complaint"].search([("team_id", "in", teams.ids)])

    def _assert_story(self, complaints, moment):
        self.assertEqual(len(complaints), 30)
        running = complaints.filtered(lambda c: c.state in ("new", "acknowledged", "in_progress", "waiting"))
        status = Counter(running.mapped("sla_status"))
        self.assertEqual(status, {"on_track": 13, "at_risk": 3, "breached": 2}, f"running complaints at {moment}")
        breached = complaints.filtered(lambda c: c.sla_status == "breached")
        self.assertLess(len(breached) / len(complaints), 0.2, "a few breached, not most")
        done = complaints.filtered(lambda c: c.state in ("resolved", "closed"))
        self.assertEqual(len(done), 9)
        self.assertEqual(done.mapped("sla_status").count("met"), 8, "resolved in time but one")
        self.assertTrue(all(c.resolved_date <= moment and c.create_date < c.resolved_date for c in done))
        rated = done.filtered(lambda c: c.rating_ids.filtered(lambda r: r.consumed))
        self.assertEqual(len(rated), 8, "the resolved ones rated by their customer, but one")
        self.assertTrue(all(r.rating >= 3 for r in rated.rating_ids if r.consumed))
        self.assertTrue(all(c.create_date <= moment for c in complaints), "nothing created in the future")
        answered = complaints.filtered("first_response_date")
        self.assertTrue(all(c.create_date <= c.first_response_date <= moment for c in answered))

    def test_demo_complaints_on_a_weekday_morning(self):
        moment = datetime(2026, 6, 15, 2, 30)  # Monday 10:30 in Shanghai, 04:30 in Brussels
        self._assert_story(self._load_demo(moment), moment)

    def test_demo_complaints_on_a_sunday_night(self):
        moment = datetime(2026, 6, 14, 21, 0)  # Sunday 23:00 in Brussels, Monday 05:00 in Shanghai
        self._assert_story(self._load_demo(moment), moment)
