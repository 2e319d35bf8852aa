"""README promise of *Test it* (template databases): work trees sharing one data folder keep each other's
templates; setup/lib.sh's `gc_templates` drops only the long-unused ones, or the least recently used beyond a
count. Run against the configured PostgreSQL server with throwaway databases `crm_care_tpl_test_*` and a
scratch data folder: the real templates (whose filestores are elsewhere) are never looked at."""

import os
import subprocess
import time
import uuid

import pytest
from conftest import REPO_DIR, pg_cursor, query

from odoo.tools import config

DAY = 86400


@pytest.fixture
def scratch(tmp_path):
    """(make(name, age_days), exists(name), gc(current, **env)) on a scratch STATE_DIR; drops what it made."""
    prefix = f"crm_care_tpl_test_{uuid.uuid4().hex[:8]}"
    made = []

    def make(suffix, age_days=0.0):
        name = f"{prefix}_{suffix}"
        with pg_cursor("postgres") as cr:
            cr.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        folder = tmp_path / "data" / "filestore" / name
        folder.mkdir(parents=True)
        marker = folder / ".crm-care-template"
        marker.touch()
        moment = time.time() - age_days * DAY
        os.utime(marker, (moment, moment))
        return name

    def exists(name):
        in_db = bool(query("postgres", "SELECT 1 FROM pg_database WHERE datname = %s", [name]))
        return in_db, (tmp_path / "data" / "filestore" / name).is_dir()

    def gc(current, **env):
        script = f'source "{REPO_DIR}/setup/lib.sh"; STATE_DIR="{tmp_path}"; gc_templates "{current}"'
        subprocess.run(
            ["bash", "-c", script],
            env={
                **os.environ,
                "PGHOST": config["db_host"] or "",
                "PGPORT": str(config["db_port"] or ""),
                "PGUSER": config["db_user"] or "",
                **env,
            },
            check=True,
            timeout=120,
        )

    try:
        yield make, exists, gc
    finally:
        with pg_cursor("postgres") as cr:
            for name in made:
                cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_templates_of_other_dependency_lists_are_kept(scratch):
    make, exists, gc = scratch
    other = make("otherdeps", age_days=2)  # another work tree's dependency list, used two days ago
    current = make("current")
    gc(current)
    assert exists(other) == (True, True)
    assert exists(current) == (True, True)


def test_a_template_unused_for_longer_than_the_age_limit_is_dropped(scratch):
    make, exists, gc = scratch
    stale = make("stale", age_days=31)
    recent = make("recent", age_days=29)
    current = make("current")
    gc(current)
    assert exists(stale) == (False, False)
    assert exists(recent) == (True, True)
    gc(current, CRM_CARE_TEMPLATE_MAX_AGE_DAYS="10")
    assert exists(recent) == (False, False)
    assert exists(current) == (True, True)


def test_beyond_the_count_the_least_recently_used_are_dropped(scratch):
    make, exists, gc = scratch
    oldest = make("oldest", age_days=3)
    older = make("older", age_days=2)
    newer = make("newer", age_days=1)
    current = make("current", age_days=5)  # the one being built or used: never dropped, counted first
    gc(current, CRM_CARE_TEMPLATE_KEEP="3")
    assert exists(newer) == (True, True)
    assert exists(older) == (True, True)
    assert exists(oldest) == (False, False)
    assert exists(current) == (True, True)


def test_a_template_in_use_is_not_dropped(scratch):
    make, exists, gc = scratch
    busy = make("busy", age_days=90)
    current = make("current")
    with pg_cursor(busy):  # a copy or a session on it: dropdb refuses, the template stays whole
        gc(current)
        assert exists(busy) == (True, True)
