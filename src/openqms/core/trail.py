"""Reading the audit trail: filters, keyset pages, the records' names, and streaming
export (CSV, JSON).

Each event names its record by type and id ("documents.revision 13"); the module owning
the type says what people call it ("WI-007 rev A"), where it is, and whether the viewer
may open it (core.modules.record_refs, one call per page). An event of a record the
viewer cannot open is shown without its content: when, what, who, and "record you
cannot open" — a draft's text never reaches someone who may not open the draft, on the
page, in the exports or through the API.

Health data (core.confidentiality): a change to a field its module declares as health
data shows "Health data — hidden", old and new value alike, to a viewer without
`core.health_data:read`; a holder sees it and the read is recorded (one event per
record per page or export). Exports holding health data say so. Masking is display
only: the stored events, and so the chain, are never touched.

Days are the instance's (settings.TIME_ZONE): "1 July" means midnight to midnight in
that zone, as the page shows the times.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from openqms.core import audit, confidentiality, modules
from openqms.core.models import AuditEvent, User
from openqms.core.modules import RecordRef
from openqms.core.registry import event_types
from openqms.core.spreadsheet import safe

EXPORT_FIELDS = [
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "action_label",
    "object_type",
    "object_id",
    "changes",
    "reason",
    "ip",
    "user_agent",
    "prev_hash",
    "hash",
    # Added later, at the end, so the columns before keep their places.
    "at_local",
    "record",
]
CANNOT_OPEN = "Record you cannot open"
# The fields an event of a record the viewer cannot open is shown without.
CONTENT_FIELDS = ("changes", "reason", "ip", "user_agent")


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_time(at: dt.datetime) -> str:
    """An event's time as the page shows it: in the instance's zone, the zone named."""
    return at.astimezone(zone()).strftime("%Y-%m-%d %H:%M:%S %Z")


@dataclass(frozen=True)
class EventFilter:
    object_type: str = ""
    object_id: str = ""
    username: str = ""  # who acted: a username, or part of a person's name
    record: str = ""  # what about: a number, a title, a person (each module says)
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    def apply(self, events: QuerySet[AuditEvent], viewer: User | None = None) -> QuerySet:
        if self.object_type:
            events = events.filter(object_type=self.object_type)
        if self.object_id:
            events = events.filter(object_id=self.object_id)
        if self.username.strip():
            events = events.filter(_actors(self.username.strip()))
        if self.record.strip():
            events = events.filter(_records(viewer, self.record.strip()))
        if self.action:
            events = events.filter(action=self.action)
        if self.since:
            events = events.filter(at__gte=start_of(self.since))
        if self.until and self.until < dt.date.max:  # "until the end of time" bounds nothing
            events = events.filter(at__lt=start_of(self.until + dt.timedelta(days=1)))
        return events

    def as_query(self) -> dict[str, str]:
        """The filter as the trail page's query parameters (empty ones left out)."""
        values = {
            "object_type": self.object_type,
            "object_id": self.object_id,
            "user": self.username.strip(),
            "record": self.record.strip(),
            "action": self.action,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {k: v for k, v in values.items() if v}


def _actors(text: str) -> Q:
    """Events by a person named by username or part of their name, or by the system."""
    people = User.objects.filter(Q(username__iexact=text) | Q(full_name__icontains=text))
    return Q(actor__in=people) | Q(actor__isnull=True, actor_name__icontains=text)


def _records(viewer: User | None, text: str) -> Q:
    """Events of the records `text` names, among those the viewer may open."""
    if viewer is None:
        return Q(pk__in=[])
    named = Q(pk__in=[])
    for object_type, ids in modules.record_searches(viewer, text):
        named |= Q(object_type=object_type, object_id__in=ids)
    return named


def start_of(day: dt.date) -> dt.datetime:
    """Midnight of a calendar day in the instance's time zone (what a person means by a
    date), whatever zone the request runs in."""
    day = max(day, dt.date.min + dt.timedelta(days=1))  # room for any UTC offset
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone())


def page(events: QuerySet[AuditEvent], *, before: int | None, size: int) -> tuple[list, int | None]:
    """Newest first, keyset by sequence number: constant cost however long the trail."""
    if before:
        events = events.filter(seq__lt=before)
    rows = list(events.order_by("-seq")[: size + 1])
    more = rows[size].seq + 1 if len(rows) > size else None
    return rows[:size], more


