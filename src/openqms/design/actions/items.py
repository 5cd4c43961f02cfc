"""Projects, items and links: the writers every other area builds on.

Every change keeps the derived gap state current in the same transaction
(design.trace.refresh on the items it touched), so the matrix and the gaps are never
recomputed from scratch after an edit."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.inputs import long_text, text
from openqms.core.models import Signature, User
from openqms.core.signatures import Credentials, object_type_of
from openqms.core.workflow import Transition, Workflow
from openqms.design import trace
from openqms.design.actions.release import (
    change_for,
    change_for_addition,
    join_change,
    named_end,
)
from openqms.design.errors import StaleEdit
from openqms.design.models import (
    DesignChange,
    DesignProject,
    Item,
    ItemState,
    ItemType,
    Link,
    LinkRule,
    LinkState,
)
from openqms.design.models.project import sort_key_of
from openqms.design.registry import EDIT, LINK_STILL_VALID, REVIEW

# Stable IDs people quote and files carry: letters, digits and . _ - (no spaces).
UID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")
TEXT_LIMIT = 100_000


def clean_uid(value: Any, field: str = "uid") -> str:
    uid = str(value or "").strip()
    if not UID.match(uid):
        raise InvalidInput(
            f"“{uid[:60]}” is not a usable ID: use letters, digits, dots, hyphens or "
            "underscores (no spaces), at most 100 characters.",
            fields={field: "Letters, digits, . _ - only."},
        )
    return uid


def clean_attributes(value: Any) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise InvalidInput("Attributes are names with text values.", fields={"attributes": "?"})
    out = {}
    for key, item in value.items():
        name = text(key, "attribute name", limit=100)
        out[name] = long_text(item, f"attribute {name}", limit=10_000)
    return dict(sorted(out.items()))


def item_type_of(value: ItemType | str) -> ItemType:
    found = (
        value if isinstance(value, ItemType) else ItemType.objects.filter(code=str(value)).first()
    )
    if found is None or not found.active:
        known = ", ".join(ItemType.objects.filter(active=True).values_list("code", flat=True))
        raise InvalidInput(
            f"There is no item type “{value}” in use (known: {known}).",
            fields={"item_type": "?"},
        )
    return found


@audit.writing()
def create_project(
    *, actor: User, name: str, title: str = "", device: Any = None, development_plan: Any = None
) -> DesignProject:
    require(actor, EDIT)
    name = str(name or "").strip()
    if not NAME.match(name):
        raise InvalidInput(
            "Name the project with letters, digits, spaces, dots, hyphens or underscores "
            "(at most 100 characters).",
            fields={"name": "Letters, digits, spaces, . _ - only."},
        )
    if DesignProject.objects.filter(name__iexact=name).exists():
        raise InvalidInput(f"There is already a project “{name}”.", fields={"name": "Taken."})
    project = DesignProject.objects.create(
        name=name,
        title=text(title, "title", required=False),
        device=device,
        development_plan=development_plan,
        created_at=timezone.now(),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="design.project.created",
        obj=project,
        changes={
            "name": [None, name],
            "title": [None, project.title],
            "device": [None, str(device) if device else None],
            "development_plan": [None, str(development_plan) if development_plan else None],
        },
    )
    return project


@audit.writing()
def create_item(
    *,
    actor: User,
    project: DesignProject,
    uid: str,
    item_type: ItemType | str,
    title: str = "",
    text_: str = "",
    attributes: Mapping[str, Any] | None = None,
    change: Any = None,
) -> Item:
    """A new item at version 1. After release (the current baseline signed) it is added
    as part of an approved design change, which it joins (ISO 13485 7.3.9)."""
    require(actor, EDIT)
    uid = clean_uid(uid)
    kind = item_type_of(item_type)
    if Item.objects.filter(project=project, uid=uid).exists():
        raise InvalidInput(f"{uid} already exists in {project}.", fields={"uid": "Taken."})
    found = change_for_addition(project, change, uid)
    now = timezone.now()
    item = Item.objects.create(
        project=project,
        uid=uid,
        sort_key=sort_key_of(uid),
        item_type=kind,
        title=text(title, "title", required=False, limit=300),
        text=long_text(text_, "text", limit=TEXT_LIMIT),
        attributes=clean_attributes(attributes),
        created_at=now,
        created_by=actor,
        updated_at=now,
    )
    audit.record(
        actor=actor,
        action="design.item.created",
        obj=item,
        changes={
            "uid": [None, uid],
            "type": [None, kind.code],
            "title": [None, item.title],
            "text": [None, item.text],
            "attributes": [None, item.attributes],
            "version": [None, 1],
            **({"design_change": [None, found.number]} if found is not None else {}),
        },
    )
    if found is not None:
        join_change(actor, found, item, 1)
    trace.refresh(project.pk, [item.pk])
    return item


@audit.writing()
def edit_item(
    *,
    actor: User,
    item: Item,
    title: str,
    text_: str,
    reason: str,
    attributes: Mapping[str, Any] | None = None,
    based_on: int | None = None,
    change: DesignChange | None = None,
) -> Item:
    """A new version of the item, with why (and, optionally or after release
    necessarily, the design change it is part of). Links made or reviewed at an earlier
    version become suspect; a suspect link whose other end changed is resolved by this
    change."""
    require(actor, EDIT)
    reason = text(reason, "reason", limit=500)
    item = Item.objects.select_for_update().select_related("item_type").get(pk=item.pk)
    if item.state != ItemState.ACTIVE:
        raise TransitionNotAllowed(f"{item.uid} is retired: it cannot be edited.")
    if based_on is not None and based_on != item.version:
        raise StaleEdit(
            f"{item.uid} changed since you opened it (now version {item.version}, you "
            f"edited version {based_on}); nothing was saved. Reload and edit again."
        )
    after = {
        "title": text(title, "title", required=False, limit=300),
        "text": long_text(text_, "text", limit=TEXT_LIMIT),
        "attributes": clean_attributes(attributes) if attributes is not None else item.attributes,
    }
    before = {"title": item.title, "text": item.text, "attributes": item.attributes}
    changes = audit.diff(before, after)
    if not changes:
        raise InvalidInput(f"Nothing changed in {item.uid}.", fields={"text": "Unchanged."})
    change = change_for(item, change)
    marked, resolved, touched = new_version(item, after)
    if change is not None:
        changes["design_change"] = [None, change.number]
    audit.record(
        actor=actor,
        action="design.item.edited",
        obj=item,
        changes={**changes, "version": [item.version - 1, item.version]},
        reason=reason,
    )
    if change is not None:
        join_change(actor, change, item, item.version - 1)
    _record_link_marks(actor, item, marked, resolved)
    trace.refresh(item.project_id, [item.pk, *touched])
    return item


def new_version(item: Item, after: dict[str, Any]) -> tuple[list[str], list[str], list[int]]:
    """The one way an item's content changes (an edit, or a re-import of a changed
    item): version + 1 and its links marked. `item` is locked by the caller and `after`
    cleaned. Returns the links marked suspect, those resolved, and the items at their
    other ends; the caller audits and refreshes the gaps."""
    item.version += 1
    for name, value in after.items():
        setattr(item, name, value)
    item.updated_at = timezone.now()
    item.save(update_fields=[*after, "version", "updated_at"])
    return _mark_links_after_edit(item)


def _record_link_marks(actor: User, item: Item, marked: list[str], resolved: list[str]) -> None:
    if marked:
        audit.record(
            actor=actor,
            action="design.link.suspect",
            obj=item,
            changes={"suspect": [None, marked], "version": [None, item.version]},
        )
    if resolved:
        audit.record(
            actor=actor,
            action="design.link.resolved",
            obj=item,
            changes={"resolved": [None, resolved], "version": [None, item.version]},
        )


def _mark_links_after_edit(item: Item) -> tuple[list[str], list[str], list[int]]:
    """Links of `item`: suspect now, or resolved when they were suspect because the
    other end changed (this edit is the answer to that change). The items at the other
    ends (their gap state may change)."""
    now = timezone.now()
    marked, resolved, others = [], [], []
    links = Link.objects.select_for_update().filter(source=item) | Link.objects.filter(target=item)
    for link in links.select_related("source", "target").order_by("pk"):
        end = "source" if link.source_id == item.pk else "target"
        others.append(link.target_id if end == "source" else link.source_id)
        setattr(link, f"{end}_version", item.version)
        if link.state == LinkState.SUSPECT and link.changed_end and link.changed_end != end:
            link.state, link.suspect_since, link.changed_end = LinkState.VALID, None, ""
            link.changed_from = None
            resolved.append(str(link))
        else:
            if link.state == LinkState.VALID or link.changed_end != end:
                link.changed_from = item.version - 1  # last valid at the version before
            link.state, link.changed_end = LinkState.SUSPECT, end
            link.suspect_since = link.suspect_since or now
            marked.append(str(link))
        link.save(
            update_fields=[
                "source_version",
                "target_version",
                "state",
                "changed_end",
                "changed_from",
                "suspect_since",
            ]
        )
    return marked, resolved, others


@audit.writing()
def retire_item(*, actor: User, item: Item, reason: str, change: Any = None) -> Item:
    """An item no longer part of the design: kept (baselines and links name it), shown
    as retired, and no longer counted by the gap rules. After release, as part of an
    approved design change naming it (as an edit)."""
    require(actor, EDIT)
    reason = text(reason, "reason", limit=500)
    item = Item.objects.select_for_update().get(pk=item.pk)
    if item.state == ItemState.RETIRED:
        raise TransitionNotAllowed(f"{item.uid} is already retired.")
    found = change_for(item, change, "retire")
    item.state = ItemState.RETIRED
    item.updated_at = timezone.now()
    item.save(update_fields=["state", "updated_at"])
    changes: dict[str, Any] = {"state": [ItemState.ACTIVE, ItemState.RETIRED]}
    if found is not None:
        changes["design_change"] = [None, found.number]
    audit.record(
        actor=actor,
        action="design.item.retired",
        obj=item,
        changes=changes,
        reason=reason,
    )
    if found is not None:
        join_change(actor, found, item, item.version)
    _resolve_links_of_retired(actor, item)
    neighbours = list(Link.objects.filter(source=item).values_list("target_id", flat=True))
    neighbours += list(Link.objects.filter(target=item).values_list("source_id", flat=True))
    trace.refresh(item.project_id, [item.pk, *neighbours])
    return item


def _resolve_links_of_retired(actor: User, item: Item) -> None:
    """Suspect links touching a retired item: valid again (nothing is left to review
    at a retired end, and no edit of it can resolve them any more)."""
    links = Link.objects.select_for_update().filter(
        Q(source=item) | Q(target=item), state=LinkState.SUSPECT
    )
    resolved = [str(link) for link in links.select_related("source", "target").order_by("pk")]
    if not resolved:
        return
    links.update(state=LinkState.VALID, suspect_since=None, changed_end="", changed_from=None)
    audit.record(
        actor=actor,
        action="design.link.resolved",
        obj=item,
        changes={"resolved": [None, resolved], "state": [LinkState.SUSPECT, LinkState.VALID]},
        reason="an end was retired",
    )


def link_refusal(source: Item, kind: str, target: Item) -> str | None:
    """Why `source` may not `kind` `target` under the configuration, or None."""
    if source.project_id != target.project_id:
        return "Both ends of a link must be in the same design project."
    if source.pk == target.pk:
        return "An item cannot be linked to itself."
    if ItemState.RETIRED in (source.state, target.state):
        return "A retired item cannot be linked."
    allowed = LinkRule.objects.filter(
        source_type_id=source.item_type_id, kind=kind, target_type_id=target.item_type_id
    ).exists()
    if not allowed:
        kinds = LinkRule.objects.filter(
            source_type_id=source.item_type_id, target_type_id=target.item_type_id
        ).values_list("kind", flat=True)
        hint = (
            f" Allowed between these types: {', '.join(sorted(kinds))}."
            if kinds
            else " No link is allowed between these types."
        )
        return (
            f"A {source.item_type.name.lower()} may not “{kind.replace('_', ' ')}” a "
            f"{target.item_type.name.lower()} under the configured link rules.{hint}"
        )
    return None


@audit.writing()
def link_items(*, actor: User, source: Item, kind: str, target: Item, change: Any = None) -> Link:
    """A link the configured rules allow. After release, as part of an approved design
    change naming one of its ends (ISO 13485 7.3.9)."""
    require(actor, EDIT)
    source = Item.objects.select_related("item_type", "project").get(pk=source.pk)
    target = Item.objects.select_related("item_type").get(pk=target.pk)
    refusal = link_refusal(source, kind, target)
    if refusal:
        raise InvalidInput(refusal, fields={"kind": "Not allowed."})
    if Link.objects.filter(source=source, kind=kind, target=target).exists():
        raise InvalidInput(f"{source.uid} already {kind.replace('_', ' ')} {target.uid}.")
    found = change_for(named_end(source, target, change), change, "link to")
    link = Link.objects.create(
        project_id=source.project_id,
        source=source,
        kind=kind,
        target=target,
        source_version=source.version,
        target_version=target.version,
        created_at=timezone.now(),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="design.link.added",
        obj=link,
        changes={
            "link": [None, f"{source.uid} {kind} {target.uid}"],
            **({"design_change": [None, found.number]} if found is not None else {}),
        },
    )
    trace.refresh(source.project_id, [source.pk, target.pk])
    return link


@audit.writing()
def unlink_items(*, actor: User, link: Link, reason: str, change: Any = None) -> None:
    """A link removed, with why. After release, as part of an approved design change
    naming one of its ends (ISO 13485 7.3.9); a link carrying a signed review stays."""
    require(actor, EDIT)
    reason = text(reason, "reason", limit=500)
    link = Link.objects.select_for_update().select_related("source", "target").get(pk=link.pk)
    named = named_end(link.source, link.target, change)
    found = change_for(named, change, f"remove the link {link.source.uid} → {link.target.uid} of")
    if Signature.objects.filter(object_type=object_type_of(link), object_id=str(link.pk)).exists():
        # Part 11 §11.70: a signature stays linked to its record; deleting the link
        # would leave a signed review pointing at nothing.
        raise TransitionNotAllowed(
            f"{link} cannot be removed: signed reviews keep it: mark the item retired or "
            "change it instead."
        )
    ends = [link.source_id, link.target_id]
    audit.record(
        actor=actor,
        action="design.link.removed",
        obj=link,
        changes={
            "link": [f"{link.source.uid} {link.kind} {link.target.uid}", None],
            **({"design_change": [None, found.number]} if found is not None else {}),
        },
        reason=reason,
    )
    project_id = link.project_id
    link.delete()
    trace.refresh(project_id, ends)


def _refresh_ends(link: Link, actor: Any) -> None:
    trace.refresh(link.project_id, [link.source_id, link.target_id])


LINK_REVIEW = Workflow(
    model=Link,
    states=LinkState,
    transitions=[
        Transition(
            "clear",
            sources=(LinkState.SUSPECT,),
            target=LinkState.VALID,
            permission=REVIEW,
            signature=LINK_STILL_VALID,
            event="design.link.cleared",
            label="Sign: the link still holds",
            effects=(_refresh_ends,),
        ),
    ],
)


def clear_suspect(
    *, actor: User, link: Link, credentials: Credentials | None, comment: str = ""
) -> Link:
    """Signed review of a suspect link: it still holds at both ends' current versions,
    which the link now records."""
    link = Link.objects.select_related("source", "target").get(pk=link.pk)
    return LINK_REVIEW.apply(
        obj=link,
        name="clear",
        actor=actor,
        credentials=credentials,
        reason=comment,
        updates={
            "suspect_since": None,
            "changed_end": "",
            "changed_from": None,
            "source_version": link.source.version,
            "target_version": link.target.version,
        },
    )
