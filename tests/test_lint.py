"""Lint as tests, so that a lint failure shows in pytest's summary: ruff (check and format), pylint-odoo
with OCA's mandatory checks (.pylintrc), and OCA's module and PO checks (.oca_hooks.cfg).
`setup/lint --fix` applies what ruff can fix."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ADDONS, REPO_DIR


def lint_tool(name):
    """An executable of the lint virtualenv that setup/lib.sh builds (the tools pin a newer polib than Odoo)."""
    lint_bin = os.environ.get("CRM_CARE_LINT_BIN")
    if not lint_bin:
        pytest.fail("CRM_CARE_LINT_BIN is not set: run the lint through setup/test or setup/lint")
    return str(Path(lint_bin) / name)


def translation_files():
    return sorted(str(path.relative_to(REPO_DIR)) for addon in ADDONS for path in (REPO_DIR / addon).glob("i18n/*.po*"))


LINTERS = {
    "ruff-check": lambda: [sys.executable, "-m", "ruff", "check", "--no-fix", "."],
    "ruff-format": lambda: [sys.executable, "-m", "ruff", "format", "--check", "."],
    "pylint-odoo": lambda: [sys.executable, "-m", "pylint", "--rcfile=.pylintrc", *ADDONS],  # see run_env()
    "oca-checks-odoo-module": lambda: [lint_tool("oca-checks-odoo-module"), *ADDONS],
    "oca-checks-po": lambda: [lint_tool("oca-checks-po"), *translation_files()],
}

FIX_HINTS = {
    "ruff-check": "setup/lint --fix fixes what ruff can; fix the rest by hand.",
    "ruff-format": "setup/lint --fix reformats.",
}


def run_env():
    """The environment of the linters: without Odoo on PYTHONPATH, as in OCA's pre-commit, where pylint-odoo
    runs in a virtualenv of its own. The checks do not need Odoo, and pylint is three times faster without it."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}


@pytest.mark.parametrize("linter", sorted(LINTERS))
def test_lint(linter):
    cmd = LINTERS[linter]()
    if linter == "oca-checks-po" and len(cmd) == 1:
        pytest.skip("no translation files yet")
    proc = subprocess.run(cmd, cwd=REPO_DIR, capture_output=True, text=True, check=False, env=run_env())
    if proc.returncode:
        hint = FIX_HINTS.get(linter, "see .pylintrc, .oca_hooks.cfg and pyproject.toml for the enabled checks.")
        pytest.fail(f"{linter} found problems ({hint})\n{proc.stdout}{proc.stderr}", pytrace=False)
