"""`openqms verify`: every integrity check at once (Part 11 §11.10(a)(c)(e), Annex 11 §7, §8).

The audit chain proves that the trail is consistent with itself; this proves that the
records are consistent with the trail and with their signatures:

- the audit chain (and, where checkpoints exist, the chain against them);
- every live signature: its manifest hash recomputed and equal to the one the chained
  audit event recorded, and the signed content's hash recomputed from the record;
- the file store: every stored file's bytes against their SHA-256;
- reconciliation: each module's checks (`Module.reconcile`) that compare what its rows
  say now with what the trail recorded when they changed (a revision made effective in
  the database without an approval, a competence expiry moved, a role un-revoked).

Each problem is a `Finding`: the record, what the trail says and what the row says.
Every check is set-based (a few queries, batches read in key order), so the whole run
stays fast and flat in memory at a million events.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone

from openqms.core import audit, chain, files, modules
from openqms.core.models import AuditEvent, Signature, StoredFile
from openqms.core.periodic import StillFailing
from openqms.core.signatures import content_hash, manifest_hash

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
    """Every check, in order: the chain, the signatures, the files, each module's
    reconciliation. A check that raises is a failed section, not a crash."""
    checks: list[tuple[str, Check]] = [
        ("audit chain", lambda: _chain(since_checkpoint=since_checkpoint, workers=workers)),
        ("signatures", check_signatures),
        ("file store", check_files),
        *((_name(m.label, check), check) for m in modules.installed() for check in m.reconcile),
    ]
    sections, findings = [], []
    for name, check in checks:
        section, found = _timed(name, check)
        sections.append(section)
        findings += found
    return IntegrityReport(sections, findings)


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
    note = ""
    try:
        if name == "audit chain":  # append-only; may fan out to processes
            result = check()
        else:
            with snapshot():
                result = check()
        found = list(result)
        checked = getattr(result, "checked", len(found))
        note = getattr(result, "note", "")
    except Exception as error:  # one broken check must not hide the others
        found = [Finding(name, "the check itself", "it should run", f"it failed: {error!r}")]
        checked = 0
    seconds = time.monotonic() - started
    return Section(name, not found, checked, round(seconds, 3), len(found), note), found


# -- the chain ------------------------------------------------------------------------


def _chain(*, since_checkpoint: bool, workers: int) -> Findings:
    report = chain.verify_chain(workers=workers)
    found = Findings(checked=report.checked, note=report.summary())
    if not report.ok:
        found.append(
            Finding(
                "audit chain",
                f"audit event #{report.broken_seq}",
                f"the chain holds up to #{report.last_seq} ({report.last_hash[:16]}…)",
                report.problem,
            )
        )
    return found


# -- signatures -----------------------------------------------------------------------


def _keyset(queryset: models.QuerySet, batch: int = BATCH) -> Iterator[list]:
    """The queryset's rows in primary-key order, `batch` at a time (memory stays flat)."""
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page[:batch])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def _loader(object_type: str) -> Callable[[list[str]], dict[str, Any]] | None:
    """Loads the signed objects of one type by their ids, in one query (or a few: a model
    may say what its content needs with `for_signature_check(queryset)`)."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return None
    queryset = model._default_manager.all()
    prepare = getattr(model, "for_signature_check", None)
    if prepare is not None:
        queryset = prepare(queryset)
    to_python = model._meta.pk.to_python

    def load(ids: list[str]) -> dict[str, Any]:
        keys = {}
        for object_id in ids:
            try:
                keys[to_python(object_id)] = object_id
            except ValidationError:  # an id that cannot be a key names nothing
                continue
        return {keys[pk]: obj for pk, obj in queryset.in_bulk(list(keys)).items()}

    return load


def _sig_record(sig: Signature) -> str:
    return (
        f"core.signature {sig.pk} ({sig.printed_name}, {sig.meaning}, "
        f"{sig.object_type} {sig.object_id} version {sig.object_version})"
    )


def check_signatures(*, after_seq: int = 0) -> Findings:
    """Every live signature: its manifest hash recomputed and equal to the one its audit
    event recorded; the content hash recomputed where the object still has that version."""
    live = Signature.objects.filter(voided_at__isnull=True, audit_event_id__gt=after_seq)
    found, checked = Findings(), 0
    loaders: dict[str, Callable[[list[str]], dict[str, Any]] | None] = {}
    for batch in _keyset(live.select_related("audit_event")):
        checked += len(batch)
        wanted: dict[str, set[str]] = defaultdict(set)
        for sig in batch:
            wanted[sig.object_type].add(sig.object_id)
        objects: dict[tuple[str, str], Any] = {}
        for object_type, ids in wanted.items():
            if object_type not in loaders:
                loaders[object_type] = _loader(object_type)
            load = loaders[object_type]
            if load is not None:
                objects |= {(object_type, k): v for k, v in load(sorted(ids)).items()}
        hashes: dict[tuple[str, str], str] = {}
        for sig in batch:
            found += _check_signature(sig, objects.get((sig.object_type, sig.object_id)), hashes)
    found.checked = checked
    return found


def _check_signature(sig: Signature, obj: Any, hashes: dict[tuple[str, str], str]) -> list:
    record, problems = _sig_record(sig), []
    event = sig.audit_event
    recorded = json.loads(event.changes) if event.action == "core.signature.signed" else {}
    if manifest_hash(sig) != sig.manifest_hash:
        problems.append(
            Finding(
                "signatures",
                record,
                f"its manifest hash is {recorded.get('manifest_hash', '?')[:16]}…",
                "its fields no longer give the manifest hash it stores (altered)",
            )
        )
    elif recorded.get("manifest_hash") != sig.manifest_hash:
        problems.append(
            Finding(
                "signatures",
                record,
                f"event #{event.seq} recorded manifest hash "
                f"{str(recorded.get('manifest_hash'))[:16]}…",
                f"manifest hash {sig.manifest_hash[:16]}… (the signature was rewritten)",
            )
        )
    if obj is None:
        problems.append(
            Finding(
                "signatures",
                record,
                f"{sig.object_type} {sig.object_id} was signed (event #{event.seq})",
                "that record does not exist",
            )
        )
    elif str(obj.signature_version()) == sig.object_version:
        key = (sig.object_type, sig.object_id)
        if key not in hashes:
            hashes[key] = content_hash(obj.signature_content())
        if hashes[key] != sig.content_hash:
            problems.append(
                Finding(
                    "signatures",
                    record,
                    f"the signed content had SHA-256 {sig.content_hash[:16]}…",
                    f"the record's content now hashes to {hashes[key][:16]}… (changed after "
                    "signing)",
                )
            )
    return problems


# -- the file store -------------------------------------------------------------------


def check_files() -> Findings:
    found = Findings(
        Finding(
            "file store",
            f"core.storedfile {stored.pk} ({stored.sha256})",
            f"the stored file's SHA-256 is {stored.sha256[:16]}… ({stored.size} bytes)",
            problem,
        )
        for stored, problem in files.verify_files()
    )
    found.checked = StoredFile.objects.count()
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
