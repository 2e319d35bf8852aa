"""Odoo's own test runner (`odoo-bin --test-enable`, as runbot and OCA's CI run it) runs only the test modules an
addon's tests/__init__.py imports; pytest finds every file. Every test_*.py of an addon must be imported there,
or it silently never runs under Odoo's runner."""

import re

from conftest import ADDONS, REPO_DIR


def test_every_test_module_is_imported_by_its_addon():
    missing = []
    for addon in ADDONS:
        tests = REPO_DIR / addon / "tests"
        if not tests.is_dir():
            continue
        imported = set(re.findall(r"^from \. import (\w+)$", (tests / "__init__.py").read_text(), re.M))
        missing += [
            f"{addon}/tests/{path.name}" for path in sorted(tests.glob("test_*.py")) if path.stem not in imported
        ]
    assert missing == []
