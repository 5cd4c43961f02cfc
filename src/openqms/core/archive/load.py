"""`openqms archive import`: every record of an archive into an empty instance.

The whole archive is verified first, its manifest's signature must be by a trusted key
(or `--unsigned-ok` given, and then nothing signs a checkpoint over the loaded trail),
and the instance must hold no users and no events but the ones `migrate` wrote; then,
in one transaction, each table is filled in foreign-key order with the archive's own
primary keys, and the result is checked again from the database (the same chain head,
every signature valid, every file present) before anything commits. Only then is the
import itself recorded: one
`core.archive.imported` event appended after the archive's head.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models

from openqms import __version__
from openqms.core import (
    audit,
    chain,
    checkpoints,
    files,
    integrity,
    keys,
    modules,
    signed_manifest,
    triggers,
)
from openqms.core.archive import format as fmt
from openqms.core.archive.verify import ArchiveReport, verify_archive
from openqms.core.archive.writer import Progress
from openqms.core.errors import DomainError
from openqms.core.models import AuditEvent, Checkpoint, Signature, User
from openqms.core.signatures import MANIFEST_FIELDS, manifest_hash_of

BATCH = 5000
IMPORTED = "core.archive.imported"


class ArchiveRefused(DomainError):
    code = "archive_refused"
    status = 409


def import_archive(
    path: Path,
    *,
    progress: Progress,
    unsigned_ok: bool = False,
    public_keys: Iterable[str] = (),
) -> tuple[dict[str, Any], str]:
    """Load the archive; returns its manifest and what anchoring the loaded trail gave.

    Refused unless the manifest is signed by a trusted key (this instance's, one in
    OPENQMS_TRUSTED_KEYS or `public_keys`): the manifest's hashes alone are what a
    forger recomputes. `unsigned_ok` loads such an archive all the same, and then never
    signs a checkpoint over it."""
    report = verify_archive(path, public_keys=public_keys)
    if not report.ok:
        raise ArchiveRefused(
            f"Refusing to import a damaged archive; nothing was written.\n{report.summary()}"
        )
    signature = report.signature
    if not signature.trusted and not unsigned_ok:
        raise ArchiveRefused(
            f"Refusing to import: the archive's manifest is {signature.sentence()}; nothing "
            "was written. Give the public key of the instance that exported it (--public-key "
            "or OPENQMS_TRUSTED_KEYS), or import it unanchored with --unsigned-ok."
        )
    manifest = report.manifest
    progress.done(path.name, "verified (every part, the chain, signatures and files)")
    tables = _tables(manifest)
    refuse_unless_empty()  # early, before any file is copied; again under the chain lock
    written: list[str] = []
    with zipfile.ZipFile(path) as z:
        try:
            _copy_files(z, manifest, written, progress)
            _load(z, manifest, tables, progress, archive=path.name, signature=signature)
        except BaseException:
            for stored_path in written:  # content-addressed, and ours alone: put back as found
                default_storage.delete(stored_path)
            raise
    if not report.anchorable:
        return manifest, _not_anchored(report)
    return manifest, reanchor()


def _not_anchored(report: ArchiveReport) -> str:
    if report.signature.trusted:
        return (
            "The imported trail is NOT anchored: its checkpoints signed by key(s) "
            f"{', '.join(sorted(report.unchecked_keys))} could not be checked, so no checkpoint "
            "was signed over it. Trust that key (OPENQMS_TRUSTED_KEYS), then run `openqms "
            "audit checkpoint --append-missing`."
        )
    return (
        f"The imported trail is NOT anchored: its manifest is {report.signature.sentence()} "
        "(imported with --unsigned-ok), so no checkpoint was signed over it. Nothing proves "
        "it is the trail the exporting instance wrote."
    )


def reanchor() -> str:
    """Anchor the loaded trail here: the archive's checkpoints go into this instance's
    checkpoint log and a new checkpoint signs the head. That holds only under the audit
    key that sealed the archived events (docs/archive-format.md, "Keys")."""
    if keys.current() is None:
        return f"No audit key at {settings.AUDIT_KEY}: the imported trail is not anchored here."
    try:
        made = checkpoints.make_checkpoint(append_missing=True)  # the archived ones, first
    except checkpoints.CheckpointRefused as exc:
        return (
            "The imported trail is not anchored under this instance's audit key (its events "
            "were sealed with another one): set OPENQMS_AUDIT_KEY to the key of the instance "
            f"the archive came from, then run `openqms audit checkpoint`. ({exc.message})"
        )
    except OSError as exc:  # the import has committed: say what is left to do
        return f"The imported trail is not anchored yet ({exc}): run `openqms audit checkpoint`."
    return (
        f"Checkpoint #{made.pk} signed over the imported trail, up to #{made.seq}." if made else ""
    )


def refuse_unless_empty() -> None:
    users = User.objects.count()
    events = AuditEvent.objects.exclude(action__startswith="core.system.").count()
    if users or events:
        raise ArchiveRefused(
            f"Refusing to import into an instance that holds records (users: {users}, audit "
            f"events: {events}); nothing was written. Import into a freshly migrated, empty "
            "database."
        )
    if Checkpoint.objects.exists():
        raise ArchiveRefused(
            "Refusing to import: this instance has signed checkpoints of its own trail, "
            "which the archive's would replace; nothing was written. Import into a freshly "
            "migrated database before its first `openqms tick`."
        )


def _tables(manifest: dict[str, Any]) -> list[tuple[type[models.Model], str]]:
    """(model, part) in foreign-key order; refused when the archive's columns are not
    this version's."""
    known = {fmt.label(m): m for m in fmt.archived_models()}
    unknown = sorted(
        model_label
        for model_label, entry in manifest["records"].items()
        if model_label not in known and manifest["counts"].get(entry["part"])
    )
    if unknown:
        raise ArchiveRefused(
            f"The archive holds rows of tables this OpenQMS does not have: {', '.join(unknown)}"
            " (a module not installed here?); nothing was written."
        )
    tables = []
    for model_label, model in known.items():
        entry = manifest["records"].get(model_label)
        if entry is None:
            continue
        if entry["fields"] != fmt.attnames(model):
            raise ArchiveRefused(
                f"{entry['part']}: its columns ({', '.join(entry['fields'])}) are not this "
                f"version's ({', '.join(fmt.attnames(model))}); import with the OpenQMS "
                f"version that wrote it ({manifest.get('openqms_version')})."
            )
        tables.append((model, entry["part"]))
    return tables


