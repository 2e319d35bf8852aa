"""The three addons install with demo data, uninstall (last one first) without leaving tables, columns,
menus or external ids behind, and install again. Runs odoo-bin on a database of its own, copied from the
demo template that setup/test keeps (or built from nothing when run without it)."""

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ADDONS, pg_cursor, query, run

from odoo.tests.common import get_db_name
from odoo.tools import config

# Tables of our own models are named after them; these prefixes catch any that the list below misses.
TABLE_PREFIXES = ("crm_lifecycle_", "crm_segment", "crm_care_", "crm_loyalty_", "crm_complaint")
LOG_PROBLEM = re.compile(r" \d+ (ERROR|CRITICAL) | \d+ WARNING .*crm[._](lifecycle|loyalty|complaint|care|segment)")

# Models, and stored fields on others' models, that only our addons declare (an extension of res.partner
# gets an external id of ours too, next to base's).
OUR_MODELS = """
    SELECT replace(m.model, '.', '_') FROM ir_model m
     WHERE EXISTS (SELECT FROM ir_model_data d
                    WHERE d.model = 'ir.model' AND d.res_id = m.id AND d.module = ANY(%(ours)s))
       AND NOT EXISTS (SELECT FROM ir_model_data d
                        WHERE d.model = 'ir.model' AND d.res_id = m.id AND d.module <> ALL(%(ours)s))
"""
OUR_RELATIONS = """
    SELECT r.name FROM ir_model_relation r JOIN ir_module_module mm ON mm.id = r.module
     WHERE mm.name = ANY(%(ours)s)
"""
OUR_COLUMNS = """
    SELECT replace(f.model, '.', '_'), f.name FROM ir_model_fields f
     WHERE f.store AND f.ttype NOT IN ('one2many', 'many2many')
       AND EXISTS (SELECT FROM ir_model_data d
                    WHERE d.model = 'ir.model.fields' AND d.res_id = f.id AND d.module = ANY(%(ours)s))
       AND NOT EXISTS (SELECT FROM ir_model_data d
                        WHERE d.model = 'ir.model.fields' AND d.res_id = f.id AND d.module <> ALL(%(ours)s))
"""
OUR_MENUS = "SELECT res_id FROM ir_model_data WHERE model = 'ir.ui.menu' AND module = ANY(%(ours)s)"

UNINSTALL = """
import sys
from odoo import api, SUPERUSER_ID
from odoo.modules.registry import Registry
from odoo.tools import config
conf, db, *modules = sys.argv[1:]
config.parse_config(["-c", conf, "-d", db, "--no-http", "--log-level=warn"], setup_logging=True)
for name in modules:  # one at a time, as in Apps, each with the registry that the previous one left
    with Registry(db).cursor() as cr:
        module = api.Environment(cr, SUPERUSER_ID, {})["ir.module.module"].search([("name", "=", name)])
        module.button_immediate_uninstall()
"""


def filestore(db):
    return Path(config["data_dir"]) / "filestore" / db


def drop_database(db):
    with pg_cursor("postgres") as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    shutil.rmtree(filestore(db), ignore_errors=True)


def assert_clean_log(log, what):
    problems = [line for line in Path(log).read_text().splitlines() if LOG_PROBLEM.search(line)]
    assert not problems, f"{what} logged problems (full log: {log}):\n" + "\n".join(problems)


def install_with_demo(odoo_bin, db, log):
    addons = ",".join(ADDONS)
    run([*odoo_bin, "-d", db, "-i", addons, "--with-demo", "--stop-after-init", "--log-level=info", "--logfile", log])
    assert_clean_log(log, f"installing {addons} with demo data")
    states = query(db, "SELECT name, state, demo FROM ir_module_module WHERE name = ANY(%s)", [ADDONS])
    assert sorted(states) == sorted((name, "installed", True) for name in ADDONS), "not installed with demo data"


def test_installation_of_the_test_database_logged_no_warning_about_our_addons():
    log = os.environ.get("CRM_CARE_INSTALL_LOG")
    if not log:
        pytest.skip("setup/test passes the log of its installation in CRM_CARE_INSTALL_LOG")
    assert_clean_log(log, "installing the addons in the test database")


def our_footprint(db):
    """Our addons' tables, the columns they add to others' tables, and their menus."""
    ours = {"ours": ADDONS}
    tables = {name for (name,) in query(db, OUR_MODELS, ours) + query(db, OUR_RELATIONS, ours)}
    tables &= {name for (name,) in query(db, "SELECT tablename FROM pg_tables")}  # abstract models have none
    columns = {column for column in query(db, OUR_COLUMNS, ours) if column[0] not in tables}
    menus = [res_id for (res_id,) in query(db, OUR_MENUS, ours)]
    return tables, columns, menus


def test_install_with_demo_uninstall_and_reinstall(odoo_bin, odoo_conf, tmp_path):
    db = f"{get_db_name()}_install"
    template = os.environ.get("CRM_CARE_DEMO_TEMPLATE")
    drop_database(db)
    try:
        if template:
            with pg_cursor("postgres") as cr:
                cr.execute(f'CREATE DATABASE "{db}" TEMPLATE "{template}"')
            if filestore(template).is_dir():
                shutil.copytree(filestore(template), filestore(db))

        install_with_demo(odoo_bin, db, tmp_path / "install.log")
        tables, columns, menus = our_footprint(db)
        assert menus, "found no menu of our addons"

        run([sys.executable, "-c", UNINSTALL, odoo_conf, db, *reversed(ADDONS)])

        states = query(db, "SELECT name, state FROM ir_module_module WHERE name = ANY(%s)", [ADDONS])
        assert sorted(states) == sorted((name, "uninstalled") for name in ADDONS)
        left_tables = sorted(
            name
            for (name,) in query(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            if name in tables or name.startswith(TABLE_PREFIXES)
        )
        assert not left_tables, f"tables left after uninstall: {left_tables}"
        all_columns = query(db, "SELECT table_name, column_name FROM information_schema.columns")
        left_columns = sorted(columns & set(all_columns))
        assert not left_columns, f"columns left after uninstall: {left_columns}"
        left_menus = query(db, "SELECT id, name->>'en_US' FROM ir_ui_menu WHERE id = ANY(%s)", [menus])
        assert not left_menus, f"menus left after uninstall: {left_menus}"
        left_xmlids = query(db, "SELECT module, name, model FROM ir_model_data WHERE module = ANY(%s)", [ADDONS])
        assert not left_xmlids, f"external ids left after uninstall: {left_xmlids}"

        install_with_demo(odoo_bin, db, tmp_path / "reinstall.log")
    finally:
        drop_database(db)
