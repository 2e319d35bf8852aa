"""Shared fixtures of the cross-addon tests: where the repository, Odoo and the database server are."""

import os
import subprocess
import sys
from contextlib import closing, contextmanager
from pathlib import Path

import psycopg2
import pytest

from odoo.tools import config

REPO_DIR = Path(__file__).resolve().parent.parent
ADDONS = ["crm_lifecycle", "crm_loyalty", "crm_complaints", "crm_lifecycle_pos"]


@contextmanager
def pg_cursor(dbname):
    """A cursor on `dbname` in autocommit mode, connected as the Odoo configuration says; closed after use."""
    with closing(
        psycopg2.connect(
            dbname=dbname,
            host=config["db_host"] or None,
            port=config["db_port"] or None,
            user=config["db_user"] or None,
            password=config["db_password"] or None,
        )
    ) as cnx:
        cnx.autocommit = True
        with cnx.cursor() as cr:
            yield cr


def query(dbname, sql, params=None):
    with pg_cursor(dbname) as cr:
        cr.execute(sql, params)
        return cr.fetchall()


@pytest.fixture(scope="session")
def odoo_conf():
    """The Odoo configuration file of this test run (setup/test writes it)."""
    path = os.environ.get("CRM_CARE_ODOO_CONF") or config["config"]
    if not path:
        pytest.fail("No Odoo configuration file: run the tests with setup/test")
    return path


@pytest.fixture(scope="session")
def odoo_bin(odoo_conf):
    """The command that runs odoo-bin with this test run's configuration file, as a list."""
    odoo_src = Path(config.root_path).parent  # root_path is the odoo package
    return [sys.executable, str(odoo_src / "odoo-bin"), "-c", odoo_conf]


def run(cmd, **kwargs):
    """Runs `cmd`, returning its output; fails the test with that output when `cmd` fails."""
    proc = subprocess.run(cmd, cwd=REPO_DIR, capture_output=True, text=True, check=False, **kwargs)
    if proc.returncode:
        pytest.fail(f"{' '.join(map(str, cmd))} exited with {proc.returncode}:\n{proc.stdout}{proc.stderr}")
    return proc.stdout
