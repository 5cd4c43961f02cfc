"""Reading the audit trail: filters, keyset pages and streaming export (CSV, JSON)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from openqms.core import audit
from openqms.core.models import AuditEvent
from openqms.core.registry import event_types

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
]


@dataclass(frozen=True)
class EventFilter:
    object_type: str = ""
    object_id: str = ""
    username: str = ""
    action: str = ""
    since: dt.date | None = None
    until: dt.date | None = None

    def apply(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if self.object_type:
            events = events.filter(object_type=self.object_type)
        if self.object_id:
            events = events.filter(object_id=self.object_id)
        if self.username:
            events = events.filter(actor__username=self.username.strip().lower())
        if self.action:
            events = events.filter(action=self.action)
        if self.since:
            events = events.filter(at__gte=_start_of(self.since))
        if self.until and self.until < dt.date.max:  # "until the end of time" bounds nothing
            events = events.filter(at__lt=_start_of(self.until + dt.timedelta(days=1)))
        return events


def _start_of(day: dt.date) -> dt.datetime:
    """Midnight of a calendar day in the site's time zone (what a person means by a date)."""
    day = max(day, dt.date.min + dt.timedelta(days=1))  # room for any UTC offset
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def page(events: QuerySet[AuditEvent], *, before: int | None, size: int) -> tuple[list, int | None]:
    """Newest first, keyset by sequence number: constant cost however long the trail."""
    if before:
        events = events.filter(seq__lt=before)
    rows = list(events.order_by("-seq")[: size + 1])
    more = rows[size].seq + 1 if len(rows) > size else None
    return rows[:size], more


def as_record(event: AuditEvent) -> dict:
    return {
        "seq": event.seq,
        "at": audit.format_time(event.at),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "action_label": event_types.label(event.action),
        "object_type": event.object_type,
        "object_id": event.object_id,
        "changes": json.loads(event.changes),
        "reason": event.reason,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def _stream(events: QuerySet[AuditEvent]) -> Iterator[AuditEvent]:
    return events.order_by("seq").iterator(chunk_size=2000)


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_csv(events: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_FIELDS)
    for event in _stream(events):
        record = as_record(event)
        record["changes"] = event.changes
        yield writer.writerow([record[f] for f in EXPORT_FIELDS])


def export_json(events: QuerySet[AuditEvent]) -> Iterator[str]:
    """A JSON array written piece by piece, so memory stays flat."""
    yield "[\n"
    first = True
    for event in _stream(events):
        yield ("" if first else ",\n") + json.dumps(as_record(event), ensure_ascii=False)
        first = False
    yield "\n]\n"
