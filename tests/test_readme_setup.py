"""README promise of the Prerequisites: without an Odoo 19.0 source tree the commands stop at once and say
so (ODOO_SRC, odoo-bin on PATH or an importable odoo package are looked for)."""

import subprocess
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parent.parent


def _run(command, **env):
    """`command` with a bare environment: no ODOO_SRC, no odoo-bin on PATH, no PYTHONPATH."""
    return subprocess.run(
        ["bash", str(REPO_DIR / command)],
        env={"HOME": str(Path.home()), "PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _bare_environment_finds_odoo():
    """On a machine whose system Python imports odoo (or with /usr/bin/odoo-bin) the commands would run."""
    if (Path("/usr/bin/odoo-bin")).exists():
        return True
    probe = subprocess.run(
        ["/usr/bin/env", "-i", "PATH=/usr/bin:/bin", "python3", "-c", "import odoo"], capture_output=True, check=False
    )
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(_bare_environment_finds_odoo(), reason="Odoo is installed system-wide here")


@pytest.mark.parametrize("command", ["setup/test", "setup/demo", "setup/lint", "setup/i18n"])
def test_without_odoo_the_commands_stop_and_say_so(command):
    result = _run(command)
    assert result.returncode != 0
    assert "Odoo 19.0 not found" in result.stderr + result.stdout
    assert "ODOO_SRC" in result.stderr + result.stdout


def test_an_odoo_src_that_is_not_odoo_19_is_refused(tmp_path):
    result = _run("setup/test", ODOO_SRC=str(tmp_path))
    assert result.returncode != 0
    assert "is not Odoo 19.0" in result.stderr + result.stdout