@dataclass(frozen=True)
class Row:
    """One event as a viewer sees it: its record's name and link, its content if the
    viewer may open the record."""

    event: AuditEvent
    record: RecordRef
    masked: tuple[str, ...] = ()  # health-data fields shown as hidden to this viewer

    @property
    def readable(self) -> bool:
        return self.record.readable

    @property
    def local_time(self) -> str:
        return local_time(self.event.at)

    @property
    def changes(self) -> list[tuple[str, str]]:
        return changes_shown(stored_changes(self.event, self.masked))


def stored_changes(event: AuditEvent, masked: Sequence[str] = ()) -> str:
    """The event's changes as stored (the hashed text), or, with health-data fields to
    mask, the same JSON with their values hidden."""
    if not masked:
        return event.changes
    changes = confidentiality.mask_changes(json.loads(event.changes), masked)
    return audit.canonical_json(changes)


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) if value else "(none)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def changes_shown(changes_json: str) -> list[tuple[str, str]]:
    """[(field, text)] of an event's stored changes, in plain words. A change is stored
    as [old, new] (audit.diff), and so every field of a change event is a pair; an event
    that records what was made ({"attendees": ["omar", "tom"], "trainer": "qa"}) has
    values, and a list among them is a list, not "omar → tom"."""
    try:
        changes = json.loads(changes_json)
    except ValueError:
        return [("?", changes_json)]
    if not isinstance(changes, dict):
        return [("?", _value(changes))]
    pairs = bool(changes) and all(isinstance(v, list) and len(v) == 2 for v in changes.values())
    if pairs:
        return [(field, f"{_value(old)} → {_value(new)}") for field, (old, new) in changes.items()]
    return [(field, _value(value)) for field, value in changes.items()]


def _unclaimed(event: AuditEvent) -> RecordRef:
    """A record no module named: its type and id. Readable unless a module with names
    owns the type (then the id names nothing the viewer may open)."""
    owner = event.object_type.split(".", 1)[0]
    owned = any(m.label == owner and m.records is not None for m in modules.installed())
    label = f"{event.object_type} {event.object_id}".strip()
    return RecordRef(label, readable=not owned)


def rows_for(viewer: User, events: list[AuditEvent], *, record_reads: bool = True) -> list[Row]:
    """The viewer's view of `events`: one call per module for the whole list. Health
    data is masked unless the viewer holds the grant; then its reads are recorded (one
    event per record) unless the caller recorded them already (`record_reads` False)."""
    refs = modules.record_refs(viewer, {(e.object_type, e.object_id) for e in events})
    sees_health = confidentiality.may_see(viewer)
    rows = []
    reads: dict[tuple[str, str], set[str]] = {}
    for event in events:
        key = (event.object_type, event.object_id)
        ref = refs.get(key) or _unclaimed(event)
        if not ref.readable:
            rows.append(Row(event, RecordRef(CANNOT_OPEN, readable=False)))
            continue
        health = confidentiality.touched(event.object_type, event.changes)
        if health and sees_health:
            reads.setdefault(key, set()).update(health)
        rows.append(Row(event, ref, masked=() if sees_health else tuple(health)))
    if record_reads:
        confidentiality.record_reads(viewer, reads)
    return rows


WITHHELD = "withheld"


def as_record(
    event: AuditEvent, ref: RecordRef | None = None, masked: Sequence[str] = ()
) -> dict[str, Any]:
    """One event as exported; `ref` None (the command line) is the whole event. The
    `masked` health-data fields show as hidden, and the event's hashes are withheld."""
    record = {
        "seq": event.seq,
        "at": audit.format_time(event.at),
        "at_local": local_time(event.at),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "action_label": event_types.label(event.action),
        "object_type": event.object_type,
        "object_id": event.object_id,
        "record": ref.label if ref else f"{event.object_type} {event.object_id}".strip(),
        "changes": json.loads(stored_changes(event, masked)),
        "reason": event.reason,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }
    if ref is not None and not ref.readable:
        record |= {"changes": {}, "reason": "", "ip": "", "user_agent": ""}
    if masked or (ref is not None and not ref.readable):
        # The hash covers the hidden values, and every other input is in this record: a
        # viewer could test guesses (sex, age, outcome) until it matched. Checking the chain
        # is `openqms audit verify`'s job, not a viewer's.
        record |= {"prev_hash": WITHHELD, "hash": WITHHELD}
    return record


@dataclass(frozen=True)
class Disclosure:
    """What an export does with health data, decided before its first byte: `reveal`
    the values (the exporter holds the grant), and `marked`: some are in the file, so
    it says so first (CSV) or on each event holding them (JSON)."""

    reveal: bool = False
    marked: bool = False


