"""Migration 0018 on an instance that already holds imported originals: their text is
read from the file store and found by search, without anyone attaching them again."""

import sqlite3
import subprocess
import sys

import pytest
from django.db import connection

from tests.core.test_fresh_database_migrate import openqms
from tests.documents.original_files import docx

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="one engine is enough for the data step"
)


def as_before_0018(database) -> None:
    """The database as OpenQMS left it before migration 0018 (no text, no index). The
    merge 0020 depends on 0018, and 0021 on 0020, so they are unrecorded too (neither
    changes the schema: 0020 has no operations, 0021 only a help text)."""
    with sqlite3.connect(database) as db:
        for event in ("insert", "update", "delete"):
            db.execute(f"DROP TRIGGER documents_attachment_fts_{event}")
        db.execute("DROP TABLE documents_attachment_fts")
        db.execute("ALTER TABLE documents_attachment DROP COLUMN text")
        db.execute(
            "DELETE FROM django_migrations WHERE app = 'documents' "
            "AND (name LIKE '0018_%' OR name LIKE '0020_%' OR name LIKE '0021_%')"
        )


def test_0018_reads_the_text_of_originals_already_kept(tmp_path):
    env = {
        "OPENQMS_DATA_DIR": str(tmp_path / "data"),
        "OPENQMS_CHECKPOINT_LOG": str(tmp_path / "log" / "checkpoints.log"),
    }
    assert openqms(["migrate"], env).returncode == 0
    user = ["createuser", "qa", "--full-name", "Q A", "--role", "qa_lead", "--password-stdin"]
    created = subprocess.run(
        [sys.executable, "-m", "openqms", *user],
        input="a long enough password 1\n",
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **env},
        timeout=300,
    )
    assert created.returncode == 0, created.stderr
    folder = tmp_path / "legacy"
    folder.mkdir()
    (folder / "Line clearance.docx").write_bytes(docx("Clear the line before each batch."))
    imported = openqms(
        ["documents", "import", str(folder), "--owner", "qa", "--type", "work_instruction"], env
    )
    assert imported.returncode == 0, imported.stderr
    database = tmp_path / "data" / "openqms.sqlite3"
    as_before_0018(database)

    migrated = openqms(["migrate"], env)
    assert migrated.returncode == 0, migrated.stderr
    assert "Applying documents.0018_attachment_text... OK" in migrated.stdout
    assert "Applying documents.0020_merge_issue_10... OK" in migrated.stdout
    with sqlite3.connect(database) as db:
        (text,) = db.execute("SELECT text FROM documents_attachment").fetchone()
        found = db.execute(
            "SELECT rowid FROM documents_attachment_fts WHERE documents_attachment_fts MATCH ?",
            ['"clear" "batch"'],
        ).fetchall()
    assert text == "Clear the line before each batch."
    assert len(found) == 1
