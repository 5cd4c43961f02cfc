"""Helpers shared by quality events' actions: permissions, the training gate on
unsigned steps, links to the records a new one comes from, audit of field changes.

Typed input (text, dates, date-times, choices, counts, yes/no) comes from core.inputs,
re-exported here so an area's actions import one place."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.apps import apps
from django.db import models

from openqms.core.access import has_permission
from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.inputs import choice, count, date, flag, long_text, moment, text
from openqms.core.links import Key, link_records, parse_key
from openqms.core.models import User
from openqms.core.signatures import signing_refusal
from openqms.events.access import visible
from openqms.events.kinds import KINDS

__all__ = [
    "changed_fields",
    "choice",
    "count",
    "date",
    "flag",
    "link_sources",
    "long_text",
    "moment",
    "require",
    "require_performer",
    "source_key",
    "text",
]

# The meaning the training gate sees for an unsigned step of a record (core's gate
# treats anything but training's own meanings as "performer").
PERFORMED = "performed"


def require(actor: User, permission: str, what: str) -> None:
    """Refuse (PermissionRefused, nothing written) when `actor` lacks `permission`."""
    if not has_permission(actor, permission):
        raise PermissionRefused(f"You may not {what}.")


def require_performer(actor: User, record: Any) -> None:
    """ISO 13485 6.2: whoever performs a step of a quality record must be trained on the
    procedure it follows (its governing_document_ids). Signed steps are gated by core's
    signing path; unsigned steps call this first, so the same gate and message apply."""
    refusal = signing_refusal(signer=actor, obj=record, meaning=PERFORMED)
    if refusal:
        raise TransitionNotAllowed(refusal)


def source_key(actor: User, record: Any, source: str | Key) -> Key:
    """The key of a record `record` may be raised from ("events.complaint:12"), refused
    unless it names an existing record of a kind this kind is raised from
    (events/kinds.py) that `actor` may read."""
    key = source if isinstance(source, tuple) else parse_key(source)
    this = KINDS[record.KIND]
    allowed = {KINDS[k].model.lower(): KINDS[k] for k in this.raised_from}
    kind = allowed.get(key[0])
    if kind is None:
        raise InvalidInput(
            f"A {this.label} cannot be raised from that record ({key[0]}).",
            fields={"from": "Not a record it can come from."},
        )
    rows = apps.get_model(kind.model).objects.all()
    if not (
        key[1].isdigit()
        and len(key[1]) < 19
        and visible(actor, rows).filter(pk=int(key[1])).exists()
    ):
        raise InvalidInput(
            f"The {kind.label} it comes from does not exist.", fields={"from": "Not found."}
        )
    return key


def link_sources(
    *, actor: User, record: models.Model, sources: Iterable[str | Key], kind: str = "raised"
) -> None:
    """Inside the caller's transaction: link each source (a key or "type:id") → `record`
    ("the complaint raised the CAPA"), audited by core.links. Each source is checked
    first (source_key): a record that does not exist, one the actor may not read, or one
    of a kind this record is not raised from is refused and nothing is linked."""
    keys = [source_key(actor, record, source) for source in sources]
    for key in dict.fromkeys(keys):
        link_records(actor=actor, source=key, target=record, kind=kind)


def changed_fields(
    record: models.Model, new: Mapping[str, Any], *, fields: Sequence[str] | None = None
) -> dict[str, list[Any]]:
    """Set `new` on `record` (unsaved) and answer {field: [old, new]} for the audit event,
    only the fields whose value changed (dates and times as ISO text)."""

    def shown(value: Any) -> Any:
        return value.isoformat() if hasattr(value, "isoformat") else value

    changes: dict[str, list[Any]] = {}
    for name, value in new.items():
        if fields is not None and name not in fields:
            continue
        old = getattr(record, name)
        if old != value:
            changes[name] = [shown(old), shown(value)]
            setattr(record, name, value)
    return changes
