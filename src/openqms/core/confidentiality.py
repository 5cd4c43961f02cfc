"""Confidentiality classes and health data (ISO 13485 4.2.5; GDPR art. 9 special category).

Every record has a confidentiality class: "internal" (the default), "confidential", or
"health" (its module's RecordClass says so). Independently of the class, a module names
the fields that hold health data (`Module.health_data`, e.g. a complaint's patient
details). Those fields reach a person only through `reveal`:

- a holder of `core.health_data:read` sees the values, and the read is recorded: one
  `core.health_data.read` event per view of a record, naming the record and the fields;
- anyone else sees "Health data — hidden", never the value.

The same rule holds in the audit trail (page, API, exports): changes to health-data
fields are masked for non-holders, old and new values alike, and shown (the read
recorded) to holders. Masking is display only: the stored events and their hashes are
never touched. Human-readable exports that hold health data say so ("Contains health
data"); the whole-instance archive keeps every value (the company's own backup).

The fields come from the module contract in memory (modules.health_fields): masking
costs no query per row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection

from openqms.core import audit, modules
from openqms.core.access import has_permission
from openqms.core.models import User
from openqms.core.registry import HEALTH_DATA_READ

INTERNAL, CONFIDENTIAL, HEALTH = "internal", "confidential", "health"
CLASSES = {
    INTERNAL: "Internal",
    CONFIDENTIAL: "Confidential",
    HEALTH: "Health data",
}
HIDDEN = "Health data — hidden"
MARK = "Contains health data"
READ_EVENT = "core.health_data.read"

RecordKey = tuple[str, str]


def object_type_of(record: Any) -> str:
    return f"{record._meta.app_label}.{record._meta.model_name}"


def key_of(record: Any) -> RecordKey:
    return (object_type_of(record), str(record.pk))


def health_fields(object_type: str) -> tuple[str, ...]:
    return modules.health_fields(object_type)


def class_of(object_type: str, classes: Sequence[modules.RecordClass] | None = None) -> str:
    """A record's confidentiality class: "health" when it has health-data fields, else
    the class its RecordClass declares (the strictest if several), else "internal".
    Pass `classes` (modules.record_classes(), taken once) when asking for many types."""
    if health_fields(object_type):
        return HEALTH
    order = list(CLASSES)
    classes = modules.record_classes() if classes is None else classes
    found = [c.confidentiality for c in classes if c.object_type == object_type]
    return max(found, key=order.index, default=INTERNAL)


def may_see(viewer: User | None) -> bool:
    """Whether `viewer` holds the grant (an anonymous or missing viewer never does)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    return has_permission(viewer, HEALTH_DATA_READ)


def record_reads(viewer: User | None, reads: Mapping[RecordKey, Iterable[str]]) -> None:
    """One `core.health_data.read` event per record, naming its fields: every read of
    health data is recorded (ISO 13485 4.2.5). `viewer` None is the command line."""
    wanted = {key: sorted(set(fields)) for key, fields in reads.items() if fields}
    if not wanted:
        return
    if connection.in_atomic_block:  # inside a writer's transaction (an action): join it
        _write_reads(viewer, wanted)
        return
    with audit.writing():
        _write_reads(viewer, wanted)


def _write_reads(viewer: User | None, wanted: Mapping[RecordKey, list[str]]) -> None:
    for (object_type, object_id), fields in sorted(wanted.items()):
        audit.record(
            actor=viewer,
            action=READ_EVENT,
            object_type=object_type,
            object_id=object_id,
            changes={"fields": fields},
        )


def reveal(viewer: User | None, record: Any, fields: Sequence[str] | None = None) -> dict:
    """{field: value} of `record`'s health-data fields (all of them when `fields` is
    None) for a holder, the read recorded; {field: HIDDEN} for anyone else."""
    object_type = object_type_of(record)
    declared = health_fields(object_type)
    names = list(declared if fields is None else fields)
    unknown = set(names) - set(declared)
    if unknown:
        raise ValueError(f"{object_type} declares no health data {sorted(unknown)}")
    if not may_see(viewer):
        return dict.fromkeys(names, HIDDEN)
    record_reads(viewer, {key_of(record): names})
    return {name: getattr(record, name) for name in names}


def revealed_for(request: Any, record: Any) -> dict:
    """`reveal` once per request and record (a page or an API answer is one view, however
    many times it shows the fields): the template tag and the API resolver use it."""
    cache: dict[RecordKey, dict] = request.__dict__.setdefault("_openqms_revealed", {})
    key = key_of(record)
    if key not in cache:
        cache[key] = reveal(request.user, record)
    return cache[key]


def resolver(field: str):
    """A django-ninja resolver for a health-data field of an output schema:
    `resolve_patient_details = staticmethod(confidentiality.resolver("patient_details"))`.
    """

    def resolve(obj: Any, context: Mapping[str, Any]) -> Any:
        return revealed_for(context["request"], obj)[field]

    return resolve


# -- the audit trail ----------------------------------------------------------------------


def mask_changes(changes: Any, fields: Sequence[str]) -> Any:
    """The event's changes with every health-data field's value(s) replaced by HIDDEN:
    a change [old, new] becomes [HIDDEN, HIDDEN], a recorded value becomes HIDDEN."""
    if not fields or not isinstance(changes, dict):
        return changes
    masked = dict(changes)
    for name in fields:
        if name in masked:
            value = masked[name]
            pair = isinstance(value, list) and len(value) == 2
            masked[name] = [HIDDEN, HIDDEN] if pair else HIDDEN
    return masked


def touched(object_type: str, changes_json: str) -> list[str]:
    """The health-data fields an event's stored changes hold (none for most events)."""
    fields = health_fields(object_type)
    if not fields:
        return []
    try:
        changes = json.loads(changes_json)
    except ValueError:
        return []
    if not isinstance(changes, dict):
        return []
    return [f for f in fields if f in changes]


def export_note() -> str:
    """What a file holding health data says first (and the admin guide explains)."""
    return f"{MARK}: confidential health information (ISO 13485 4.2.5). Keep it so."


def declared() -> dict[str, tuple[str, ...]]:
    """{object type: health-data fields} of every installed module."""
    types = {t for m in modules.installed() for t in m.health_data}
    return {t: health_fields(t) for t in sorted(types)}


def holds_values(revealed: Mapping[str, Any]) -> bool:
    """Whether a reveal's answer holds health data (a holder's), so an export of it must
    carry the mark; an answer of hidden values holds none."""
    return any(value not in (HIDDEN, "", None) for value in revealed.values())
