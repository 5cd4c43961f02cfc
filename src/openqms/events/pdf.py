"""The PDF of one quality record, for the approved body's sampling and for the file:
its content (`pdf_sections()`), the electronic signatures on it with their
manifestation (name, time, meaning, content hash; 21 CFR 11.50), its history from the
audit trail, and the records linked to it.

Health data is shown only to holders of core.health_data:read (the read recorded);
anyone else sees it masked, in the content and in the history alike."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist

from openqms.core import confidentiality
from openqms.core.links import key_of, linked
from openqms.core.models import AuditEvent, User
from openqms.core.pdf import FONT, ControlledPDF, generated_note, local_time, signature_page
from openqms.core.registry import event_types
from openqms.events.kinds import KINDS

HISTORY_SHOWN = 500


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return local_time(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _field(model: Any, name: str) -> Any:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a name the event holds that is no field (or no longer)
        return None


def _label(model: Any, name: str) -> str:
    field = _field(model, name)
    label = getattr(field, "verbose_name", None) or name.replace("_", " ")
    return str(label)


def _change_value(field: Any, value: Any) -> str:
    """One value of a change as people read it: None as "—", yes/no, a choice's label,
    a date-time in the instance's zone (named)."""
    if value is None or value == "":
        return "—"
    if value == confidentiality.HIDDEN:
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    choices = getattr(field, "flatchoices", None) if field is not None else None
    if choices:
        for code, label in choices:
            if code == value:
                return str(label)
    if (
        isinstance(value, str)
        and field is not None
        and field.get_internal_type() in ("DateTimeField",)
    ):
        try:
            moment = dt.datetime.fromisoformat(value)
            return local_time(moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))
        except ValueError:
            return value
    return str(value)


def _said(model: Any, changes: Any) -> str:
    """ "field label: old → new" for each change; a recorded value alone as "label: value"."""
    if not isinstance(changes, dict):
        return str(changes) if changes else ""
    parts = []
    for name, value in changes.items():
        field = _field(model, name)
        label = _label(model, name)
        if isinstance(value, list) and len(value) == 2:
            old, new = (_change_value(field, v) for v in value)
            parts.append(f"{label}: {old} → {new}")
        else:
            parts.append(f"{label}: {_change_value(field, value)}")
    return "; ".join(parts)


def _rows(found: Iterable[Sequence[Any]]) -> list[Sequence[Any]]:
    return list(found)


def _signables(record: Any) -> list[tuple[str, Any]]:
    """What on this record carries signatures: the record itself when signable, and any
    part a kind names (`pdf_signed()`: [(label, signable)], e.g. its decisions)."""
    found = []
    if hasattr(record, "signature_content"):
        found.append((record.number, record))
    extra = getattr(record, "pdf_signed", None)
    if callable(extra):
        found += list(extra())
    return found


def _history(viewer: User, record: Any) -> list[tuple[str, str, str, str]]:
    object_type, object_id = key_of(record)
    fields = confidentiality.health_fields(object_type)
    holder = confidentiality.may_see(viewer)
    events = AuditEvent.objects.filter(object_type=object_type, object_id=object_id).order_by(
        "seq"
    )[:HISTORY_SHOWN]
    rows = []
    # A holder's read of the health data is recorded once, by `render` (reveal).
    for e in events:
        changes = json.loads(e.changes or "{}")
        if fields and not holder:
            changes = confidentiality.mask_changes(changes, fields)
        said = _said(type(record), changes) if changes else ""
        why = f" — why: {e.reason}" if e.reason else ""
        what = event_types.label(e.action) if e.action in event_types else e.action
        rows.append((local_time(e.at), e.actor_name, what, (said + why)[:600]))
    return rows


def render(record: Any, *, viewer: User) -> bytes:
    kind = KINDS[record.KIND]
    pdf = ControlledPDF(
        title=f"{kind.label.capitalize()} {record.number}",
        subtitle=record.title[:120],
        note=generated_note(viewer),
    )
    pdf.describe(title=str(record), subject=f"Quality record: {kind.label}", author="OpenQMS")
    pdf.add_page()
    health = confidentiality.health_fields(key_of(record)[0])
    masked = dict(confidentiality.reveal(viewer, record)) if health else {}
    if confidentiality.holds_values(masked):
        pdf.set_font(FONT, "B", 9)
        pdf.multi_cell(0, 5, confidentiality.export_note(), new_x="LMARGIN", new_y="NEXT")
    for heading, items in record.pdf_sections():
        pdf.section(heading)
        pdf.grid((55, 119), ("", ""), _rows((label, _shown(value)) for label, value in items))
    if masked:
        pdf.section("Patient (health data)")
        shown = [(k.replace("_", " "), _shown(v)) for k, v in masked.items()]
        pdf.grid((55, 119), ("Field", "Value"), _rows(shown))
    pdf.section("Linked records")
    links = _rows((x.says, x.label) for x in linked(viewer, record))
    pdf.grid((55, 119), ("Link", "Record"), links)
    pdf.section("History (audit trail)")
    pdf.grid((34, 35, 45, 60), ("When", "Who", "What", "Changes"), _rows(_history(viewer, record)))
    for label, signable in _signables(record):
        signature_page(pdf, signable, label=label)
    if not _signables(record):
        pdf.section("Electronic signatures")
        pdf.cell(0, 5, "This kind of record is not signed.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
