"""Backups: a consistent copy of a running instance, and its restore into an empty one.

`openqms backup DIR` writes a checkpoint first, then copies the database as one snapshot
(SQLite's online backup API; `pg_dump` in custom format from an exported snapshot on
PostgreSQL), then every stored file that snapshot refers to, the checkpoint log and the
public key (never the private key), and last a manifest with the SHA-256 of every file.
`openqms restore DIR` checks the manifest, refuses anything but an empty instance of the
same schema, puts the database and files back and runs the integrity checks
(Annex 11 §7.2: backups are checked for accessibility, readability and accuracy, and the
restore is tested — tests/core/test_backup_drill.py is that test).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from openqms import __version__
from openqms.core import checkpoints, integrity, keys, restore_checks, signed_manifest, triggers
from openqms.core.actions.backup import record_backup_made, record_backup_restored
from openqms.core.audit import canonical_json
from openqms.core.backup_engines import (
    MIGRATIONS_SQL,
    POSTGRES_DUMP,
    SQLITE_DUMP,
    BackupRefused,
    Snapshot,
    dump_postgres,
    dump_sqlite,
    head_of,
    restore_postgres,
    restore_sqlite,
)
from openqms.core.models import AuditEvent, Checkpoint, StoredFile, User

try:  # POSIX; elsewhere the log is copied without its lock (as checkpoints.py writes it)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

FORMAT = "openqms-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHECKPOINT_LOG = "checkpoints.log"
PUBLIC_KEY = "audit-public-key.txt"
SIGNATURE = signed_manifest.NAME
FILES = "files"
CHUNK = 1 << 20
# A checkpoint and the snapshot are two moments: a write between them makes the backup's
# head differ from the checkpoint's. Writes are rare next to a backup's length, so a few
# tries almost always line them up; after that the backup keeps its (chained) tail.
ATTEMPTS = 3


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    files_restored: int = 0
    log_restored: bool = False
    problems: list[str] = field(default_factory=list)
    report: integrity.IntegrityReport | None = None
    triggers_reinstalled: list[str] = field(default_factory=list)


# -- files and the manifest -----------------------------------------------------------


def _stored_path(sha256: str) -> str:
    return f"sha256/{sha256[:2]}/{sha256}"


def _copy_stored_files(target: Path, hashes: list[str]) -> None:
    """Stored files are immutable and written before the row that names them commits, so
    every file the snapshot names exists by now and can be copied after the dump. Each is
    hashed on the way: a backup never carries a file the store already lost or altered."""
    for sha in hashes:
        path = _stored_path(sha)
        if not default_storage.exists(path):
            raise BackupRefused(f"Stored file {sha} is missing from the file store.")
        out_path = target / FILES / path
        out_path.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with default_storage.open(path, "rb") as data, out_path.open("wb") as out:
            while chunk := data.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != sha:
            raise BackupRefused(f"Stored file {sha} no longer matches its SHA-256.")


def _every_file(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.relative_to(root).as_posix() not in (MANIFEST, SIGNATURE):
            yield path


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while chunk := data.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(target: Path, fields: dict[str, Any]) -> dict[str, Any]:
    """The manifest: what was backed up, and the SHA-256 and size of every other file."""
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        **fields,
        "files": {
            path.relative_to(target).as_posix(): {
                "sha256": file_digest(path),
                "size": path.stat().st_size,
            }
            for path in _every_file(target)
        },
    }
    data = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    (target / MANIFEST).write_bytes(data)
    signature = signed_manifest.sign(data)  # the audit key vouches for the manifest
    if signature is None:
        (target / SIGNATURE).unlink(missing_ok=True)
    else:
        (target / SIGNATURE).write_bytes(signature)
    return manifest


def read_manifest(source: Path) -> dict[str, Any]:
    """The manifest, once every file it lists matches it and nothing else is there."""
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupRefused(f"{source} holds no {MANIFEST}: it is not an OpenQMS backup.") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupRefused(f"{MANIFEST} is damaged: it is not valid JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupRefused(f"{MANIFEST} is not an OpenQMS backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupRefused(
            f"This backup has format version {manifest.get('format_version')}; this OpenQMS "
            f"reads version {FORMAT_VERSION}."
        )
    listed: dict[str, dict] = manifest.get("files") or {}
    for name, expected in sorted(listed.items()):
        path = source / name
        if not path.is_file():
            raise BackupRefused(f"The backup is damaged: {name} is missing.")
        if path.stat().st_size != expected.get("size") or file_digest(path) != expected.get(
            "sha256"
        ):
            raise BackupRefused(
                f"The backup is damaged: {name} does not match its SHA-256 in the manifest."
            )
    extra = [p.relative_to(source).as_posix() for p in _every_file(source)]
    unlisted = sorted(set(extra) - set(listed))
    if unlisted:
        raise BackupRefused(f"The backup is damaged: {', '.join(unlisted)} is not in the manifest.")
    return manifest


# -- the instance ---------------------------------------------------------------------


def applied_migrations() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(MIGRATIONS_SQL)
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def records_held() -> dict[str, int]:
    """What makes an instance not empty. Every regulated write leaves an audit event, so
    events other than migrate's, users, stored files and checkpoints cover every kind."""
    return {
        "users": User.objects.count(),
        "audit events": AuditEvent.objects.exclude(action__startswith="core.system.").count(),
        "stored files": StoredFile.objects.count(),
        # a tick run before the restore signed one, and logged it: the restored database
        # would lack that row, and its line would read as a deleted checkpoint
        "checkpoints": Checkpoint.objects.count(),
    }


