"""README promises of "Installing the addons": the Apps search for "CRM Care" finds the three addons by the
names the README gives, crm_loyalty and crm_complaints depend on crm_lifecycle, and installing them brings
in Sales, CRM, Loyalty and Surveys."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestReadmeInstall(TransactionCase):
    def _closure(self, module):
        """Every module an install of `module` brings in."""
        seen, todo = set(), [module]
        while todo:
            current = todo.pop()
            for dependency in current.dependencies_id.depend_id:
                if dependency.name not in seen:
                    seen.add(dependency.name)
                    todo.append(dependency)
        return seen

    def test_apps_search_finds_the_three_addons_with_their_names(self):
        found = self.env["ir.module.module"].search([("shortdesc", "ilike", "CRM Care")])
        names = {module.name: module.shortdesc for module in found}
        readme = {
            "crm_lifecycle": "CRM Care: Customer Lifecycle",
            "crm_loyalty": "CRM Care: Loyalty Tiers",
            "crm_complaints": "CRM Care: Complaints",
        }
        self.assertEqual({name: names.get(name) for name in readme}, readme)
        self.assertEqual(set(found.filtered(lambda m: m.name in readme).mapped("state")), {"installed"})

    def test_the_addons_bring_in_what_they_need(self):
        Module = self.env["ir.module.module"]
        lifecycle, loyalty, complaints = (
            Module.search([("name", "=", name)]) for name in ("crm_lifecycle", "crm_loyalty", "crm_complaints")
        )
        self.assertIn("crm_lifecycle", self._closure(loyalty))
        self.assertIn("crm_lifecycle", self._closure(complaints))
        self.assertLessEqual({"sale_management", "crm", "survey"}, self._closure(lifecycle))
        self.assertIn("loyalty", self._closure(loyalty))

    def test_the_pos_bridge_installs_itself_with_point_of_sale(self):
        bridge = self.env["ir.module.module"].search([("name", "=", "crm_lifecycle_pos")])
        self.assertTrue(bridge.auto_install, "installed automatically")
        self.assertEqual(set(bridge.dependencies_id.mapped("name")), {"crm_lifecycle", "point_of_sale"})
        self.assertIn("CRM Care", bridge.shortdesc)
