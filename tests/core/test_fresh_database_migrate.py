"""The admin guide's install on an empty database, as an operator types it: `openqms
migrate`, `openqms keys init`, then `openqms check --deploy --fail-level WARNING` with no
issues (its database checks included), on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from urllib.parse import urlparse

import psycopg
import pytest
from django.db import connection

from openqms import __version__

DEPLOY = {
    "OPENQMS_SECRET_KEY": "fresh-install-test-secret-0123456789-abcdefghijklmnopqrstuvw",
    "OPENQMS_ALLOWED_HOSTS": "qms.example.com",
    "OPENQMS_BASE_URL": "https://qms.example.com",
    # not next to the SQLite database (the deploy check warns: openqms.W022)
    "OPENQMS_CHECKPOINT_LOG": "/var/tmp/openqms-fresh-install-test/checkpoints.log",
}


def openqms(args, env):
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
    return subprocess.run(
        [sys.executable, "-m", "openqms", *args],
        capture_output=True,
        text=True,
        env=base,
        timeout=300,
    )


def migrate_then_check(env):
    migrated = openqms(["migrate"], env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    assert "openqms.E003" not in migrated.stdout + migrated.stderr
    made = openqms(["keys", "init"], env)
    assert made.returncode == 0, made.stdout + made.stderr
    checked = openqms(["check", "--deploy", "--fail-level", "WARNING"], {**env, **DEPLOY})
    assert checked.returncode == 0, checked.stdout + checked.stderr
    return migrated


EVENTS = "SELECT action, actor_name, changes FROM core_auditevent ORDER BY seq"


def assert_the_migrate_event(rows):
    # The migrate event, then the version it installed (the instance's own event).
    (action, actor_name, changes), (installed, _, version), *others = rows
    assert others == []
    assert (installed, json.loads(version)) == (
        "core.system.installed",
        {"from": None, "to": __version__},
    )
    assert action == "core.system.migrated"
    assert actor_name.startswith("system (openqms migrate (OS user ")
    changes = json.loads(changes)
    assert changes["openqms_version"] == __version__
    assert "core.0001_initial" in changes["migrations"]
    assert "training.0001_initial" in changes["migrations"]


def test_migrate_on_a_fresh_sqlite_database_works_and_the_deploy_check_passes(tmp_path):
    data = tmp_path / "data"
    migrate_then_check({"OPENQMS_DATA_DIR": str(data)})
    with sqlite3.connect(data / "openqms.sqlite3") as db:
        rows = db.execute(EVENTS).fetchall()
    assert_the_migrate_event(rows)


def test_the_deploy_check_reports_an_unmigrated_database_without_being_told_which(tmp_path):
    env = {"OPENQMS_DATA_DIR": str(tmp_path / "data"), **DEPLOY}
    checked = openqms(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert checked.returncode != 0
    assert "openqms.E003" in checked.stderr
    assert "Database 'default' is not migrated" in checked.stderr


def empty_postgres_database(suffix: str, encoding: str):
    """An empty PostgreSQL database next to the suite's (named after it), then dropped."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    url = os.environ["OPENQMS_DATABASE_URL"]
    parsed = urlparse(url)
    name = f"{parsed.path.lstrip('/')}_{suffix}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f"CREATE DATABASE \"{name}\" ENCODING '{encoding}' TEMPLATE template0")
    yield parsed._replace(path=f"/{name}").geturl()
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_postgres_url():
    yield from empty_postgres_database("fresh", "UTF8")


@pytest.fixture
def ascii_postgres_url():
    yield from empty_postgres_database("ascii", "SQL_ASCII")


def test_migrate_on_a_fresh_postgresql_database_works_and_the_deploy_check_passes(
    fresh_postgres_url, tmp_path
):
    env = {"OPENQMS_DATA_DIR": str(tmp_path / "data"), "OPENQMS_DATABASE_URL": fresh_postgres_url}
    migrate_then_check(env)
    with psycopg.connect(fresh_postgres_url) as db:
        rows = db.execute(EVENTS).fetchall()
    assert_the_migrate_event(rows)


def test_migrate_and_the_deploy_check_refuse_a_postgresql_database_that_is_not_utf8(
    ascii_postgres_url, tmp_path
):
    env = {"OPENQMS_DATA_DIR": str(tmp_path / "data"), "OPENQMS_DATABASE_URL": ascii_postgres_url}
    migrated = openqms(["migrate"], env)
    assert migrated.returncode != 0
    assert "(openqms.E002) Database 'default' uses the SQL_ASCII encoding" in migrated.stderr
    checked = openqms(["check", "--deploy"], {**env, **DEPLOY})
    assert checked.returncode != 0
    assert "(openqms.E002) Database 'default' uses the SQL_ASCII encoding" in checked.stderr
