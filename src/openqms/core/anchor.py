"""Verifying the anchored audit chain: the trail against its checkpoints, the checkpoint
log and the keys (core.checkpoints makes the checkpoints; the admin guide shows what each
finding looks like).

Each problem is one plain sentence that starts with the kind of tampering it shows:
truncated tail, rewritten trail, renumbered deletion, unsealed event, forged or altered
seal, checkpoint log edited or missing a line, checkpoint row deleted, altered checkpoint,
unknown key, rows deleted, broken chain, and (with S3) checkpoint in the write-once copy
missing from the log and database, write-once copy edited, missing or unreadable.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection

from openqms.core import audit, chain, checkpoint_log, keys
from openqms.core.checkpoint_log import Entry
from openqms.core.models import AuditEvent, Checkpoint
from openqms.core.seals import (
    LISTED,
    Findings,
    acceptance_notes,
    check_seals,
)

# Tables whose rows OpenQMS never deletes: fewer rows than a checkpoint counted is a loss.
NEVER_DELETED = (
    "core_auditevent",
    "core_checkpoint",
    "core_roleassignment",
    "core_signature",
    "core_user",
)


def table_counts(tables: Iterable[str] | None = None) -> dict[str, int]:
    """Rows per table, for every model of the OpenQMS apps (or the tables named)."""
    if tables is None:
        tables = {
            model._meta.db_table
            for config in apps.get_app_configs()
            if config.name.startswith("openqms.")
            for model in config.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    quote = connection.ops.quote_name
    # Table names come from the models' own metadata, never from input.
    sql = " UNION ALL ".join(
        f"SELECT '{table}', COUNT(*) FROM {quote(table)}"  # noqa: S608
        for table in sorted(tables)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {table: count for table, count in cursor.fetchall()}


@dataclass(frozen=True)
class AnchorReport:
    ok: bool
    problems: list[str]  # plain sentences, each starting with the kind of tampering
    notes: list[str]
    head_seq: int
    head_hash: str
    checked: int  # events whose links were checked
    checkpoints: int  # checkpoints looked at (rows and log lines)
    anchor_seq: int | None  # the newest checkpoint that holds: the trail is proved to it
    mode: str  # "full" or "since checkpoint"
    broken_seq: int | None = None  # where the chain's own links break, if they do
    chain_problem: str = ""
    start_seq: int = 0  # the events after this one were checked (0: all of them)

    def summary(self) -> str:
        if self.broken_seq is not None:
            lines = [f"audit chain BROKEN at event #{self.broken_seq}: {self.chain_problem}"]
        else:
            since = f" after the checkpoint at #{self.start_seq}" if self.start_seq else ""
            last = f"last #{self.head_seq} {self.head_hash[:16]}…"
            lines = [f"audit chain intact: {self.checked} events{since}, {last}"]
        if self.problems:
            lines.append(f"NOT proved by its checkpoints: {len(self.problems)} problem(s):")
            lines += [f"  - {problem}" for problem in self.problems]
        elif self.anchor_seq is not None:
            lines.append(
                f"anchored: {self.checkpoints} checkpoint(s) checked against the checkpoint "
                f"log and the keys; the trail is proved up to #{self.anchor_seq} and every "
                "later event is sealed."
            )
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "mode": self.mode,
            "head_seq": self.head_seq,
            "head_hash": self.head_hash,
            "last_seq": self.head_seq,  # as `openqms audit verify --json` always said
            "last_hash": self.head_hash,
            "checked": self.checked,
            "broken_seq": self.broken_seq,
            "checkpoints": self.checkpoints,
            "anchor_seq": self.anchor_seq,
            "problems": self.problems,
            "notes": self.notes,
        }


@dataclass
class Known:
    """A checkpoint as found: in the database (row_id), the log (line), or both."""

    entry: Entry
    row_id: int | None = None
    line: int | None = None  # 0: a line near the end of the log (read backwards)
    signed: bool = False  # its signature holds under a known key
    s3_key: str | None = None  # its object in the write-once copy (S3)

    def name(self) -> str:
        if self.row_id is not None:
            return f"checkpoint #{self.row_id} of {self.entry.at}"
        if self.line is None:
            return f"the checkpoint of {self.entry.at} (write-once copy, object {self.s3_key})"
        where = f"line {self.line}" if self.line else "a line near its end"
        return f"the checkpoint of {self.entry.at} (checkpoint log, {where})"


def signature_problem(entry: Entry, trusted: dict) -> str | None:
    public = trusted.get(entry.key_id)
    if public is None:
        return (
            f"is signed by key {entry.key_id}, which is neither this instance's key nor "
            "one in OPENQMS_TRUSTED_KEYS"
        )
    if not keys.signature_holds(public, entry.signature, entry.signed_text()):
        return "does not match its signature: it was changed after it was signed"
    return None


def _signed(
    known: Known, trusted: dict, found: Findings, *, in_log: bool, in_s3: bool = False
) -> bool:
    problem = signature_problem(known.entry, trusted)
    if problem is None:
        return True
    if problem.startswith("is signed by key"):
        found.problem(f"unknown key: {known.name()} {problem}.")
    elif in_s3:
        found.problem(f"write-once copy edited: {known.name()} {problem}.")
    elif in_log:
        found.problem(f"checkpoint log edited: {known.name()} {problem}.")
    else:
        found.problem(f"altered checkpoint: {known.name()} {problem}.")
    return False


def _head() -> tuple[int, str]:
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return head if head else (0, audit.GENESIS_HASH)


def _events_at(seqs: list[int]) -> dict[int, tuple[str, dt.datetime]]:
    found: dict[int, tuple[str, dt.datetime]] = {}
    for i in range(0, len(seqs), 500):
        rows = AuditEvent.objects.filter(seq__in=seqs[i : i + 500])
        found.update({seq: (h, at) for seq, h, at in rows.values_list("seq", "hash", "at")})
    return found


def check_statements(statements: list[Known], head_seq: int, found: Findings) -> int | None:
    """Each signed checkpoint against the event at its seq, and the head against the
    newest; returns the seq of the newest checkpoint that holds."""
    statements = sorted(statements, key=lambda k: (k.entry.seq, k.entry.at))
    events = _events_at(sorted({k.entry.seq for k in statements if k.entry.seq <= head_seq}))
    holding, failed = None, 0
    for known in statements:
        entry = known.entry
        event = events.get(entry.seq)
        if entry.seq > head_seq:
            continue  # the tail is gone: said once below
        if event is not None and event[0] == entry.head_hash:
            holding = entry.seq
            continue
        failed += 1
        if failed > 1:
            continue  # the first says where; the later ones are counted
        if event is None:
            found.problem(
                f"deleted event: event #{entry.seq}, the head {known.name()} covered, is gone."
            )
        elif event[1] > dt.datetime.fromisoformat(entry.at):
            found.problem(
                f"renumbered deletion: event #{entry.seq} was written at "
                f"{audit.format_time(event[1])}, after {known.name()} that covered it: "
                f"events at or before #{entry.seq} were deleted and the later ones renumbered."
            )
        else:
            since = (
                f"after #{holding}, the last checkpoint that still holds"
                if holding
                else "whole: no checkpoint before it holds"
            )
            found.problem(
                f"rewritten trail: event #{entry.seq} is not the event {known.name()} "
                f"covered (its hash differs): the trail was rewritten {since}."
            )
    if failed > 1:
        later = (
            "1 later checkpoint no longer matches"
            if failed == 2
            else (f"{failed - 1} later checkpoints no longer match")
        )
        found.problem(f"{later} the trail either.")
    newest = statements[-1] if statements else None
    if newest is not None and head_seq < newest.entry.seq:
        found.problem(
            f"truncated tail: the trail ends at #{head_seq} but {newest.name()} covered up "
            f"to #{newest.entry.seq}: events #{head_seq + 1}..#{newest.entry.seq} were deleted."
        )
    return holding


def check_links_from(entry: Entry, found: Findings) -> chain.ChainReport:
    report = chain.verify_from(entry.seq, entry.head_hash)
    if not report.ok:
        found.problem(f"broken chain: event #{report.broken_seq}: {report.problem}.")
    return report


def _check_counts(newest: Known | None, found: Findings) -> None:
    if newest is None:
        return
    counted = newest.entry.counts
    now = table_counts([t for t in NEVER_DELETED if t in counted])
    for table, rows in sorted(now.items()):
        if rows < counted[table]:
            found.problem(
                f"rows deleted: table {table} has {rows} rows but {newest.name()} "
                f"counted {counted[table]}."
            )


def _check_previous(known: dict[str, Known], found: Findings) -> None:
    for k in known.values():
        if k.signed and k.entry.previous and k.entry.previous not in known:
            found.problem(
                f"checkpoint deleted: {k.name()} follows a checkpoint that is neither in "
                "the database nor in the checkpoint log."
            )


def _compare_line(known: Known, line: Known, trusted: dict, found: Findings) -> None:
    """A log line that carries the signature of a database row: the same checkpoint."""
    differs = line.entry.differs_from(known.entry)
    if not differs:
        return
    where = f"line {line.line}" if line.line else "a line near its end"
    found.problem(
        f"checkpoint log edited: {where} of the checkpoint log differs from "
        f"{known.name()} in the database ({', '.join(differs)})."
    )
    if known.signed:  # the row holds, so the line was edited
        return
    _signed(line, trusted, found, in_log=True)


def _anchor_notes(key: keys.AuditKey | None, any_checkpoint: bool, found: Findings) -> None:
    if any_checkpoint:
        return
    if key is None:
        found.note(
            "not anchored: there is no audit key (OPENQMS_AUDIT_KEY) and no checkpoint, so "
            "the trail is only shown to agree with itself. Run `openqms keys init`, then "
            "`openqms audit checkpoint`."
        )
    else:
        found.note("not anchored yet: no checkpoint; run `openqms audit checkpoint`.")


def verify_anchored(*, since_checkpoint: bool = False, workers: int = 1) -> AnchorReport:
    """The chain, every checkpoint and every log line, against each other and the keys.

    `since_checkpoint`: find the newest checkpoint that holds (its signature, its log
    line, the event at its seq), then check only the events after it; with none that
    holds, the full check runs.
    """
    key, trusted = keys.current(), keys.trusted_keys()
    if since_checkpoint:
        report = _verify_since(key, trusted)
        if report is not None:
            return report
    report = _verify_full(key, trusted, workers)
    if since_checkpoint and report.checkpoints:
        report.notes.append("no checkpoint holds, so the whole trail was checked.")
    return report


def _verify_full(key: keys.AuditKey | None, trusted: dict, workers: int) -> AnchorReport:
    found = Findings()
    report = chain.verify_chain(workers=workers)
    if not report.ok:
        found.problem(f"broken chain: event #{report.broken_seq}: {report.problem}.")
    head_seq, head_hash = _head()
    known: dict[str, Known] = {}
    for row in Checkpoint.objects.order_by("id"):
        k = Known(Entry.of(row), row_id=row.pk)
        k.signed = _signed(k, trusted, found, in_log=False)
        known[k.entry.signature] = k
    _read_log(Path(settings.CHECKPOINT_LOG), known, trusted, found)
    if settings.CHECKPOINT_S3_BUCKET:
        _read_s3(known, trusted, found)
    statements = [k for k in known.values() if k.signed]
    holding = check_statements(statements, head_seq, found)
    _check_previous(known, found)
    newest = max(statements, key=lambda k: (k.entry.seq, k.entry.at), default=None)
    _check_counts(newest, found)
    # Seals from the newest checkpoint the trail still matches: past a cut-off tail, an
    # event now at a covered seq may be a forged replacement.
    check_seals(holding or 0, key, pre_key_allowed=not known, found=found)
    acceptance_notes(found)
    _anchor_notes(key, bool(known), found)
    return AnchorReport(
        found.ok,
        found.problems,
        found.notes,
        head_seq,
        head_hash,
        report.checked,
        len(known),
        holding if found.ok else None,
        "full",
        report.broken_seq,
        report.problem,
    )


def _read_log(path: Path, known: dict[str, Known], trusted: dict, found: Findings) -> None:
    """Every line of the log against the rows in `known` (and added to it)."""
    rows = len(known)
    if rows and not path.exists():
        found.problem(
            f"checkpoint log missing: {path} does not exist, but the database holds {rows} "
            "checkpoint(s). Restore the log, or point OPENQMS_CHECKPOINT_LOG at it."
        )
        return
    try:
        for number, text in checkpoint_log.lines(path):
            _take_line(number, text, known, trusted, found)
    except OSError as exc:
        found.problem(f"checkpoint log unreadable: {path}: {exc.strerror or exc}.")
        return
    missing = [k for k in known.values() if k.row_id is not None and k.line is None]
    for k in missing[:LISTED]:
        found.problem(
            f"checkpoint log missing a line: {k.name()} (up to #{k.entry.seq}) is in the "
            "database but not in the checkpoint log."
        )
    if len(missing) > LISTED:
        found.problem(
            f"checkpoint log missing lines: {len(missing) - LISTED} more checkpoints in the "
            "database are not in the checkpoint log either."
        )


def _read_s3(known: dict[str, Known], trusted: dict, found: Findings) -> None:
    """Every object of the write-once copy against the rows and log lines in `known`
    (and added to it): a checkpoint there and nowhere else shows a rollback."""
    bucket, prefix = settings.CHECKPOINT_S3_BUCKET, settings.CHECKPOINT_S3_PREFIX
    where = f"s3://{bucket}/{prefix}"
    try:
        objects = list(checkpoint_log.read_s3(checkpoint_log.s3_client(), bucket, prefix))
    except Exception as exc:  # boto3/botocore errors, or no boto3
        found.problem(f"write-once copy unreadable: {where}: {exc}.")
        return
    copied: set[str] = set()
    for key, text in objects:
        try:
            copy = Known(Entry.parse(text), s3_key=key)
        except ValueError:
            found.problem(f"write-once copy edited: object {key} in {where} is no checkpoint.")
            continue
        copied.add(copy.entry.signature)
        same = known.get(copy.entry.signature)
        if same is None:
            copy.signed = _signed(copy, trusted, found, in_log=False, in_s3=True)
            if copy.signed:
                found.problem(
                    f"checkpoint in the write-once copy is missing from the log and database: "
                    f"{copy.name()} (up to #{copy.entry.seq}): the trail or log was rolled back."
                )
            known[copy.entry.signature] = copy
        elif differs := copy.entry.differs_from(same.entry):
            found.problem(
                f"write-once copy edited: object {key} differs from {same.name()} "
                f"({', '.join(differs)})."
            )
    missing = [k for k in known.values() if k.signed and k.entry.signature not in copied]
    for k in missing[:LISTED]:
        found.problem(
            f"checkpoint missing from the write-once copy: {k.name()} (up to #{k.entry.seq}) "
            f"is not in {where} (the next checkpoint run writes it)."
        )
    if len(missing) > LISTED:
        found.problem(
            f"checkpoints missing from the write-once copy: {len(missing) - LISTED} more."
        )


def _take_line(number: int, text: str, known: dict[str, Known], trusted, found) -> None:
    try:
        line = Known(Entry.parse(text), line=number)
    except ValueError:
        where = f"line {number}" if number else "a line near the end"
        found.problem(f"checkpoint log edited: {where} of the checkpoint log is no checkpoint.")
        return
    row = known.get(line.entry.signature)
    if row is None:
        line.signed = _signed(line, trusted, found, in_log=True)
        if line.signed:
            found.problem(
                f"checkpoint row deleted: {line.name()} (up to #{line.entry.seq}) is in the "
                "checkpoint log but not in the database."
            )
        known[line.entry.signature] = line
        return
    row.line = number
    _compare_line(row, line, trusted, found)


def signature_of(text: str) -> str | None:
    try:
        return Entry.parse(text).signature
    except ValueError:
        return None


def _verify_since(key: keys.AuditKey | None, trusted: dict) -> AnchorReport | None:
    """The newest checkpoint that holds, then only what is newer; None: none holds."""
    found = Findings()
    head_seq, head_hash = _head()
    tail = _Tail(Path(settings.CHECKPOINT_LOG))
    newer: list[Known] = []
    anchor = None
    for row in Checkpoint.objects.order_by("-id").iterator(chunk_size=50):
        k = Known(Entry.of(row), row_id=row.pk)
        k.signed = _signed(k, trusted, found, in_log=False)
        line = tail.find(k.entry.signature)
        if line is None:
            found.problem(
                f"checkpoint log missing a line: {k.name()} (up to #{k.entry.seq}) is in "
                "the database but not in the checkpoint log."
            )
        else:
            k.line = 0
            _compare_line(k, line, trusted, found)
        event = AuditEvent.objects.filter(seq=k.entry.seq).values_list("hash", flat=True)
        if k.signed and line is not None and line.entry == k.entry and k.entry.head_hash in event:
            anchor = k
            break
        newer.append(k)
    if anchor is None:
        return None
    known = {k.entry.signature: k for k in (*newer, anchor)}
    for text in tail.read_before(anchor.entry.signature):
        if signature_of(text) not in known:  # rows were compared with their lines above
            _take_line(0, text, known, trusted, found)
    newer = [k for k in known.values() if k is not anchor]
    statements = [anchor, *(k for k in newer if k.signed)]
    check_statements(statements, head_seq, found)
    links = check_links_from(anchor.entry, found)
    newest = max(statements, key=lambda k: (k.entry.seq, k.entry.at))
    _check_counts(newest, found)
    check_seals(anchor.entry.seq, key, pre_key_allowed=False, found=found)
    return AnchorReport(
        found.ok,
        found.problems,
        found.notes,
        head_seq,
        head_hash,
        links.checked,
        len(newer) + 1,
        anchor.entry.seq if found.ok else None,
        "since checkpoint",
        links.broken_seq,
        links.problem,
        anchor.entry.seq,
    )


class _Tail:
    """The checkpoint log read backwards, only as far as a search needs."""

    def __init__(self, path: Path) -> None:
        self._lines = checkpoint_log.lines_backwards(path)
        self._seen: dict[str, Known] = {}
        self._read: list[str] = []  # texts read so far, newest first

    def find(self, signature: str) -> Known | None:
        if signature in self._seen:
            return self._seen[signature]
        for text in self._lines:
            self._read.append(text)
            try:
                entry = Entry.parse(text)
            except ValueError:
                continue
            self._seen[entry.signature] = Known(entry, line=0)
            if entry.signature == signature:
                return self._seen[signature]
        return None

    def read_before(self, signature: str) -> list[str]:
        """The lines newer than the one with `signature` (already read by `find`)."""
        newer = []
        for text in self._read:
            if signature_of(text) == signature:
                break
            newer.append(text)
        return newer
