"""What `openqms backup` writes: the database as committed, every stored file the copy
refers to, and a manifest that states the version, engine, chain head and migrations and
holds the SHA-256 and size of every file; then the `core.backup.made` event, after the
copy (so the backup's head is the head it states)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json

from django.core.management import call_command
from django.db import connection

from openqms import __version__
from openqms.core import backup, checkpoints, files, keys, signed_manifest
from openqms.core.models import AuditEvent, Checkpoint
from openqms.testing import changes_of, last_event, record_events


def test_a_backup_holds_the_database_the_stored_files_and_a_manifest_of_every_file(
    flushable_db, cast, tmp_path, file_store, settings
):
    stored = files.store(io.BytesIO(b"a controlled record's original"))
    head = AuditEvent.objects.order_by("-seq").first()
    assert head is not None
    target = tmp_path / "backup"

    out = io.StringIO()
    call_command("backup", str(target), stdout=out)

    manifest = json.loads((target / "manifest.json").read_text())
    dump = backup.POSTGRES_DUMP if connection.vendor == "postgresql" else backup.SQLITE_DUMP
    file_name = f"files/sha256/{stored.sha256[:2]}/{stored.sha256}"
    assert sorted(manifest["files"]) == sorted(
        [dump, file_name, "checkpoints.log", "audit-public-key.txt"]
    )
    for name, entry in manifest["files"].items():
        data = (target / name).read_bytes()
        assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    assert (target / file_name).read_bytes() == b"a controlled record's original"
    key = keys.current()
    assert key is not None  # the manifest's bytes, signed with the audit key
    assert signed_manifest.check(
        (target / "manifest.json").read_bytes(),
        (target / "manifest.sig").read_bytes(),
        {key.key_id: key.public},
    ) == signed_manifest.Check(signed_manifest.TRUSTED, key.key_id)
    assert manifest["format"] == "openqms-backup"
    assert manifest["format_version"] == 1
    assert manifest["openqms_version"] == __version__
    assert manifest["engine"] == connection.vendor
    assert manifest["server_version"]
    assert manifest["created_at"].endswith("+00:00")
    assert manifest["head"] == {"seq": head.seq, "hash": head.hash}
    assert manifest["migrations"] == backup.applied_migrations()
    assert manifest["stored_files"] == 1
    checkpoint = Checkpoint.objects.get()
    assert manifest["checkpoint"] == {
        "id": checkpoint.pk,
        "seq": head.seq,
        "head_hash": head.hash,
        "at": checkpoint.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "key_id": checkpoint.key_id,
        "signature": checkpoint.signature,
    }
    assert manifest["checkpoint_problem"] == ""
    public_key = checkpoints.public_key_text()
    assert manifest["public_key"] == public_key
    assert (target / "audit-public-key.txt").read_text() == public_key + "\n"
    assert (target / "checkpoints.log").read_bytes() == settings.CHECKPOINT_LOG.read_bytes()

    event = last_event()
    assert event.seq == head.seq + 1
    assert event.action == "core.backup.made"
    assert event.actor_id is None
    assert event.actor_name.startswith("system (openqms backup (OS user ")
    assert changes_of(event) == {
        "directory": str(target),
        "manifest_sha256": hashlib.sha256((target / "manifest.json").read_bytes()).hexdigest(),
        "head_seq": head.seq,
        "head_hash": head.hash,
        "checkpoint_seq": head.seq,
        "stored_files": 1,
    }
    assert out.getvalue().splitlines() == [
        f"Backup written to {target}: {connection.vendor} database, 1 stored files, audit chain "
        f"head #{head.seq} {head.hash[:16]}…",
        "Its manifest is signed with the audit key (manifest.sig).",
        f"Its head is checkpoint #{checkpoint.pk}'s (event #{head.seq}).",
    ]


def test_a_write_between_the_checkpoint_and_the_copy_is_anchored_and_copied_again(
    flushable_db, cast, tmp_path, file_store, monkeypatch
):
    dump = backup.dump_database
    copies = []

    def written_to_first(target):
        if not copies:  # someone writes after the checkpoint, before the snapshot
            record_events(1)
        copies.append(target)
        return dump(target)

    monkeypatch.setattr(backup, "dump_database", written_to_first)
    target = tmp_path / "backup"
    call_command("backup", str(target), stdout=io.StringIO())

    manifest = json.loads((target / "manifest.json").read_text())
    head = AuditEvent.objects.exclude(action="core.backup.made").order_by("-seq").first()
    assert head is not None and head.action == "core.user.updated"
    assert len(copies) == 2
    assert manifest["head"] == {"seq": head.seq, "hash": head.hash}
    assert manifest["checkpoint"]["seq"] == head.seq
    assert Checkpoint.objects.count() == 2
