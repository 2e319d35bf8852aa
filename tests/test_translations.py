"""Every term that Odoo would export for our addons (code, views, data: odoo-bin i18n export) has a
Simplified Chinese translation in <addon>/i18n/zh_CN.po, and the addon's .pot template is up to date.
setup/i18n refreshes the .pot files and merges them into zh_CN.po; then fill in the empty msgstr."""

from collections import defaultdict

import polib
from conftest import ADDONS, REPO_DIR

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestChineseTranslations(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.terms = defaultdict(set)
        for module, _type, _name, _res_id, source, _value, _comments in TranslationModuleReader(cls.env.cr, ADDONS):
            cls.terms[module].add(source)

    def assertNoMissingTerms(self, missing_by_file, problem):
        report = [
            f"{path.relative_to(REPO_DIR)} {problem} {len(terms)} terms:\n    " + "\n    ".join(terms)
            for path, terms in missing_by_file.items()
            if terms
        ]
        if report:
            self.fail("\n".join(report))

    def test_every_addon_has_a_template_and_a_chinese_translation_file(self):
        expected = [REPO_DIR / addon / "i18n" / name for addon in ADDONS for name in (f"{addon}.pot", "zh_CN.po")]
        missing = [str(path.relative_to(REPO_DIR)) for path in expected if not path.is_file()]
        self.assertFalse(missing, f"missing (run setup/i18n): {', '.join(missing)}")

    def test_every_addon_has_a_template_with_all_its_terms(self):
        missing = {}
        for addon in ADDONS:
            pot = REPO_DIR / addon / "i18n" / f"{addon}.pot"
            known = {entry.msgid for entry in polib.pofile(str(pot))} if pot.is_file() else set()
            missing[pot] = sorted(self.terms[addon] - known)
        self.assertNoMissingTerms(missing, "lacks (run setup/i18n)")

    def test_every_term_has_a_chinese_translation(self):
        missing = {}
        for addon in ADDONS:
            po_path = REPO_DIR / addon / "i18n" / "zh_CN.po"
            translated = {
                entry.msgid
                for entry in (polib.pofile(str(po_path)) if po_path.is_file() else [])
                if entry.msgstr.strip() and not entry.obsolete and "fuzzy" not in entry.flags
            }
            missing[po_path] = sorted(self.terms[addon] - translated)
        self.assertNoMissingTerms(missing, "has no translation (run setup/i18n, then fill their msgstr) for")
