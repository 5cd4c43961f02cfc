"""Checkpoints: the audit chain anchored outside the database (Part 11 §11.10(c)(e),
Annex 11 §7.1, §9).

The hash chain alone proves only that the trail agrees with itself: someone who can write
to the database (triggers dropped) can rewrite it whole with recomputed hashes, delete
events and renumber the rest, cut off the newest events, or append a forged one. So:

- every event is sealed (an HMAC of its hash under a key only the application holds,
  core.keys): a forged or rewritten event after the last checkpoint has no valid seal;
- `make_checkpoint` (each `openqms tick`, and `openqms audit checkpoint`) signs the
  chain's head (sequence number, hash, time, row counts per table) with the instance's
  Ed25519 key, stores it, and appends it to a log outside the database (and S3);
- `verify_anchored` checks the chain against every checkpoint, every log line and the
  keys, and names each kind of tampering it finds.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hmac
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

from openqms.core import audit, chain, checkpoint_log, keys
from openqms.core.checkpoint_log import Entry
from openqms.core.errors import DomainError
from openqms.core.models import AuditEvent, Checkpoint

# Tables whose rows OpenQMS never deletes: fewer rows than a checkpoint counted is a loss.
NEVER_DELETED = (
    "core_auditevent",
    "core_checkpoint",
    "core_roleassignment",
    "core_signature",
    "core_user",
)
LISTED = 10  # events named one by one per kind of problem; the rest are counted


class CheckpointRefused(DomainError):
    code = "checkpoint_refused"
    status = 409


def _key() -> keys.AuditKey:
    key = keys.current()
    if key is None:
        raise CheckpointRefused(
            f"No audit key at {settings.AUDIT_KEY}: make one with `openqms keys init` "
            "(or set OPENQMS_AUDIT_KEY to where it is)."
        )
    return key


def public_key_text() -> str:
    """What to give the auditor: the public half of the instance's audit key."""
    return _key().public_text


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


# --- Making a checkpoint ------------------------------------------------------------------
#
# The order of the commit and the log line. The row commits first; then, still under the
# log file's lock (so lines keep the checkpoints' order), its line is appended and
# fsynced, and the S3 object written.
# - Nothing is invented: a line is written only once its row has committed, so a line
#   whose row is not in the database means the row was deleted, and `verify_anchored`
#   says so. It still checks what the line states: under the chain lock, when it was
#   signed, the event at its seq had its hash; that stays true of an honest trail.
# - Nothing is lost silently: if the process dies or the disk fails between the commit
#   and the line, the error reaches the caller (the tick records core.job.failed), verify
#   names the row "not in the checkpoint log", and the next run appends every committed,
#   validly signed row the log lacks (`_publish_missing`) before it signs a new one.
# Writing the line before the commit would leave lines whose commit then failed, and
# those look exactly like rows deleted afterwards: a deletion could pass for a failure.


def make_checkpoint() -> Checkpoint | None:
    """Sign the chain's head; None when it has not moved since the last checkpoint.

    Refuses (CheckpointRefused) to sign a chain that does not hold since the previous
    checkpoint (links and seals): a checkpoint vouches for everything before it.
    Writes no audit event, or the head would move at every tick.
    """
    key = _key()
    path = Path(settings.CHECKPOINT_LOG)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "ab") as log:
        fcntl.flock(log.fileno(), fcntl.LOCK_EX)  # two ticks at once: one after the other
        _publish_missing(log, path)
        checkpoint = _sign_head(key)
        if checkpoint is not None:
            _publish(log, Entry.of(checkpoint))
    return checkpoint


def tick() -> str:
    """The periodic job: a checkpoint when the head moved (none without a key)."""
    if keys.current() is None:
        return f"no audit key at {settings.AUDIT_KEY}: the trail is not anchored"
    made = make_checkpoint()
    if made is None:
        return "no new events since the last checkpoint"
    return f"checkpoint #{made.pk} signed: events up to #{made.seq}"


def _sign_head(key: keys.AuditKey) -> Checkpoint | None:
    with audit.writing():  # the chain lock: the head cannot move while it is signed
        last = Checkpoint.objects.order_by("-id").first()
        head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        if head is None or (last is not None and (last.seq, last.head_hash) == head):
            return None
        problems = _stretch_problems(last, head[0], key)
        if problems:
            raise CheckpointRefused(
                "Refusing to sign a checkpoint: the audit trail does not hold since the "
                f"last checkpoint. {' '.join(problems)} Run `openqms audit verify`."
            )
        at = timezone.now()
        entry = Entry(
            head[0],
            head[1],
            audit.format_time(at),
            table_counts(),
            key.key_id,
            last.signature if last else "",
            "",
        )
        return Checkpoint.objects.create(
            seq=entry.seq,
            head_hash=entry.head_hash,
            at=at,
            counts=audit.canonical_json(entry.counts),
            key_id=entry.key_id,
            previous=entry.previous,
            signature=key.sign(entry.signed_text()),
        )


def _stretch_problems(last: Checkpoint | None, head_seq: int, key: keys.AuditKey) -> list[str]:
    """What does not hold after the last checkpoint (the whole chain before the first)."""
    found = Findings()
    if last is None:
        report = chain.verify_chain()
        if not report.ok:
            found.problem(f"broken chain: event #{report.broken_seq}: {report.problem}.")
    else:
        known = Known(Entry.of(last), row_id=last.pk, signed=True)
        _check_statements([known], head_seq, found)
        if found.ok:
            _check_links_from(known.entry, found)
    _check_seals(last.seq if last else 0, key, pre_key_allowed=last is None, found=found)
    return found.problems


