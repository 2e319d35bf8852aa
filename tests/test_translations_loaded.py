"""The Chinese translations are the ones Odoo actually loads: every term occurrence Odoo exports for our addons
(a menu's name, a field's label, a view's text, a code string) comes out of Odoo's own .po reader with its
Chinese text.

Odoo reads <addon>/i18n/zh_CN.po merged with the addon's template <addon>.pot (odoo.tools.translate's
PoFileReader, used when a language is loaded or an addon installed or updated): an entry of zh_CN.po that the
.pot lacks is read as obsolete and dropped, and an entry's references (which menu, which field) are the
.pot's. A zh_CN.po that has every term (tests/test_translations.py) therefore still leaves menus, fields and
messages in English when the .pot is stale (setup/i18n exports it again)."""

from collections import defaultdict

from conftest import ADDONS, REPO_DIR

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import PoFileReader, TranslationModuleReader


def _key(kind, name, xmlid, source):
    # code terms are looked up by their source text only; record terms by field, record and source text
    return ("code", source) if kind == "code" else (kind, name, xmlid, source)


@tagged("post_install", "-at_install")
class TestChineseTranslationsLoaded(TransactionCase):
    def test_every_exported_term_is_loaded_in_chinese(self):
        exported = defaultdict(set)
        for module, kind, name, res_id, source, _value, _comments in TranslationModuleReader(self.env.cr, ADDONS):
            exported[module].add(_key(kind, name, res_id, source))
        report = []
        for addon in ADDONS:
            po_path = REPO_DIR / addon / "i18n" / "zh_CN.po"
            if not po_path.is_file():
                continue  # tests/test_translations.py reports the missing file
            loaded = set()
            with po_path.open("rb") as po_file:
                for entry in PoFileReader(po_file):
                    if entry["value"].strip():
                        xmlid = f"{entry['module']}.{entry['imd_name']}" if entry["type"] != "code" else None
                        loaded.add(_key(entry["type"], entry["name"], xmlid, entry["src"]))
            missing = sorted(exported[addon] - loaded, key=str)
            if missing:
                report.append(
                    f"{po_path.relative_to(REPO_DIR)}: {len(missing)} terms Odoo does not load in Chinese "
                    "(stale .pot? run setup/i18n):\n    " + "\n    ".join(map(str, missing[:40]))
                )
        if report:
            self.fail("\n".join(report))
