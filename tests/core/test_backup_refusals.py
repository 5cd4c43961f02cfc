"""`openqms backup` and `openqms restore` refuse before they write anything: a target
directory that holds files, a damaged backup (naming the damaged part), a backup of
another engine or schema, and an instance that already holds records."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

import openqms
from openqms.core import backup, checkpoints
from openqms.core.actions.instance import record_migration
from openqms.core.models import AuditEvent, StoredFile, User
from openqms.testing import event_count


@pytest.fixture
def made(db, tmp_path, file_store) -> Path:
    """A backup of the (empty) test database; the backup's own event is not in it."""
    target = tmp_path / "backup"
    call_command("backup", str(target), stdout=io.StringIO())
    return target


OTHER_KEY = "ed25519:" + "A" * 43 + "="


def state(store: Path) -> tuple:
    files = (
        sorted(p.relative_to(store).as_posix() for p in store.rglob("*")) if store.exists() else []
    )
    return event_count(), User.objects.count(), StoredFile.objects.count(), files


def restore_refused(source: Path, store: Path) -> str:
    before = state(store)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(source), stdout=io.StringIO())
    assert state(store) == before
    return str(refused.value)


def dump_name() -> str:
    return backup.POSTGRES_DUMP if connection.vendor == "postgresql" else backup.SQLITE_DUMP


def test_backup_refuses_a_directory_that_holds_files(db, tmp_path, file_store):
    target = tmp_path / "used"
    target.mkdir()
    (target / "notes.txt").write_text("someone's notes")
    events = event_count()
    with pytest.raises(CommandError) as refused:
        call_command("backup", str(target), stdout=io.StringIO())
    assert str(refused.value) == (
        f"{target} exists and is not an empty directory: choose a new one."
    )
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert event_count() == events


def test_restore_refuses_a_backup_with_one_byte_changed_and_names_the_file(made, file_store):
    dump = made / dump_name()
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0x01
    dump.write_bytes(bytes(data))
    assert restore_refused(made, file_store) == (
        f"The backup is damaged: {dump_name()} does not match its SHA-256 in the manifest."
    )


def test_restore_refuses_a_backup_missing_a_file(made, file_store):
    (made / dump_name()).unlink()
    assert restore_refused(made, file_store) == (
        f"The backup is damaged: {dump_name()} is missing."
    )


def test_restore_refuses_a_file_the_manifest_does_not_list(made, file_store):
    (made / "files").mkdir()
    (made / "files" / "planted").write_bytes(b"not from the backup")
    assert restore_refused(made, file_store) == (
        "The backup is damaged: files/planted is not in the manifest."
    )


def test_restore_refuses_an_edited_manifest(made, file_store):
    manifest = made / "manifest.json"
    manifest.write_text(manifest.read_text()[:-20])
    assert restore_refused(made, file_store) == "manifest.json is damaged: it is not valid JSON."


def test_restore_refuses_a_directory_that_is_no_backup(db, tmp_path, file_store):
    assert restore_refused(tmp_path, file_store) == (
        f"{tmp_path} holds no manifest.json: it is not an OpenQMS backup."
    )


def test_restore_refuses_an_instance_that_holds_records(made, cast, file_store):
    events = AuditEvent.objects.exclude(action__startswith="core.system.").count()
    assert restore_refused(made, file_store) == (
        f"This instance is not empty (users: 9, audit events: {events}). Restore into a new "
        "instance: an empty data directory or database, after `openqms migrate`."
    )


def test_restore_refuses_a_backup_of_another_schema(made, file_store):
    manifest_path = made / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    backup.write_manifest(
        made,
        {
            **{k: v for k, v in manifest.items() if k not in {"files", "format", "format_version"}},
            "openqms_version": "0.0.1",
            "migrations": manifest["migrations"][:-1],
        },
    )
    assert restore_refused(made, file_store) == (
        "This backup was made by OpenQMS 0.0.1 with another database schema than this "
        f"instance's (OpenQMS {openqms.__version__}). Restore it into an instance of "
        "OpenQMS 0.0.1, then "
        "upgrade that."
    )


def test_restore_refuses_an_instance_without_the_backups_audit_key(made, file_store):
    manifest = json.loads((made / "manifest.json").read_text())
    fields = {k: v for k, v in manifest.items() if k not in {"files", "format", "format_version"}}
    backup.write_manifest(made, {**fields, "public_key": OTHER_KEY})
    assert restore_refused(made, file_store) == (
        f"This backup's checkpoints are signed with the audit key {OTHER_KEY}, and this "
        f"instance holds the key {checkpoints.public_key_text()}. Point OPENQMS_AUDIT_KEY "
        "at that key's file (kept apart from the backups)."
    )


def test_restore_refuses_an_instance_whose_tick_already_signed_a_checkpoint(made, file_store):
    record_migration(applied=["core.0001_initial"], reinstalled=[])
    checkpoints.make_checkpoint()
    # the one audit event is `made`'s own core.backup.made
    assert restore_refused(made, file_store) == (
        "This instance is not empty (audit events: 1, checkpoints: 1). Restore into a new "
        "instance: an empty data directory or database, after `openqms migrate`."
    )
