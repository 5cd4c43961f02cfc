"""The review's forged backup (B1): the database copy rewritten (an event's reason, the
chain recomputed, the seals blanked, the checkpoints deleted), the checkpoint log and
public key removed and the manifest's hashes recomputed. The manifest's signature by the
audit key cannot be remade, so `openqms restore` refuses, naming why, and writes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from openqms.core import audit, backup, keys, signed_manifest
from openqms.core.models import StoredFile, User
from openqms.testing import event_count

pytestmark = pytest.mark.verifies("CORE-024", refusal=True)


@pytest.fixture
def made(db, tmp_path, file_store) -> Path:
    target = tmp_path / "backup"
    call_command("backup", str(target), stdout=io.StringIO())
    assert (target / signed_manifest.NAME).is_file()
    return target


def state(store: Path) -> tuple:
    files = sorted(p.relative_to(store).as_posix() for p in store.rglob("*"))
    return event_count(), User.objects.count(), StoredFile.objects.count(), files


def restore_refused(source: Path, store: Path) -> str:
    before = state(store)
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(source), stdout=io.StringIO())
    assert state(store) == before
    return str(refused.value)


def rewrite_sqlite_copy(database: Path) -> None:
    """/tmp/review-attacks/forge_bk.py on the database copy."""
    c = sqlite3.connect(database)
    names = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    for (name,) in c.execute(names).fetchall():
        c.execute(f"DROP TRIGGER {name}")
    c.execute("DELETE FROM core_checkpoint")
    rows = c.execute(
        "SELECT seq, at, actor_id, actor_name, action, object_type, object_id, changes, "
        "reason, ip, user_agent FROM core_auditevent ORDER BY seq"
    ).fetchall()
    prev = audit.GENESIS_HASH
    for r in rows:
        at = audit.format_time(dt.datetime.fromisoformat(r[1]).replace(tzinfo=dt.UTC))
        reason = "forged" if r[0] == rows[-1][0] else r[8]
        text = audit.event_text(r[0], at, *r[2:8], reason, r[9], r[10], prev)
        new = hashlib.sha256(text.encode()).hexdigest()
        c.execute(
            "UPDATE core_auditevent SET reason=?, prev_hash=?, hash=?, seal='' WHERE seq=?",
            (reason, prev, new, r[0]),
        )
        prev = new
    c.commit()
    c.close()


def recompute_manifest(source: Path, *, keep_signature: bool) -> None:
    """What a forger can do: every file's hash in the manifest made right again."""
    for name in (backup.CHECKPOINT_LOG, backup.PUBLIC_KEY):
        (source / name).unlink(missing_ok=True)
    if not keep_signature:
        (source / signed_manifest.NAME).unlink()
    manifest = json.loads((source / backup.MANIFEST).read_text())
    manifest.update(public_key="", checkpoint=None)
    manifest["files"] = {
        p.relative_to(source).as_posix(): {
            "sha256": backup.file_digest(p),
            "size": p.stat().st_size,
        }
        for p in backup._every_file(source)
    }
    (source / backup.MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def damage_the_dump(made: Path) -> None:
    if connection.vendor == "sqlite":
        rewrite_sqlite_copy(made / backup.SQLITE_DUMP)
    else:  # a pg_dump archive: any change a forger makes and hashes again
        with (made / backup.POSTGRES_DUMP).open("ab") as dump:
            dump.write(b"\0")


def test_restore_refuses_the_reviewers_forged_backup_without_its_signature(made, file_store):
    damage_the_dump(made)
    recompute_manifest(made, keep_signature=False)
    assert restore_refused(made, file_store) == (
        "Refusing to restore: the backup's manifest is not signed (no manifest.sig): nothing "
        "vouches for its manifest; nothing was written. `openqms backup` signs it with the "
        "audit key: restore on an instance that holds that key (OPENQMS_AUDIT_KEY) or trusts "
        "it (OPENQMS_TRUSTED_KEYS)."
    )


def test_restore_refuses_a_forged_backup_that_kept_the_old_signature(made, file_store):
    damage_the_dump(made)
    recompute_manifest(made, keep_signature=True)
    key = keys.current()
    assert key is not None
    assert restore_refused(made, file_store) == (
        "Refusing to restore: manifest.sig: the manifest does not match its signature by key "
        f"{key.key_id} (the manifest was changed after it was signed); nothing was written."
    )


def test_restore_refuses_a_backup_signed_by_a_key_this_instance_does_not_know(
    made, file_store, tmp_path
):
    damage_the_dump(made)
    recompute_manifest(made, keep_signature=False)
    forger = keys.create_key(tmp_path / "forger.pem")
    text = (made / backup.MANIFEST).read_text()
    (made / signed_manifest.NAME).write_text(
        f"{signed_manifest.FORMAT}\nkey_id: {forger.key_id}\n"
        f"public_key: {forger.public_text}\nsignature: {forger.sign(text)}\n"
    )
    assert restore_refused(made, file_store).startswith(
        f"Refusing to restore: the backup's manifest is signed by an unknown key ({forger.key_id})"
    )