def _copy_files(
    z: zipfile.ZipFile, manifest: dict[str, Any], written: list[str], progress: Progress
) -> None:
    count = 0
    for name in manifest["parts"]:
        if not name.startswith("files/sha256/"):
            continue
        stored_path = name.removeprefix("files/")
        if default_storage.exists(stored_path):
            continue
        with z.open(name) as data, tempfile.TemporaryFile() as spool:
            shutil.copyfileobj(data, spool, files.CHUNK)
            spool.seek(0)
            saved = default_storage.save(stored_path, File(spool))
        written.append(saved)
        count += 1
        progress.tick("files", count)
    progress.done("files/", f"{count:,} files copied into the store")


@audit.writing()
def _load(
    z: zipfile.ZipFile,
    manifest: dict[str, Any],
    tables: list[tuple[type[models.Model], str]],
    progress: Progress,
    *,
    archive: str,
    signature: signed_manifest.Check,
) -> None:
    refuse_unless_empty()  # under the chain lock: no write can slip in after the check
    replaced = _clear_what_migrate_made(tables)
    for model, part in tables:
        count = _insert_rows(z, model, part, progress, manifest["counts"].get(part, 0))
        progress.done(part, f"{count:,} rows")
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _ in tables]):
            cursor.execute(sql)
    _recheck(manifest)
    head = manifest["chain"]
    audit.record(
        actor=None,
        action=IMPORTED,
        object_type="core.database",
        object_id="default",
        changes={
            "archive": archive,
            "format": manifest["format"],
            "written_by": manifest.get("openqms_version"),
            "source_engine": manifest.get("source_engine"),
            "archive_created_at": manifest.get("created_at"),
            "archive_head_seq": head["head_seq"],
            "archive_head_hash": head["head_hash"],
            "openqms_version": __version__,
            "replaced_migration_events": replaced,
            "manifest_signature": signature.sentence(),
        },
    )


