"""Migration 0011 on an existing SQLite trail: the seal column is added without rebuilding
the append-only table, so its triggers never go missing and old events verify unchanged
(blank seals, written before any key; the first checkpoint covers them)."""

import json
import sqlite3

import pytest
from django.db import connection

from tests.core.test_fresh_database_migrate import openqms

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite rebuilds tables to alter them"
)


def as_before_0011(database) -> None:
    """The database as OpenQMS left it before migration 0011 (no seal, no checkpoints, and
    none of the later core migrations: 0012's audit-trail reviews, 0013's retention, 0015's
    record links, and documents 0021, which depends on 0013)."""
    with sqlite3.connect(database) as db:
        db.execute("ALTER TABLE core_auditevent DROP COLUMN seal")
        db.execute("DROP TABLE core_checkpoint")
        db.execute("DROP TABLE core_auditreview")
        for table in (
            "core_retentionrule",
            "core_recordhold",
            "core_recorddisposition",
            "core_recordlink",
        ):
            db.execute(f"DROP TABLE {table}")
        db.execute("DELETE FROM django_migrations WHERE app = 'core' AND name >= '0011'")
        db.execute(
            "DELETE FROM django_migrations WHERE app = 'documents' AND name >= '0021_retention'"
        )


def test_0011_keeps_the_triggers_and_the_old_events_verify(tmp_path):
    env = {
        "OPENQMS_DATA_DIR": str(tmp_path / "data"),
        "OPENQMS_CHECKPOINT_LOG": str(tmp_path / "log" / "checkpoints.log"),
    }
    assert openqms(["migrate"], env).returncode == 0
    database = tmp_path / "data" / "openqms.sqlite3"
    as_before_0011(database)

    migrated = openqms(["migrate"], env)
    assert migrated.returncode == 0, migrated.stderr
    with sqlite3.connect(database) as db:
        (changes,) = db.execute(
            "SELECT changes FROM core_auditevent WHERE action = 'core.system.migrated' "
            "ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seals = [row[0] for row in db.execute("SELECT seal FROM core_auditevent ORDER BY seq")]
    assert json.loads(changes)["migrations"][0] == "core.0011_checkpoints_and_seals"
    assert json.loads(changes)["triggers_reinstalled"] == []  # none went missing
    # migrated, the version installed (core.system.installed), migrated again: no key yet
    assert seals == ["", "", ""]

    assert openqms(["keys", "init"], env).returncode == 0
    assert openqms(["audit", "checkpoint"], env).returncode == 0
    verified = openqms(["audit", "verify"], env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.splitlines()[1].startswith("anchored: 1 checkpoint(s) checked")
