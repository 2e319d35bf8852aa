"""The demo's complaints are filed under the shipped, translated categories: no English-only duplicate of a
shipped category ("Delivery" twice, "Billing" in English in the Chinese interface). The demo XML files are
loaded with Odoo's XML loader into the test transaction (the test database has no demo data), in a database
where Chinese is loaded, as setup/demo builds it."""

from datetime import datetime

from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from odoo.addons.crm_complaints.tests import test_demo_story


@tagged("post_install", "-at_install")
class TestDemoCategories(TransactionCase):
    def setUp(self):
        super().setUp()
        self.env["res.lang"]._activate_lang("zh_CN")
        self.complaints = test_demo_story.TestDemoComplaintStory._load_demo(self, datetime(2026, 6, 15, 2, 30))
        # what installing the addon does in a database where Chinese is loaded (setup/demo): the .po file's
        # terms and the data files' own Chinese names (name@zh_CN)
        self.env["ir.module.module"]._load_module_terms(["crm_complaints"], ["zh_CN"], overwrite=True)
        self.env.invalidate_all()  # the translations are written in SQL

    def _untranslated(self, records):
        """The records of `records` whose name has no Chinese translation of its own."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM %s WHERE id = ANY(%s) AND NOT name ? 'zh_CN'",
                SQL.identifier(records._table),
                records.ids,
            )
        )
        return records.browse(row[0] for row in rows)

    def test_no_two_active_categories_with_the_same_complete_name(self):
        categories = self.env["crm.complaint.category"].search([])
        self.assertGreaterEqual(len(categories), 20)
        for lang in ("en_US", "zh_CN"):
            with self.subTest(lang=lang):
                names = categories.with_context(lang=lang).mapped("display_name")
                self.assertEqual(
                    sorted(name for name in set(names) if names.count(name) > 1), [], "categories named twice"
                )

    def test_every_demo_category_has_a_chinese_name(self):
        categories = self.env["crm.complaint.category"].search([])
        self.assertFalse(self._untranslated(categories).mapped("display_name"), "categories without Chinese name")
        used = self.complaints.category_id
        self.assertGreaterEqual(len(used), 5, "the demo complaints spread over the categories")
        self.assertEqual(
            self.complaints.filtered(lambda c: not c.category_id), self.complaints.browse(), "every one filed"
        )
        zh = used.with_context(lang="zh_CN")
        self.assertIn("物流配送 / 延迟送达", zh.mapped("display_name"))

    def test_demo_teams_and_policies_have_a_chinese_name(self):
        teams = self.complaints.team_id
        policies = self.env["crm.complaint.sla"].search([])
        self.assertEqual(len(teams), 2)
        self.assertFalse(self._untranslated(teams).mapped("name"), "teams without Chinese name")
        self.assertFalse(self._untranslated(policies).mapped("name"), "SLA policies without Chinese name")
