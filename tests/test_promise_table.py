"""tests/README.md maps every README promise to tests: each test it names must exist (a renamed or removed
test would leave a promise unproven without anyone noticing); so must every test a README names."""

import ast
import re
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
ADDONS = ("crm_lifecycle", "crm_loyalty", "crm_complaints", "crm_lifecycle_pos")
FOLDERS = {
    "LC": "crm_lifecycle/tests",
    "LY": "crm_loyalty/tests",
    "CP": "crm_complaints/tests",
    "PS": "crm_lifecycle_pos/tests",
    "T": "tests",
}


def _names(path):
    """{class name: its methods} and the module-level functions of a test file."""
    tree = ast.parse(path.read_text())
    classes = {
        node.name: {item.name for item in node.body if isinstance(item, ast.FunctionDef)}
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    return classes, functions


def _missing():
    """Every `file::Class::test`, `::Class::test` or `::test` of the table that names nothing."""
    missing = []
    for line in (REPO_DIR / "tests" / "README.md").read_text().splitlines():
        if not line.startswith("| "):
            continue
        classes, functions, current = {}, set(), None
        for token in re.findall(r"`([^`]+)`", line):
            full = re.fullmatch(r"(LC|LY|CP|PS|T)/([\w/]+\.py)((?:::\w+){0,2})", token)
            short = re.fullmatch(r"((?:::\w+){1,2})", token)
            if full:
                path = REPO_DIR / FOLDERS[full.group(1)] / full.group(2)
                if not path.exists():
                    missing.append(token)
                    classes, functions = {}, set()
                    continue
                classes, functions = _names(path)
                parts = full.group(3).split("::")[1:]
            elif short and (classes or functions):
                parts = short.group(1).split("::")[1:]
            else:
                continue
            if len(parts) == 2:
                current = parts[0]
                if parts[1] not in classes.get(current, ()):
                    missing.append(token)
            elif len(parts) == 1:
                name = parts[0]
                if name in classes:
                    current = name
                elif name not in functions and name not in classes.get(current, ()):
                    missing.append(token)
    return missing


def test_every_test_named_in_the_promise_table_exists():
    assert _missing() == []


def test_every_test_a_readme_names_exists():
    """A README naming a test file (e.g. the example `setup/test crm_lifecycle/tests/test_lifecycle_stages.py`)
    or a test function must name one that exists: relative to the README's folder or to the repository."""
    readmes = [REPO_DIR / "README.md"] + [REPO_DIR / addon / "README.md" for addon in ADDONS]
    all_tests = "\n".join(path.read_text() for path in REPO_DIR.glob("**/tests/test_*.py"))
    missing = []
    for readme in readmes:
        text = readme.read_text()
        for name in set(re.findall(r"[\w/]*tests/test_\w+\.py", text)):
            if not (readme.parent / name).exists() and not (REPO_DIR / name).exists():
                missing.append(f"{readme.relative_to(REPO_DIR)}: {name}")
        for name in set(re.findall(r"`(test_\w+)`", text)):
            if f"def {name}(" not in all_tests:
                missing.append(f"{readme.relative_to(REPO_DIR)}: {name}")
    assert missing == []