def _publish(log, entry: Entry) -> None:
    checkpoint_log.append(log, entry.line())
    if settings.CHECKPOINT_S3_BUCKET:
        checkpoint_log.put_s3(
            checkpoint_log.s3_client(),
            settings.CHECKPOINT_S3_BUCKET,
            settings.CHECKPOINT_S3_PREFIX,
            entry,
        )


def _publish_missing(log, path: Path) -> None:
    """Append the committed checkpoints after the log's last line (a crash between a
    commit and its line); only rows signed by a known key, never a forged one."""
    last = checkpoint_log.last_line(path)
    rows = Checkpoint.objects.order_by("id")
    if last is not None:
        try:
            signature = Entry.parse(last).signature
        except ValueError:
            return  # an edited log: verify names it; appending would hide nothing
        after = Checkpoint.objects.filter(signature=signature).values_list("id", flat=True)
        if not after:
            return  # the last line's row is gone: verify names the deletion
        rows = rows.filter(id__gt=after[0])
    trusted = keys.trusted_keys()
    for row in rows:
        entry = Entry.of(row)
        if signature_problem(entry, trusted) is None:
            _publish(log, entry)


# --- Verifying -------------------------------------------------------------------------


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, text: str) -> None:
        self.problems.append(text)

    def note(self, text: str) -> None:
        self.notes.append(text)


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

    def name(self) -> str:
        if self.row_id is not None:
            return f"checkpoint #{self.row_id} of {self.entry.at}"
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


def _signed(known: Known, trusted: dict, found: Findings, *, in_log: bool) -> bool:
    problem = signature_problem(known.entry, trusted)
    if problem is None:
        return True
    if problem.startswith("is signed by key"):
        found.problem(f"unknown key: {known.name()} {problem}.")
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


def _check_statements(statements: list[Known], head_seq: int, found: Findings) -> int | None:
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
                f"events up to #{entry.seq} were deleted and the later ones renumbered."
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
        found.problem(f"{failed - 1} later checkpoints no longer match the trail either.")
    newest = statements[-1] if statements else None
    if newest is not None and head_seq < newest.entry.seq:
        found.problem(
            f"truncated tail: the trail ends at #{head_seq} but {newest.name()} covered up "
            f"to #{newest.entry.seq}: events #{head_seq + 1}..#{newest.entry.seq} were deleted."
        )
    return holding


def _check_links_from(entry: Entry, found: Findings) -> chain.ChainReport:
    report = chain.verify_from(entry.seq, entry.head_hash)
    if not report.ok:
        found.problem(f"broken chain: event #{report.broken_seq}: {report.problem}.")
    return report


def _seals(after_seq: int, batch: int = 5000) -> Iterator[tuple[int, str, str]]:
    last = after_seq
    while True:
        rows = list(
            AuditEvent.objects.filter(seq__gt=last)
            .order_by("seq")
            .values_list("seq", "hash", "seal")[:batch]
        )
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def _check_seals(
    after_seq: int, key: keys.AuditKey | None, *, pre_key_allowed: bool, found: Findings
) -> None:
    """Events after `after_seq` carry this instance's seal. Unsealed ones are allowed
    only before any checkpoint and before the first sealed event: written before the
    key existed (a checkpoint then covers them)."""
    if key is None:
        later = AuditEvent.objects.filter(seq__gt=after_seq)
        if not pre_key_allowed or later.exclude(seal="").exists():
            found.problem(
                f"no audit key: {settings.AUDIT_KEY} is missing or unreadable, so the seals "
                f"of the events after #{after_seq} cannot be checked."
            )
        return
    bad, early, sealed_seen = [], [], False
    for seq, event_hash, seal in _seals(after_seq):
        if not seal and pre_key_allowed and not sealed_seen:
            early.append(seq)
            continue
        sealed_seen = True
        if not hmac.compare_digest(seal, key.seal(event_hash)):
            bad.append(seq)
    for seq in bad[:LISTED]:
        found.problem(
            f"forged append: event #{seq} is not sealed with this instance's key: it was "
            "not written by OpenQMS."
        )
    if len(bad) > LISTED:
        found.problem(f"forged append: {len(bad) - LISTED} more events after those either.")
    if early:
        found.note(
            f"events #{early[0]}..#{early[-1]} were written before the audit key existed and "
            "no checkpoint covers them yet: run `openqms audit checkpoint`."
        )


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
    for number, text in checkpoint_log.lines(Path(settings.CHECKPOINT_LOG)):
        _take_line(number, text, known, trusted, found)
    for k in known.values():
        if k.row_id is not None and k.line is None:
            found.problem(
                f"checkpoint log missing a line: {k.name()} (up to #{k.entry.seq}) is in "
                "the database but not in the checkpoint log."
            )
    statements = [k for k in known.values() if k.signed]
    holding = _check_statements(statements, head_seq, found)
    _check_previous(known, found)
    newest = max(statements, key=lambda k: (k.entry.seq, k.entry.at), default=None)
    _check_counts(newest, found)
    after = newest.entry.seq if newest else 0
    _check_seals(after, key, pre_key_allowed=not known, found=found)
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


def _signature_of(text: str) -> str | None:
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
        if _signature_of(text) not in known:  # rows were compared with their lines above
            _take_line(0, text, known, trusted, found)
    newer = [k for k in known.values() if k is not anchor]
    statements = [anchor, *(k for k in newer if k.signed)]
    _check_statements(statements, head_seq, found)
    links = _check_links_from(anchor.entry, found)
    newest = max(statements, key=lambda k: (k.entry.seq, k.entry.at))
    _check_counts(newest, found)
    _check_seals(anchor.entry.seq, key, pre_key_allowed=False, found=found)
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
            if _signature_of(text) == signature:
                break
            newer.append(text)
        return newer