def disclosure(
    events: QuerySet[AuditEvent], viewer: User | None, *, command_line: bool = False
) -> Disclosure:
    """Decide, and record the reads now (one event per record holding health data in
    the export): a holder's export is a read of every such record it contains. The
    command line (`viewer` None) reveals only when asked (`command_line`)."""
    reveal = confidentiality.may_see(viewer) if viewer is not None else command_line
    if not reveal:
        return Disclosure()
    reads = _health_reads(events, viewer)
    confidentiality.record_reads(viewer, reads)
    return Disclosure(reveal=True, marked=bool(reads))


def _health_reads(
    events: QuerySet[AuditEvent], viewer: User | None
) -> dict[tuple[str, str], set[str]]:
    """The records whose health data `events` hold, with the fields, among those the
    viewer may open: one query per declared field (a handful), not one per event."""
    reads: dict[tuple[str, str], set[str]] = {}
    for object_type, fields in confidentiality.declared().items():
        for name in fields:
            keys = (
                events.filter(object_type=object_type, changes__contains=f'"{name}":')
                .order_by()
                .values_list("object_type", "object_id")
                .distinct()
            )
            for key in keys:
                reads.setdefault(key, set()).add(name)
    if viewer is not None and reads:
        refs = modules.record_refs(viewer, reads)
        unreadable = [k for k in reads if not (refs.get(k) or _unclaimed_key(k)).readable]
        for key in unreadable:
            del reads[key]
    return reads


def _unclaimed_key(key: tuple[str, str]) -> RecordRef:
    return _unclaimed(AuditEvent(object_type=key[0], object_id=key[1]))


def _stream(
    events: QuerySet[AuditEvent], viewer: User | None, shown: Disclosure
) -> Iterator[tuple[AuditEvent, RecordRef | None, tuple[str, ...]]]:
    """Oldest first, a batch at a time (memory stays flat), each batch's records named
    in one call; the command line (`viewer` None) exports whole events. Each event comes
    with the health-data fields it holds: masked unless `shown.reveal`."""
    chunks = events.order_by("seq").iterator(chunk_size=2000)
    while batch := list(islice(chunks, 2000)):
        if viewer is None:
            for event in batch:
                yield event, None, tuple(confidentiality.touched(event.object_type, event.changes))
        else:
            for row in rows_for(viewer, batch, record_reads=False):
                held = confidentiality.touched(row.event.object_type, row.event.changes)
                yield row.event, row.record, tuple(held) if row.readable else ()


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_csv(
    events: QuerySet[AuditEvent], viewer: User | None = None, shown: Disclosure = Disclosure()
) -> Iterator[str]:
    """CSV for a spreadsheet: every typed text (a reason, a user agent, a name) that
    would start a formula is neutralised, as in every export (core.spreadsheet). A file
    holding health data says so on its first line, before the header."""
    writer = csv.writer(_Echo())
    if shown.marked:
        yield writer.writerow([confidentiality.export_note()])
    yield writer.writerow(EXPORT_FIELDS)
    for event, ref, held in _stream(events, viewer, shown):
        masked = () if shown.reveal else held
        record = as_record(event, ref, masked)
        # The stored text, exactly as hashed (none for a record the viewer cannot open;
        # health data hidden for an exporter without the grant).
        readable = ref is None or ref.readable
        record["changes"] = stored_changes(event, masked) if readable else "{}"
        yield writer.writerow([safe(record[f]) for f in EXPORT_FIELDS])


def export_json(
    events: QuerySet[AuditEvent], viewer: User | None = None, shown: Disclosure = Disclosure()
) -> Iterator[str]:
    """A JSON array written piece by piece, so memory stays flat. An event whose health
    data the file holds carries "health_data": the mark, naming its fields."""
    yield "[\n"
    first = True
    for event, ref, held in _stream(events, viewer, shown):
        record = as_record(event, ref, () if shown.reveal else held)
        if shown.reveal and held:
            record["health_data"] = f"{confidentiality.MARK}: {', '.join(held)}"
        yield ("" if first else ",\n") + json.dumps(record, ensure_ascii=False)
        first = False
    yield "\n]\n"


def summary(events: QuerySet[AuditEvent]) -> dict[str, Any]:
    """How many events a view holds and which: the first and last sequence numbers and
    the last one's hash (what an audit-trail review says it covered)."""
    found = events.aggregate(first=Min("seq"), last=Max("seq"))
    count = events.count()
    last_hash = ""
    if found["last"] is not None:
        last_hash = AuditEvent.objects.filter(seq=found["last"]).values_list("hash", flat=True)[0]
    return {
        "events": count,
        "first_seq": found["first"],
        "last_seq": found["last"],
        "last_hash": last_hash,
    }


def today() -> dt.date:
    return timezone.now().astimezone(zone()).date()
