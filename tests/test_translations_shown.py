"""Texts the web client shows without translating them: a graph view, a pivot's chart or a dashboard chart
grouped by a yes/no field names its groups `true` and `false` (the web client's graph model prints the raw
value), in every language. No analysis of our addons offers such a grouping: a yes/no split is a selection
with translated values (e.g. crm.churn.report's Complaint in the 90 Days Before). The dashboards' own texts:
<addon>/tests/test_*dashboard_language.py."""

from conftest import ADDONS
from lxml import etree

from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval


@tagged("post_install", "-at_install")
class TestTranslationsShown(TransactionCase):
    def test_no_analysis_groups_by_a_yes_no_field(self):
        views = self.env["ir.ui.view"].search(
            [("type", "in", ("pivot", "graph", "search")), ("model_data_id.module", "in", ADDONS)]
        )
        self.assertTrue(views)
        found = []
        for view in views:
            Model = self.env[view.model]
            arch = etree.fromstring(view.arch_db)
            groupings = [
                field.get("name")
                for field in arch.iter("field")
                if view.type != "search" and field.get("type") != "measure"
            ]
            for node in arch.iter("filter"):
                group_by = safe_eval(node.get("context") or "{}", {"uid": self.env.uid}).get("group_by") or []
                groupings += [group_by] if isinstance(group_by, str) else group_by
            found += [
                f"{view.xml_id}: {name}"
                for name in groupings
                if (field := Model._fields.get(name.split(":")[0])) is not None and field.type == "boolean"
            ]
        self.assertEqual(found, [], "shown as true/false: group by a selection with translated values instead")
