"""`openqms verify`: every integrity check at once (Part 11 §11.10(a)(c)(e), Annex 11 §7, §8).

The audit chain proves that the trail is consistent with itself; this proves that the
records are consistent with the trail and with their signatures:

- the audit chain (and, where checkpoints exist, the chain against them);
- every live signature: its manifest hash recomputed and equal to the one the chained
  audit event recorded, and the signed content's hash recomputed from the record;
- the file store: every stored file's bytes against their SHA-256;
- the database protections: every append-only and record-protecting trigger in place;
- reconciliation: each module's checks (`Module.reconcile`) that compare what its rows
  say now with what the trail recorded when they changed (a revision made effective in
  the database without an approval, a competence expiry moved, a role un-revoked).

Each problem is a `Finding`: the record, what the trail says and what the row says.
Every check is set-based (a few queries, batches read in key order), so the whole run
stays fast and flat in memory at a million events.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from openqms.core import audit, checkpoints, files, modules
from openqms.core.models import AuditEvent, Signature, StoredFile
from openqms.core.periodic import StillFailing
from openqms.core.signatures import (
    MANIFEST_FIELDS,
    load_by_type,
    manifest_hash_of,
    signed_texts_loader,
)
from openqms.core.triggers import expected_triggers, missing_triggers

BATCH = 2000


@dataclass(frozen=True)
class Finding:
    """One inconsistency: `record` names it ("documents.revision 12 (SOP-001 rev B)")."""

    check: str
    record: str
    trail_says: str
    row_says: str

    def line(self) -> str:
        return f"{self.record}: the trail says {self.trail_says}; the row says {self.row_says}"

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


class Findings(list):
    """What a check returns: its findings, and how many records it looked at."""

    def __init__(self, found: Iterable[Finding] = (), *, checked: int = 0, note: str = "") -> None:
        super().__init__(found)
        self.checked, self.note = checked, note


@dataclass(frozen=True)
class Section:
    name: str
    ok: bool
    checked: int
    seconds: float
    findings: int = 0
    note: str = ""

    def line(self) -> str:
        status = "ok" if self.ok else f"FAILED ({self.findings} finding(s))"
        note = f"; {self.note}" if self.note else ""
        return f"{self.name}: {status}, {self.checked} checked in {self.seconds:.2f} s{note}"


@dataclass(frozen=True)
class IntegrityReport:
    sections: list[Section]
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(s.ok for s in self.sections) and not self.findings

    def summary(self) -> str:
        head = "integrity: all checks hold" if self.ok else "integrity: CHECKS FAILED"
        return "\n".join([head, *(f"  {s.line()}" for s in self.sections)])

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "sections": [asdict(s) for s in self.sections],
            "findings": [f.as_dict() for f in self.findings],
        }


Check = Callable[[], Iterable[Finding]]


def run(*, since_checkpoint: bool = False, workers: int = 1) -> IntegrityReport:
    """Every check, in order: the chain and its checkpoints, the signatures, the files,
    each module's reconciliation. A check that raises is a failed section, not a crash.

    `since_checkpoint`: the chain, the signatures and the files only past the newest
    checkpoint that holds (the daily quick check); reconciliation always runs in full,
    since an edited row leaves no event to start from."""
    section, found, start = _anchored(since_checkpoint=since_checkpoint, workers=workers)
    sections, findings = [section], found
    checks: list[tuple[str, Check]] = [
        ("signatures", lambda: check_signatures(after_seq=start)),
        ("file store", lambda: check_files(stored_after=_time_of(start))),
        (PROTECTIONS, check_triggers),
        *((_name(m.label, check), check) for m in modules.installed() for check in m.reconcile),
    ]
    for name, check in checks:
        section, found = _timed(name, check)
        sections.append(section)
        findings += found
    return IntegrityReport(sections, findings)


def _time_of(seq: int) -> dt.datetime | None:
    return AuditEvent.objects.filter(seq=seq).values_list("at", flat=True).first()


def _name(label: str, check: Check) -> str:
    words = getattr(check, "__name__", "check").strip("_").replace("_", " ")
    return f"{label}: {words}"


@contextmanager
def snapshot() -> Iterator[None]:
    """One consistent view of the database for a check that compares two tables, so an
    action committing meanwhile (its row and its event together) is seen whole or not at
    all. Takes no write lock: writers carry on."""
    if connection.in_atomic_block:  # the caller's transaction is the view (tests)
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    else:
        # SQLite in WAL mode: a deferred transaction reads one snapshot; Django's own would
        # be IMMEDIATE (settings) and hold the write lock for the whole check.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("COMMIT")


def _timed(name: str, check: Check) -> tuple[Section, list[Finding]]:
    started = time.monotonic()
    try:
        with snapshot():
            result = check()
            found = list(result)
        checked = getattr(result, "checked", len(found))
        note = getattr(result, "note", "")
    except Exception as error:  # one broken check must not hide the others
        found = [Finding(name, "the check itself", "it should run", f"it failed: {error!r}")]
        checked, note = 0, ""
    seconds = time.monotonic() - started
    return Section(name, not found, checked, round(seconds, 3), len(found), note), found


# -- the chain and its checkpoints ------------------------------------------------------

CHAIN = "audit chain and checkpoints"


def _anchored(*, since_checkpoint: bool, workers: int) -> tuple[Section, list[Finding], int]:
    """The chain against its checkpoints, the checkpoint log and the keys (outside any
    transaction: it may fan out to processes). Also answers where the check started."""
    started = time.monotonic()
    try:
        report = checkpoints.verify_anchored(since_checkpoint=since_checkpoint, workers=workers)
    except Exception as error:  # e.g. an unreadable key file: a failed check, named
        failed = Finding(CHAIN, "the check itself", "it should run", f"it failed: {error!r}")
        return Section(CHAIN, False, 0, round(time.monotonic() - started, 3), 1), [failed], 0
    found = [
        Finding(CHAIN, f"audit trail (head #{report.head_seq})", _PROVED_BY, problem)
        for problem in report.problems
    ]
    if not report.ok and not found:
        found.append(
            Finding(CHAIN, f"audit event #{report.broken_seq}", _PROVED_BY, report.summary())
        )
    seconds = round(time.monotonic() - started, 3)
    note = "; ".join(report.notes)
    section = Section(CHAIN, not found, report.checked, seconds, len(found), note)
    return section, found, report.start_seq


_PROVED_BY = "the signed checkpoints, the checkpoint log and the chain's links agree"


# -- database protections ------------------------------------------------------------

PROTECTIONS = "database protections"


def check_triggers() -> Findings:
    """The append-only and record-protecting triggers are all in the database: a restore
    of a copy that had lost them, or someone dropping them, leaves the trail editable."""
    missing = missing_triggers(connection)
    found = Findings(
        Finding(
            PROTECTIONS,
            f"trigger {name}",
            "installed by `openqms migrate` (it refuses changes to protected rows)",
            "missing from the database (run `openqms migrate` to put it back)",
        )
        for name in missing
    )
    found.checked = len(expected_triggers(connection))
    return found


# -- signatures -----------------------------------------------------------------------

Contents = dict[str, tuple[str, str]]  # object id: (signed version, its content's hash)
# A signature's columns as read: its pk, the manifest's fields, and its audit event's.
_COLUMNS = (
    "pk",
    *MANIFEST_FIELDS,
    "manifest_hash",
    "audit_event_id",
    "audit_event__action",
    "audit_event__changes",
)
SIGNED = "core.signature.signed"


def _contents_loader(object_type: str) -> Callable[[list[str]], Contents] | None:
    """Reads the signed versions and content hashes of many objects of one type at once."""
    load = signed_texts_loader(object_type)
    if load is None:
        return None
    return lambda ids: {
        k: (v, hashlib.sha256(text.encode()).hexdigest()) for k, (v, text) in load(ids).items()
    }


def check_signatures(*, after_seq: int = 0) -> Findings:
    """Every live signature: its manifest hash recomputed and equal to the one its audit
    event recorded; the content hash recomputed where the object still has that version.
    Read in key order, a batch at a time, each batch's objects in a query or two."""
    live = Signature.objects.filter(voided_at__isnull=True)
    if after_seq:  # only then: a range on this index would make every batch sort it all
        live = live.filter(audit_event_id__gt=after_seq)
    found, checked, last = Findings(), 0, 0
    loaders: dict[str, Callable[[list[str]], Contents] | None] = {}
    while rows := list(live.filter(pk__gt=last).order_by("pk").values_list(*_COLUMNS)[:BATCH]):
        last, checked = rows[-1][0], checked + len(rows)
        pairs = ((row[5], row[6]) for row in rows)
        contents = load_by_type(pairs, loaders, _contents_loader)
        for row in rows:
            said = json.loads(row[12]) if row[11] == SIGNED else {}
            found += _check_signature(row, said, contents.get((row[5], row[6])))
    found.checked = checked
    return found