def refuse_unless_empty_directory(target: Path) -> None:
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupRefused(f"{target} exists and is not an empty directory: choose a new one.")


def manifest_fields(snap: Snapshot, checkpoint: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "openqms_version": __version__,
        "engine": connection.vendor,
        "server_version": snap.server_version,
        "created_at": timezone.now().isoformat(timespec="microseconds"),
        "head": {"seq": snap.head_seq, "hash": snap.head_hash},
        "checkpoint": checkpoint,
        "migrations": snap.migrations,
        "stored_files": len(snap.stored_files),
    }


def plain(data: dict[str, Any]) -> dict[str, Any]:
    """JSON-ready values (times as UTC ISO text), the way the audit trail writes them."""
    return json.loads(canonical_json(data))


def dump_database(target: Path) -> Snapshot:
    if connection.vendor == "postgresql":
        return dump_postgres(target)
    return dump_sqlite(target)


def restore_database(source: Path, engine: str) -> None:
    if engine == "postgresql":
        restore_postgres(source / POSTGRES_DUMP)
    else:
        restore_sqlite(source / SQLITE_DUMP)


def restore_stored_files(source: Path) -> int:
    """Put each backed-up file in the store under its hash (the manifest check has already
    proved its bytes); a file the store already holds is left as it is."""
    count = 0
    for path in sorted((source / FILES).rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(source / FILES).as_posix()
        if not default_storage.exists(name):
            with path.open("rb") as data:
                default_storage.save(name, File(data))
        count += 1
    return count


# -- the two commands' work -----------------------------------------------------------


def checkpoint_fields(checkpoint: Checkpoint) -> dict[str, Any]:
    return plain(
        {
            "id": checkpoint.pk,
            "seq": checkpoint.seq,
            "head_hash": checkpoint.head_hash,
            "at": checkpoint.at,
            "key_id": checkpoint.key_id,
            "signature": checkpoint.signature,
        }
    )


def _checkpoint() -> tuple[dict[str, Any] | None, str]:
    """Anchor the head before the copy: (the last checkpoint, why there is none or it is
    old). A refused checkpoint (the chain does not hold) does not stop the backup: a
    damaged instance is the one whose backup matters most; the manifest says why."""
    if keys.current() is None:
        return None, f"no audit key at {settings.AUDIT_KEY}: the chain is not anchored"
    problem = ""
    try:
        checkpoints.make_checkpoint()
    except checkpoints.CheckpointRefused as exc:
        problem = exc.message
    last = Checkpoint.objects.order_by("-id").first()
    return (checkpoint_fields(last) if last else None), problem


def _copy_anchor_files(target: Path) -> str:
    """The checkpoint log (read under its lock, so no line is half-written) and the public
    key that verifies it; never the private key: a backup is kept where the database's
    copies are, and the key must not be (else whoever alters one can re-sign both)."""
    key = keys.current()
    if key is None:
        return ""
    log = Path(settings.CHECKPOINT_LOG)
    if log.exists():
        with log.open("rb") as source, (target / CHECKPOINT_LOG).open("wb") as out:
            if fcntl is not None:
                fcntl.flock(source.fileno(), fcntl.LOCK_SH)
            shutil.copyfileobj(source, out, CHUNK)
    (target / PUBLIC_KEY).write_text(key.public_text + "\n")
    return key.public_text


def make_backup(target: Path) -> dict[str, Any]:
    """Back the instance up into `target` (a new or empty directory); returns the manifest."""
    refuse_unless_empty_directory(target)
    target.mkdir(parents=True, exist_ok=True)
    # Only the owner may enter: a backup holds password hashes and second-factor secrets.
    target.chmod(0o700)
    checkpoint, problem = _checkpoint()
    for _attempt in range(ATTEMPTS):
        snap = dump_database(target)
        if checkpoint is None or problem or snap.head_seq == checkpoint["seq"]:
            break
        # Written to between the checkpoint and the snapshot: anchor the new head, copy again.
        (target / (POSTGRES_DUMP if connection.vendor == "postgresql" else SQLITE_DUMP)).unlink()
        checkpoint, problem = _checkpoint()
    _copy_stored_files(target, snap.stored_files)
    public_key = _copy_anchor_files(target)
    manifest = write_manifest(
        target,
        {
            **manifest_fields(snap, checkpoint),
            "checkpoint_problem": problem,
            "public_key": public_key,
        },
    )
    # The event goes in after the snapshot, so it is not in this backup: in it, it would put
    # the backup's head one past the checkpoint's. In the live trail it records the
    # manifest's hash, which binds this very backup into the chain.
    record_backup_made(
        changes={
            "directory": str(target),
            "manifest_sha256": file_digest(target / MANIFEST),
            "head_seq": snap.head_seq,
            "head_hash": snap.head_hash,
            "checkpoint_seq": checkpoint["seq"] if checkpoint else None,
            "stored_files": len(snap.stored_files),
        }
    )
    return manifest


def _refuse_another_key(manifest: dict[str, Any]) -> None:
    """Restored events carry seals only the key that made them can check, and new events
    must go on with it: the instance must hold that key (it is never in the backup)."""
    wanted = manifest.get("public_key") or ""
    if not wanted:
        return
    key = keys.current()
    if key is not None and (key.public_text == wanted or wanted in settings.TRUSTED_KEYS):
        return
    have = (
        f"holds the key {key.public_text}" if key else f"has no audit key at {settings.AUDIT_KEY}"
    )
    raise BackupRefused(
        f"This backup's checkpoints are signed with the audit key {wanted}, and this instance "
        f"{have}. Point OPENQMS_AUDIT_KEY at that key's file (kept apart from the backups)."
    )


def check_restorable(source: Path) -> dict[str, Any]:
    """Every refusal of `restore`, made before anything is written."""
    manifest = read_manifest(source)
    refused = restore_checks.signature_refusal(source / MANIFEST, source / SIGNATURE)
    if refused:
        raise BackupRefused(refused)
    if manifest["engine"] != connection.vendor:
        raise BackupRefused(
            f"This backup is of a {manifest['engine']} database; this instance uses "
            f"{connection.vendor}. Move records between engines with `openqms archive`."
        )
    here = applied_migrations()
    if manifest["migrations"] != here:
        raise BackupRefused(
            f"This backup was made by OpenQMS {manifest['openqms_version']} with another "
            f"database schema than this instance's (OpenQMS {__version__}). Restore it into "
            f"an instance of OpenQMS {manifest['openqms_version']}, then upgrade that."
        )
    _refuse_another_key(manifest)
    held = {what: n for what, n in records_held().items() if n}
    if held:
        counts = ", ".join(f"{what}: {n}" for what, n in held.items())
        raise BackupRefused(
            f"This instance is not empty ({counts}). Restore into a new instance: an empty "
            "data directory or database, after `openqms migrate`."
        )
    return manifest


def _restore_checkpoint_log(source: Path) -> bool:
    """The backup's log goes where this instance keeps its log, unless one is there already
    (a log kept off the host, which goes on holding every checkpoint ever signed)."""
    log, copy = Path(settings.CHECKPOINT_LOG), source / CHECKPOINT_LOG
    if not copy.exists() or (log.exists() and log.stat().st_size > 0):
        return False
    log.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(copy, log)
    return True


def restore(source: Path) -> RestoreResult:
    manifest = check_restorable(source)
    result = RestoreResult(manifest)
    result.files_restored = restore_stored_files(source)
    restore_database(source, manifest["engine"])
    # The backup holds the triggers its database had: a copy of a database that had lost
    # them must not leave this instance unprotected.
    result.triggers_reinstalled = triggers.missing_triggers()
    triggers.install_triggers()
    result.log_restored = _restore_checkpoint_log(source)
    result.report = integrity.run()
    result.problems = (
        head_problems(manifest)
        + restore_checks.log_problems(source / CHECKPOINT_LOG, manifest)
        + report_problems(result.report)
    )
    record_backup_restored(
        changes={
            "directory": str(source),
            "manifest_sha256": file_digest(source / MANIFEST),
            "made_at": manifest["created_at"],
            "head_seq": manifest["head"]["seq"],
            "head_hash": manifest["head"]["hash"],
            "integrity": "intact" if not result.problems else "FAILED",
            "triggers_reinstalled": result.triggers_reinstalled,
        }
    )
    return result


def head_problems(manifest: dict[str, Any]) -> list[str]:
    """The restored chain must end where the backup's did, at the event the manifest names."""
    seq, head_hash = head_of(
        list(AuditEvent.objects.order_by("-seq").values_list("seq", "hash")[:1])
    )
    expected = manifest["head"]
    if (seq, head_hash) != (expected["seq"], expected["hash"]):
        return [
            f"the restored audit chain ends at #{seq} {head_hash[:16]}…, the backup's at "
            f"#{expected['seq']} {expected['hash'][:16]}…"
        ]
    return []


def report_problems(report: integrity.IntegrityReport) -> list[str]:
    failed = [section.line() for section in report.sections if not section.ok]
    return failed + [finding.line() for finding in report.findings]
