"""`openqms archive export`: every record, in one consistent snapshot, streamed to a ZIP.

Rows are read in keyset batches as plain tuples (never model instances for the big
tables) and written line by line, so memory stays flat however many events and
documents there are; each part is hashed as it is written and the manifest, written
last, lists the SHA-256 and size of every part.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone

from openqms import __version__
from openqms.core import modules, pdf, signed_manifest
from openqms.core.archive import format as fmt
from openqms.core.archive import reference, render_worker
from openqms.core.archive.writer import ArchiveWriter, Part, Progress
from openqms.core.audit import GENESIS_HASH
from openqms.core.errors import InvalidInput
from openqms.core.files import CHUNK
from openqms.core.models import Signature, StoredFile
from openqms.core.signatures import SignedTexts, load_by_type, signed_texts_loader

BATCH = 2000


@contextmanager
def snapshot() -> Iterator[None]:
    """One consistent view of the database for the whole export.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction. SQLite: one deferred read
    transaction, which in WAL mode sees one snapshot and does not block writers (the
    instance's IMMEDIATE transactions would take the write lock). Inside an outer
    transaction (tests) the caller's transaction already is the snapshot."""
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            cursor.execute("ROLLBACK")


def keyset(model: type[models.Model], names: list[str], batch: int = BATCH) -> Iterator[tuple]:
    """Every row of `model` as a tuple of `names`, in primary-key order, `batch` at a time."""
    pk = model._meta.pk.attname
    at = names.index(pk)
    rows = model._base_manager.order_by(pk).values_list(*names)
    last: Any = None
    while True:
        page = list((rows.filter(**{f"{pk}__gt": last}) if last is not None else rows)[:batch])
        if not page:
            return
        yield from page
        last = page[-1][at]


def export_archive(path: Path, *, progress: Progress, workers: int = 1) -> dict[str, Any]:
    """Write the archive to `path` (refusing to overwrite); returns its manifest.

    With `workers` > 1 on PostgreSQL, the PDF renderings are made in that many processes
    reading the export's own snapshot. On SQLite a second connection cannot share a read
    transaction's snapshot, and inside a caller's transaction (tests) other processes do
    not see it: there they are made in this process, one after the other."""
    if path.exists():
        raise InvalidInput(f"{path} already exists; choose a new file name.")
    shared = workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block
    writer = ArchiveWriter(path)
    try:
        with snapshot(), pdf.archive_moment(timezone.now()):
            manifest = _write(writer, progress, workers if shared else 1)
    except BaseException:
        writer.close()
        path.unlink(missing_ok=True)
        raise
    writer.close()
    return manifest


def _write(writer: ArchiveWriter, progress: Progress, workers: int) -> dict[str, Any]:
    records, head = {}, {"seq": 0, "hash": GENESIS_HASH}
    for model in fmt.archived_models():
        model_label = fmt.label(model)
        name = fmt.record_part(model_label)
        names = fmt.attnames(model)
        with writer.part(name, counted=True) as part:
            is_chain = model_label == "core.auditevent"
            _rows(part, model, names, name, progress, head if is_chain else None)
        records[model_label] = {"part": name, "fields": names}
        progress.done(name, f"{part.rows:,} rows")
    with writer.part(fmt.SIGNED_CONTENT, counted=True) as part:
        _signed_content(part)
    progress.done(fmt.SIGNED_CONTENT, f"{part.rows:,} signed contents")
    files = _files(writer, progress)
    renderings = _renderings(writer, progress, workers)
    with writer.part(fmt.README) as part:
        part.write(README.encode())
    with writer.part(fmt.VERIFIER) as part:
        part.write(Path(reference.__file__).read_bytes())
    manifest = {
        "format": fmt.FORMAT,
        "openqms_version": __version__,
        "source_engine": connection.vendor,
        "created_at": timezone.now().astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "chain": {"head_seq": head["seq"], "head_hash": head["hash"], "genesis": GENESIS_HASH},
        "records": records,
        "files": files,
        "renderings": renderings,
        "counts": writer.counts,
        "parts": writer.parts,
    }
    manifest_bytes = (fmt.dumps(manifest) + "\n").encode()
    with writer.zip.open(fmt.MANIFEST, "w", force_zip64=True) as stream:
        stream.write(manifest_bytes)
    progress.done(fmt.MANIFEST, f"{len(writer.parts)} parts listed")
    signature = signed_manifest.sign(manifest_bytes)
    if signature is not None:  # with no audit key, the archive says it is not signed
        with writer.zip.open(signed_manifest.NAME, "w") as stream:
            stream.write(signature)
    progress.done(
        signed_manifest.NAME,
        "signed with the audit key" if signature else "NOT signed: no audit key",
    )
    return manifest


def _rows(
    part: Part,
    model: type[models.Model],
    names: list[str],
    name: str,
    progress: Progress,
    head: dict[str, Any] | None,
) -> None:
    encode = fmt.row_encoder(names, fmt.encoders(model))
    total = model._base_manager.count() if progress.live else 0  # for the bar only
    row: tuple = ()
    for row in keyset(model, names):
        part.line(encode(row))
        if part.rows % BATCH == 0:
            progress.tick(name, part.rows, total)
    if head is not None and row:
        head["seq"], head["hash"] = row[names.index("seq")], row[names.index("hash")]


def _signed_content(part: Part) -> None:
    """For each live signature whose record still has the signed version: the canonical
    JSON its content hash covers, so the hash can be checked without the software. A
    batch of signatures at a time, each batch's records read in a query or two per type
    (the loaders `openqms verify` uses)."""
    names = ["id", "object_type", "object_id", "object_version", "content_hash", "voided_at"]
    loaders: dict[str, Callable[[list[str]], SignedTexts] | None] = {}
    live = (row for row in keyset(Signature, names) if row[5] is None)
    while batch := list(islice(live, BATCH)):
        texts = load_by_type(((row[1], row[2]) for row in batch), loaders, signed_texts_loader)
        for sig_id, object_type, object_id, version, chash, _ in batch:
            signed = texts.get((object_type, object_id))
            if signed is None or signed[0] != version:
                continue
            part.line(
                fmt.dumps(
                    {
                        "signature": sig_id,
                        "object_type": object_type,
                        "object_id": object_id,
                        "object_version": version,
                        "content_hash": chash,
                        "content": signed[1],
                    }
                )
            )


def _files(writer: ArchiveWriter, progress: Progress) -> int:
    count = 0
    for _pk, sha in keyset(StoredFile, ["id", "sha256"]):
        stored_path = f"sha256/{sha[:2]}/{sha}"
        if not default_storage.exists(stored_path):
            raise InvalidInput(f"Stored file {sha} is missing from the file store.")
        with writer.part(fmt.file_part(sha)) as part, default_storage.open(stored_path) as data:
            while chunk := data.read(CHUNK):
                part.write(chunk)
        if part.sha256 != sha:
            raise InvalidInput(f"Stored file {sha} no longer matches its SHA-256.")
        count += 1
        progress.tick("files", count)
    progress.done("files/", f"{count:,} files")
    return count


def _renderings(writer: ArchiveWriter, progress: Progress, workers: int) -> int:
    jobs = (
        (name, make)
        for module in modules.installed()
        if module.renderings is not None
        for name, make in module.renderings()
    )
    count = 0
    for name, data in _rendered(jobs, workers):
        with writer.part(f"pdf/{name}") as part:
            part.write(data)
        count += 1
        progress.tick("pdf", count)
    progress.done("pdf/", f"{count:,} PDF renderings")
    return count


def _rendered(
    jobs: Iterator[tuple[str, Callable[[], bytes]]], workers: int
) -> Iterator[tuple[str, bytes]]:
    """Each job's PDF, in the jobs' order. With `workers` > 1 (PostgreSQL, in the export's
    own transaction) they are rendered in spawned processes that read this transaction's
    snapshot (render_worker); at most 4 per worker are in flight, so memory stays flat and
    the ZIP is written here, in order."""
    if workers <= 1:
        for name, make in jobs:
            yield name, make()
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot_id,) = cursor.fetchone()
    settings_module = os.environ.get("DJANGO_SETTINGS_MODULE", "openqms.settings")
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=render_worker.start,
        initargs=(
            settings_module,
            dict(connection.settings_dict),
            snapshot_id,
            pdf.archive_moment_now().isoformat(),
        ),
    ) as pool:
        pending: deque[tuple[str, Future[bytes]]] = deque()
        for name, make in jobs:
            pending.append((name, pool.submit(render_worker.render, make)))
            if len(pending) >= 4 * workers:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