def _check_signature(row: tuple, said: dict, signed: tuple[str, str] | None) -> list[Finding]:
    pk, fields, manifest, seq = row[0], row[1:9], row[9], row[10]
    object_type, object_id, version, chash = fields[4], fields[5], fields[6], fields[7]
    record = (
        f"core.signature {pk} ({fields[1]}, {fields[3]}, {object_type} {object_id} "
        f"version {version})"
    )
    problems = []
    if manifest_hash_of(*fields) != manifest:
        problems.append(
            Finding(
                "signatures",
                record,
                f"manifest hash {str(said.get('manifest_hash'))[:16]}… (event #{seq})",
                "its fields no longer give the manifest hash it stores (altered)",
            )
        )
    elif said.get("manifest_hash") != manifest:
        problems.append(
            Finding(
                "signatures",
                record,
                f"manifest hash {str(said.get('manifest_hash'))[:16]}… (event #{seq})",
                f"manifest hash {manifest[:16]}… (the signature was rewritten)",
            )
        )
    if signed is None:
        problems.append(
            Finding(
                "signatures",
                record,
                f"{object_type} {object_id} was signed (event #{seq})",
                "that record does not exist",
            )
        )
    elif signed[0] == version and signed[1] != chash:
        problems.append(
            Finding(
                "signatures",
                record,
                f"the signed content had SHA-256 {chash[:16]}…",
                f"the record's content now hashes to {signed[1][:16]}… (changed after signing)",
            )
        )
    return problems


