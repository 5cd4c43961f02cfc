"""Links between records of any modules (core.models.RecordLink), shown both ways.

A record is named by its trail key (object type "app.model", id as text), the same key
the audit trail uses, so a link can join records of modules that know nothing of each
other: a complaint and the CAPA it raised, a CAPA and the document revision it changed.
Who may see a linked record, and what it is called, is asked of its module
(core.modules.record_refs): a linked record the viewer may not open shows as "a record
you cannot open", never its name.

Links are written only by `link_records` and removed only by `unlink_record` (audited,
in the caller's transaction when `within`); a link is never deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from openqms.core import audit, modules
from openqms.core.errors import InvalidInput, NotFound
from openqms.core.models import RecordLink, User
from openqms.core.registry import event_types

Key = tuple[str, str]

# What a link says, read from → to (and, for the graph, back from → to).
KINDS = {
    "raised": ("raised", "raised by"),
    "reported": ("reported in", "reports"),
    "opened": ("opened", "opened by"),
    "related": ("related to", "related to"),
    "duplicate": ("duplicate of", "has duplicate"),
    "changed": ("changed", "changed by"),
    "source": ("source of", "comes from"),
}

event_types.register("core.link.added", "Records linked")
event_types.register("core.link.removed", "Link between records removed")


def key_of(obj: models.Model) -> Key:
    """A model instance's trail key ("events.complaint", "12")."""
    return (f"{obj._meta.app_label}.{obj._meta.model_name}", str(obj.pk))


def parse_key(text: str) -> Key:
    """ "events.complaint:12" → ("events.complaint", "12"); refused when malformed."""
    object_type, _, object_id = str(text or "").partition(":")
    if "." not in object_type or not object_id or len(text) > 200:
        raise InvalidInput(
            "A linked record is named as type:id, e.g. events.complaint:12.",
            fields={"link": "Not a record."},
        )
    return (object_type.strip().lower(), object_id.strip())


def _live() -> models.QuerySet[RecordLink]:
    return RecordLink.objects.filter(removed_at__isnull=True)


def _involving(keys: Iterable[Key]) -> Q:
    wanted = Q(pk__in=[])
    for object_type, object_id in set(keys):
        wanted |= Q(from_type=object_type, from_id=object_id)
        wanted |= Q(to_type=object_type, to_id=object_id)
    return wanted


def link_records(
    *,
    actor: User | None,
    source: Any,
    target: Any,
    kind: str,
    note: str = "",
) -> RecordLink | None:
    """Link `source` → `target` (model instances or keys) inside the caller's
    transaction, with its audit event; None when that live link exists already."""
    if kind not in KINDS:
        raise InvalidInput(f"Unknown kind of link {kind!r}.", fields={"kind": "Unknown."})
    a = source if isinstance(source, tuple) else key_of(source)
    b = target if isinstance(target, tuple) else key_of(target)
    if a == b:
        raise InvalidInput("A record cannot be linked to itself.", fields={"link": "Itself."})
    if _live().filter(from_type=a[0], from_id=a[1], to_type=b[0], to_id=b[1], kind=kind).exists():
        return None
    link = RecordLink.objects.create(
        from_type=a[0],
        from_id=a[1],
        to_type=b[0],
        to_id=b[1],
        kind=kind,
        note=note[:300],
        created_by=actor,
        created_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="core.link.added",
        object_type=a[0],
        object_id=a[1],
        changes={"link": [None, f"{kind} {b[0]}:{b[1]}"], "note": [None, note[:300] or None]},
    )
    return link


def unlink_record(*, actor: User, link_id: int, reason: str) -> RecordLink:
    """Remove a live link (stamped, never deleted) inside the caller's transaction."""
    if not reason.strip():
        raise InvalidInput("Say why the link is removed.", fields={"reason": "Required."})
    link = _live().select_for_update().filter(pk=link_id).first()
    if link is None:
        raise NotFound()
    link.removed_at, link.removed_by, link.removal_reason = timezone.now(), actor, reason
    link.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    audit.record(
        actor=actor,
        action="core.link.removed",
        object_type=link.from_type,
        object_id=link.from_id,
        changes={"link": [f"{link.kind} {link.to_type}:{link.to_id}", None]},
        reason=reason,
    )
    return link


@dataclass(frozen=True)
class Linked:
    """One record linked to the record being shown, as the viewer may see it."""

    link_id: int
    key: Key
    says: str  # "raised", "raised by", "duplicate of"…
    label: str  # the record's name, or "a record you cannot open"
    url: str
    readable: bool
    note: str


def links_of(keys: Sequence[Key]) -> list[RecordLink]:
    """The live links touching any of `keys` (one query)."""
    if not keys:
        return []
    return list(_live().filter(_involving(keys)))


def linked(viewer: User, obj: Any) -> list[Linked]:
    """Every record linked to `obj`, both ways, named for `viewer` (a fixed number of
    queries: one for the links, one per module naming the other ends)."""
    me = obj if isinstance(obj, tuple) else key_of(obj)
    rows = links_of([me])
    others = [
        ((r.to_type, r.to_id) if (r.from_type, r.from_id) == me else (r.from_type, r.from_id), r)
        for r in rows
    ]
    refs = modules.record_refs(viewer, [k for k, _ in others])
    found: list[Linked] = []
    for key, row in others:
        ref = refs.get(key)
        forward = (row.from_type, row.from_id) == me
        says = KINDS.get(row.kind, (row.kind, row.kind))[0 if forward else 1]
        if ref is None or not ref.readable:
            found.append(Linked(row.pk, key, says, "a record you cannot open", "", False, ""))
        else:
            found.append(Linked(row.pk, key, says, ref.label, ref.url, True, row.note))
    return found


def reachable(start: Key, *, depth: int = 4, limit: int = 60) -> tuple[set[Key], list[RecordLink]]:
    """The records within `depth` links of `start` and the links between them, following
    links both ways (one query per step; at most `limit` records, the nearest first)."""
    seen: set[Key] = {start}
    frontier: set[Key] = {start}
    edges: dict[int, RecordLink] = {}
    for _ in range(depth):
        if not frontier or len(seen) >= limit:
            break
        step = links_of(sorted(frontier))
        nxt: set[Key] = set()
        for r in step:
            edges[r.pk] = r
            for k in ((r.from_type, r.from_id), (r.to_type, r.to_id)):
                if k not in seen and len(seen) + len(nxt) < limit:
                    nxt.add(k)
        seen |= nxt
        frontier = nxt
    kept = [
        e
        for e in edges.values()
        if (e.from_type, e.from_id) in seen and (e.to_type, e.to_id) in seen
    ]
    return seen, kept