def _clear_what_migrate_made(tables: list[tuple[type[models.Model], str]]) -> dict[str, Any]:
    """Empty every table the archive fills: what `migrate` seeded (roles, document types,
    training rules) gives way to the archive's rows, and the events `migrate` wrote here
    to the archive's trail. Those events are named in the import's own event; the
    append-only triggers are lifted for this one transaction only."""
    events = list(AuditEvent.objects.order_by("seq").values_list("action", "hash"))
    quote = connection.ops.quote_name
    triggers.drop_triggers(connection)
    with connection.cursor() as cursor:
        for model, _ in reversed(tables):
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")  # noqa: S608 - a table name
    triggers.install_triggers(connection)
    return {"count": len(events), "head_hash": events[-1][1] if events else None}


def _insert_rows(
    z: zipfile.ZipFile, model: type[models.Model], part: str, progress: Progress, total: int
) -> int:
    """The rows as the archive has them, every column given: COPY on PostgreSQL, else a
    large batch per `executemany`. No model instances (a million events), so no
    auto_now(_add) stamp replaces an archived time (django-otp's created_at)."""
    names = fmt.attnames(model)
    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(map(quote, names))
    rows = _prepared(z, model, part)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: the fastest way in
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for count, values in enumerate(rows, 1):
                    copy.write_row(values)
                    if count % BATCH == 0:
                        progress.tick(part, count, total)
            return count
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"  # noqa: S608 - names
        while batch := list(islice(rows, BATCH)):
            cursor.executemany(sql, batch)
            count += len(batch)
            progress.tick(part, count, total)
    return count


def _prepared(z: zipfile.ZipFile, model: type[models.Model], part: str) -> Iterator[list]:
    """Each row's values in column order, decoded and made ready for the database as
    `bulk_create` would make them (`get_db_prep_save`) where the column's type needs it."""
    fields = fmt.fields(model)
    names = [f.attname for f in fields]
    decoded = [(names.index(name), decode) for name, decode in fmt.decoders(model).items()]
    # The others' decoded values (ints, strings, booleans, None) go to the driver as is.
    prepare = [(at, f) for at, f in enumerate(fields) if fmt.kind(f) not in _AS_DECODED]
    for row in _rows(z, part):
        values = [row[name] for name in names]
        for at, decode in decoded:
            if values[at] is not None:
                values[at] = decode(values[at])
        for at, f in prepare:
            values[at] = f.get_db_prep_save(values[at], connection)
        yield values


# Column types whose decoded JSON value (int, str, bool or None) is what the database
# driver takes: no conversion per value.
_AS_DECODED = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "CharField",
        "TextField",
        "BooleanField",
    }
)


def _rows(z: zipfile.ZipFile, part: str) -> Iterator[dict[str, Any]]:
    with z.open(part) as raw:
        for line in io.TextIOWrapper(raw, "utf-8", newline="\n"):
            yield json.loads(line)


def _recheck(manifest: dict[str, Any]) -> None:
    """What the archive proves must hold in the database it was loaded into."""
    head = manifest["chain"]
    found = chain.verify_chain()
    if not found.ok or [found.last_seq, found.last_hash] != [head["head_seq"], head["head_hash"]]:
        raise ArchiveRefused(
            f"After loading, the audit chain does not match the archive's: {found.summary()}"
        )
    bad = [finding.line() for finding in integrity.check_signatures()] + [
        f"signature {pk}: the signature record was altered" for pk in _altered_voided()
    ]
    missing = [f"file {stored.sha256}: {problem}" for stored, problem in files.verify_files()]
    # Each module's reconciliation too: an archive whose records were edited behind its
    # trail (and its manifest recomputed, then loaded with --unsigned-ok) stays out.
    bad += [
        f"{finding.check}: {finding.line()}"
        for module in modules.installed()
        for check in module.reconcile
        for finding in check()
    ]
    if bad or missing:
        raise ArchiveRefused("After loading, the records do not hold:\n" + "\n".join(bad + missing))


def _altered_voided() -> Iterator[int]:
    """Voided signatures (`check_signatures` checks the live ones) whose fields no longer
    give the manifest hash they store."""
    voided = Signature.objects.filter(voided_at__isnull=False).order_by("pk")
    for pk, *fields, stored in voided.values_list("pk", *MANIFEST_FIELDS, "manifest_hash"):
        if manifest_hash_of(*fields) != stored:
            yield pk
