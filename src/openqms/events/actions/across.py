"""What joins quality records: links typed by hand between any two records (a complaint
and the CAPA it raised, a CAPA and the procedure revision it changed), and the
controlled procedure each kind of record follows (ISO 13485 6.2: its performers are
trained on it).

A record to link is named as people write it: its number (CMP-2026-0003) or, for a
document revision, "SOP-001 rev B". Every module is asked what the text names
(core.modules.record_searches / record_refs), so a link reaches records of modules this
one knows nothing of; only a record the actor may open can be linked."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from openqms.core import audit, links, modules
from openqms.core.errors import InvalidInput, NotFound
from openqms.core.inputs import text
from openqms.core.models import RecordLink, User
from openqms.documents.models import Document
from openqms.events.actions.common import require, require_performer
from openqms.events.kinds import KINDS
from openqms.events.models import EventProcedure
from openqms.events.registry import CONFIGURE, MANAGE

LINK_KINDS = {code: says[0] for code, says in links.KINDS.items()}
# How many candidates of each type a typed reference is compared with.
_CANDIDATES = 25


def _one_of(value: Any, field: str, allowed: dict[str, str], what: str) -> str:
    if value not in allowed:
        shown = ", ".join(allowed.values())
        raise InvalidInput(f"The {what} must be one of: {shown}.", fields={field: "Unknown."})
    return str(value)


def _matches(label: str, typed: str) -> int:
    """2: `label` is exactly what was typed; 1: it is the number then a title (but not
    one of its revisions); 0: no match."""
    label, typed = label.strip().lower(), typed.strip().lower()
    if label == typed:
        return 2
    if label.startswith(typed + " ") and not label.startswith(typed + " rev "):
        return 1
    return 0


def _id_of(row: Any) -> str:
    """An id as text from a module's search answer (a values() row or a bare id)."""
    return str(next(iter(row.values()))) if isinstance(row, dict) else str(row)


def find_record(viewer: User, reference: str) -> links.Key:
    """The one record `reference` names that `viewer` may open; InvalidInput otherwise."""
    typed = text(reference, "reference", limit=120)
    number = typed.split(" rev ")[0].strip() if " rev " in typed.lower() else typed
    keys: list[links.Key] = []
    for object_type, ids in modules.record_searches(viewer, number.split(" rev ")[0]):
        keys += [(object_type, _id_of(i)) for i in list(ids[:_CANDIDATES])]
    refs = modules.record_refs(viewer, keys)
    scored = [(_matches(r.label, typed), k) for k, r in refs.items() if r.readable]
    best = max((s for s, _ in scored), default=0)
    found = sorted({k for s, k in scored if s == best and best})
    if not found:
        raise InvalidInput(
            f"No record you may open is numbered “{typed}”.",
            fields={"reference": "Not found. Type a number, e.g. CMP-2026-0003 or SOP-001 rev B."},
        )
    if len(found) > 1:
        raise InvalidInput(
            f"“{typed}” names {len(found)} records; type the whole number.",
            fields={"reference": "More than one record."},
        )
    return found[0]


@audit.writing()
def link_record(
    *, actor: User, record: Any, reference: str, kind: str, note: str = ""
) -> RecordLink:
    """Link `record` → the record `reference` names ("raised", "related to"…), audited."""
    require(actor, MANAGE, "link quality records")
    link_kind = _one_of(kind, "kind", LINK_KINDS, "kind of link")
    note = text(note, "note", limit=300, required=False)
    target = find_record(actor, reference)
    require_performer(actor, record)
    link = links.link_records(actor=actor, source=record, target=target, kind=link_kind, note=note)
    if link is None:
        raise InvalidInput(
            "These records are already linked that way.", fields={"reference": "Already linked."}
        )
    return link


@audit.writing()
def remove_link(*, actor: User, record: Any, link_id: int, reason: str) -> RecordLink:
    """Remove a live link of `record` (stamped with the reason, never deleted), audited."""
    require(actor, MANAGE, "remove links between quality records")
    reason = text(reason, "reason", limit=500)
    me = links.key_of(record)
    mine = RecordLink.objects.filter(pk=link_id, removed_at__isnull=True)
    row = mine.first()
    if row is None or me not in {(row.from_type, row.from_id), (row.to_type, row.to_id)}:
        raise NotFound()
    require_performer(actor, record)
    return links.unlink_record(actor=actor, link_id=link_id, reason=reason)


@audit.writing()
def set_procedure(*, actor: User, kind: str, document: Document | None) -> EventProcedure:
    """Name the controlled procedure records of `kind` follow (None: none), audited
    events.procedure.set with the old and new document numbers."""
    require(actor, CONFIGURE, "set the procedures quality records follow")
    code = _one_of(kind, "kind", {k: v.label for k, v in KINDS.items()}, "kind of record")
    row, _ = EventProcedure.objects.select_for_update().get_or_create(kind=code)
    old = row.document.number if row.document is not None else None
    new = document.number if document is not None else None
    if old == new:
        raise InvalidInput(
            f"The {KINDS[code].plural.lower()} already follow that procedure.",
            fields={"document": "Unchanged."},
        )
    row.document, row.set_by, row.set_at = document, actor, timezone.now()
    row.save()
    audit.record(
        actor=actor,
        action="events.procedure.set",
        obj=row,
        changes={"kind": [code, code], "document": [old, new]},
    )
    return row