# -- the file store -------------------------------------------------------------------


def check_files(*, stored_after: dt.datetime | None = None) -> Findings:
    """Every stored file's bytes against their SHA-256 (or those stored after a time)."""
    found = Findings(
        Finding(
            "file store",
            f"core.storedfile {stored.pk} ({stored.sha256})",
            f"the stored file's SHA-256 is {stored.sha256[:16]}… ({stored.size} bytes)",
            problem,
        )
        for stored, problem in files.verify_files(stored_after=stored_after)
    )
    stored = StoredFile.objects.all()
    found.checked = (stored.filter(stored_at__gt=stored_after) if stored_after else stored).count()
    return found


# -- the scheduled check (`openqms tick`) ---------------------------------------------

CHECKED = "core.integrity.checked"
KEPT_FINDINGS = 50  # in the event; `openqms verify` lists them all


def last_results(count: int = 10) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=CHECKED).order_by("-seq")[:count])


def scheduled_check() -> str:
    """The tick job "core: integrity check": the full check at most once per
    OPENQMS_INTEGRITY_HOURS (0: every tick), its result recorded in the trail. While the
    last result is a failure, every tick says so and exits non-zero."""
    last = AuditEvent.objects.filter(action=CHECKED).order_by("-seq").first()
    hours = settings.INTEGRITY_HOURS
    if last is not None and hours and timezone.now() - last.at < dt.timedelta(hours=hours):
        said = json.loads(last.changes)
        when = last.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        if not said.get("ok"):
            raise StillFailing(
                f"the integrity check of {when} FAILED with {said.get('findings_total')} "
                "finding(s): see the Integrity page or run `openqms verify`"
            )
        return f"not due: all checks held at {when} (every {hours} h)"
    report = run(workers=os.cpu_count() or 1)
    _record(report)
    if not report.ok:
        raise StillFailing(
            f"integrity check FAILED with {len(report.findings)} finding(s): see the "
            "Integrity page or run `openqms verify`"
        )
    return f"all checks hold ({len(report.sections)} checks)"


@audit.writing()
def _record(report: IntegrityReport) -> None:
    audit.record(
        actor=None,
        action=CHECKED,
        object_type="core.integrity",
        object_id="openqms verify",
        changes={
            "ok": report.ok,
            "sections": [
                {
                    "name": s.name,
                    "ok": s.ok,
                    "checked": s.checked,
                    "findings": s.findings,
                    "seconds": s.seconds,
                }
                for s in report.sections
            ],
            "findings": [f.as_dict() for f in report.findings[:KEPT_FINDINGS]],
            "findings_total": len(report.findings),
        },
    )