README = """\
OpenQMS archive (format openqms-archive/1)
==========================================

Every record of an OpenQMS instance, taken out with `openqms archive export`.
The format is described in full in OpenQMS's docs/archive-format.md.

manifest.json          what is inside: the format version, the OpenQMS version and the
                       database engine it came from, when it was made, the audit chain's
                       head, row counts, and the SHA-256 and size of every other part.
manifest.sig           the manifest's Ed25519 signature by the audit key of the
                       instance that wrote the archive (its key id, public key and
                       signature; how to check it with openssl: docs/archive-format.md).
records/*.jsonl        one JSON object per line and row, every column, in primary-key
                       order; the audit trail is records/core.auditevent.jsonl.
signatures/content.jsonl
                       for each signature whose record still has the signed version,
                       the exact text its content hash covers.
files/sha256/aa/<sha>  every stored file, named by the SHA-256 of its bytes.
pdf/                   every document revision and training record as a PDF, readable
                       without the software (archive renderings, not controlled copies).
VERIFY.py              a short verifier needing only Python 3.11+:
                           python3 VERIFY.py this-archive.zip
                       it checks every part against the manifest, recomputes the audit
                       chain and every signature's hashes, and checks every file;
                       it cannot check Ed25519: it prints manifest.sig's key id.

Keep this file as you keep the database: it holds the people's password hashes and
second-factor secrets (so that an imported instance signs them in as before).
"""
