"""Design configuration: item types, link rules and gap (coverage) rules, changed by
someone holding design.config:manage (the QA lead).

Every change is one audited event with the old and new values, and every change of a
link rule, a gap rule or a type's gap-relevant fields recomputes the stored gaps of every
design project in the same transaction (design.trace.rebuild_every_project), so the
trace pages never show gaps of the old rules. Links made under rules since retired are
kept (they are part of the design history, ISO 13485 7.3.10) and listed by
`disallowed_links` for someone to review."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.inputs import choice, count, flag, text
from openqms.core.models import User
from openqms.design import trace
from openqms.design.models import (
    CoverageRule,
    Item,
    ItemState,
    ItemType,
    Link,
    LinkKind,
    LinkRule,
)
from openqms.design.registry import CONFIGURE

CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,19}$")
MAX_LEVEL = 100


# --- reading -------------------------------------------------------------------------------


def disallowed_links() -> QuerySet[Link]:
    """Links no current link rule allows (made before a rule was retired): kept, listed."""
    allowed = LinkRule.objects.filter(
        source_type=OuterRef("source__item_type"),
        kind=OuterRef("kind"),
        target_type=OuterRef("target__item_type"),
    )
    return (
        Link.objects.filter(~Exists(allowed))
        .select_related("project", "source__item_type", "target__item_type")
        .order_by("project__name", "source__uid", "kind", "target__uid")
    )


def accepts_words(rule: CoverageRule, names: dict[str, str]) -> str:
    """A gap rule's accepted links in plain words: "a verification test that verifies it"."""
    return " or ".join(
        f"a {names.get(source, source).lower()} that {kind.replace('_', ' ')} it"
        for kind, source in rule.accepts
    )


# --- shared checks -------------------------------------------------------------------------


def _type(value: Any, field: str) -> ItemType:
    """An active item type given by its code (or itself)."""
    code = value.code if isinstance(value, ItemType) else str(value or "").strip()
    found = ItemType.objects.filter(code=code).first()
    if found is None:
        raise InvalidInput(f"There is no item type “{code[:60]}”.", fields={field: "Unknown."})
    if not found.active:
        raise InvalidInput(
            f"The item type “{found.name}” is retired: a rule may not name it.",
            fields={field: "Retired."},
        )
    return found


def _reason(reason: Any) -> str:
    return text(reason, "reason", limit=500)


def _recomputed() -> dict[str, list[Any]]:
    done = trace.rebuild_every_project()
    return {
        "projects_recomputed": [None, done.projects],
        "projects_with_changed_gaps": [None, done.changed],
        "gaps_added": [None, done.added],
        "gaps_removed": [None, done.removed],
    }


# --- item types ----------------------------------------------------------------------------


def _type_fields(
    *, name: Any, level: Any, needs_evidence: Any, code: Any = None, prefix: Any = None
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": text(name, "name", limit=100),
        "level": count(level, "level", limit=MAX_LEVEL),
        "needs_evidence": flag(needs_evidence, "needs_evidence"),
    }
    if code is not None:
        out["code"] = str(code or "").strip()
        if not CODE.match(out["code"]):
            raise InvalidInput(
                "A type's code is lower-case letters, digits and underscores, starting with "
                "a letter (at most 40), e.g. hazard_analysis.",
                fields={"code": "Lower-case letters, digits, _ only."},
            )
    if prefix is not None:
        out["prefix"] = str(prefix or "").strip()
        if not PREFIX.match(out["prefix"]):
            raise InvalidInput(
                "A type's ID prefix is capital letters and digits, starting with a letter "
                "(at most 20), e.g. HAZ.",
                fields={"prefix": "Capital letters and digits only."},
            )
    return out


def _refuse_taken(fields: dict[str, Any], other_than: int | None) -> None:
    others = ItemType.objects.exclude(pk=other_than) if other_than else ItemType.objects.all()
    for field in ("code", "prefix", "name"):
        if field in fields and others.filter(**{f"{field}__iexact": fields[field]}).exists():
            raise InvalidInput(
                f"Another item type already has the {field} “{fields[field]}”.",
                fields={field: "Taken."},
            )


@audit.writing()
def add_item_type(
    *, actor: User, code: Any, name: Any, prefix: Any, level: Any, needs_evidence: Any = False
) -> ItemType:
    require(actor, CONFIGURE)
    fields = _type_fields(
        code=code, prefix=prefix, name=name, level=level, needs_evidence=needs_evidence
    )
    _refuse_taken(fields, None)
    kind = ItemType.objects.create(**fields)
    audit.record(
        actor=actor,
        action="design.item_type.added",
        obj=kind,
        changes={key: [None, value] for key, value in fields.items()},
    )
    return kind


@audit.writing()
def edit_item_type(
    *,
    actor: User,
    item_type: ItemType,
    name: Any,
    level: Any,
    needs_evidence: Any,
    reason: Any,
    code: Any = None,
    prefix: Any = None,
) -> ItemType:
    """Name, level and whether its items need evidence; the code and the ID prefix only
    while no item has the type (stable IDs and files carry them)."""
    require(actor, CONFIGURE)
    kind = ItemType.objects.select_for_update().get(pk=item_type.pk)
    if not kind.active:
        raise TransitionNotAllowed(f"The item type “{kind.name}” is retired.")
    after = _type_fields(
        name=name, level=level, needs_evidence=needs_evidence, code=code, prefix=prefix
    )
    before = {key: getattr(kind, key) for key in after}
    changes = audit.diff(before, after)
    if not changes:
        raise InvalidInput(f"Nothing changed in the item type “{kind.name}”.")
    reason = _reason(reason)
    used = Item.objects.filter(item_type=kind).exists()
    for field in ("code", "prefix"):
        if field in changes and used:
            raise InvalidInput(
                f"The {field} of “{kind.name}” cannot change: items of this type exist "
                "and their IDs and files carry it.",
                fields={field: "In use."},
            )
    _refuse_taken({k: after[k] for k in changes}, kind.pk)
    for key in changes:
        setattr(kind, key, after[key])
    kind.save(update_fields=list(changes))
    # The type's name is in the gap details and needs_evidence is a gap rule of its own.
    changes |= _recomputed()
    audit.record(
        actor=actor, action="design.item_type.edited", obj=kind, changes=changes, reason=reason
    )
    return kind


@audit.writing()
def retire_item_type(*, actor: User, item_type: ItemType, reason: Any) -> ItemType:
    """No new item, link rule or gap rule may use it; refused while active items have the
    type or active rules name it (retire those first)."""
    require(actor, CONFIGURE)
    kind = ItemType.objects.select_for_update().get(pk=item_type.pk)
    if not kind.active:
        raise TransitionNotAllowed(f"The item type “{kind.name}” is already retired.")
    reason = _reason(reason)
    items = Item.objects.filter(item_type=kind, state=ItemState.ACTIVE).count()
    if items:
        raise InvalidInput(
            f"{items} active item{'s' if items != 1 else ''} of type “{kind.name}” exist: "
            "retire them (or keep the type).",
            fields={"item_type": "In use."},
        )
    links = LinkRule.objects.filter(Q(source_type=kind) | Q(target_type=kind)).count()
    gap_rules = [r.code for r in CoverageRule.objects.filter(active=True) if _names(r, kind)]
    if links or gap_rules:
        named = []
        if links:
            named.append(f"{links} link rule{'s' if links != 1 else ''}")
        if gap_rules:
            named.append(f"the gap rules {', '.join(sorted(gap_rules))}")
        raise InvalidInput(
            f"{' and '.join(named).capitalize()} name “{kind.name}”: retire them first.",
            fields={"item_type": "Named by rules."},
        )
    kind.active = False
    kind.save(update_fields=["active"])
    audit.record(
        actor=actor,
        action="design.item_type.retired",
        obj=kind,
        changes={"active": [True, False]},
        reason=reason,
    )
    return kind


def _names(rule: CoverageRule, kind: ItemType) -> bool:
    return rule.item_type_id == kind.pk or any(source == kind.code for _, source in rule.accepts)


# --- link rules ----------------------------------------------------------------------------


def _link_changes(before: int) -> dict[str, list[Any]]:
    return _recomputed() | {"links_not_allowed": [before, disallowed_links().count()]}


@audit.writing()
def add_link_rule(*, actor: User, source_type: Any, kind: Any, target_type: Any) -> LinkRule:
    require(actor, CONFIGURE)
    source = _type(source_type, "source_type")
    kind = choice(kind, LinkKind, "kind")
    target = _type(target_type, "target_type")
    if LinkRule.objects.filter(source_type=source, kind=kind, target_type=target).exists():
        raise InvalidInput(
            f"A {source.name.lower()} may already “{kind.replace('_', ' ')}” a "
            f"{target.name.lower()}.",
            fields={"kind": "Already a rule."},
        )
    before = disallowed_links().count()
    rule = LinkRule.objects.create(source_type=source, kind=kind, target_type=target)
    audit.record(
        actor=actor,
        action="design.link_rule.added",
        obj=rule,
        changes={"rule": [None, str(rule)]} | _link_changes(before),
    )
    return rule


@audit.writing()
def retire_link_rule(*, actor: User, rule: LinkRule, reason: Any) -> int:
    """The rule goes (the event keeps what it said); links made under it stay and are
    listed as links the rules no longer allow. The number of such links now."""
    require(actor, CONFIGURE)
    found = LinkRule.objects.select_for_update().filter(pk=rule.pk).first()
    if found is None:
        raise TransitionNotAllowed("That link rule is already retired.")
    reason = _reason(reason)
    before, said, pk = disallowed_links().count(), str(found), found.pk
    found.delete()
    changes = {"rule": [said, None]} | _link_changes(before)
    audit.record(
        actor=actor,
        action="design.link_rule.retired",
        object_type="design.linkrule",
        object_id=pk,
        changes=changes,
        reason=reason,
    )
    return int(changes["links_not_allowed"][1])


# --- gap (coverage) rules ------------------------------------------------------------------


def _accepts(value: Any, target: ItemType) -> list[list[str]]:
    """[[kind, source type code], …]: each pair an active type that a link rule allows to
    link so into `target` (else the gap could never be closed)."""
    pairs = value if isinstance(value, list | tuple) else []
    out: set[tuple[str, str]] = set()
    for pair in pairs:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise InvalidInput(
                "Each accepted link is a kind and a source type.", fields={"accepts": "?"}
            )
        kind = choice(pair[0], LinkKind, "accepts")
        source = _type(pair[1], "accepts")
        if not LinkRule.objects.filter(source_type=source, kind=kind, target_type=target).exists():
            raise InvalidInput(
                f"No link rule lets a {source.name.lower()} “{kind.replace('_', ' ')}” a "
                f"{target.name.lower()}: add that link rule first, or the gap could never "
                "be closed.",
                fields={"accepts": "Not an allowed link."},
            )
        out.add((kind, source.code))
    if not out:
        raise InvalidInput(
            "Name at least one kind of link that closes the gap.", fields={"accepts": "Empty."}
        )
    return [list(pair) for pair in sorted(out)]


def _refuse_duplicate(
    item_type: ItemType, accepts: list, verified: bool, other: int | None
) -> None:
    same = CoverageRule.objects.filter(active=True, item_type=item_type, verified=verified)
    for rule in same.exclude(pk=other) if other else same:
        if sorted(map(list, rule.accepts)) == accepts:
            raise InvalidInput(
                f"The gap rule “{rule.code}” already asks the same of every "
                f"{item_type.name.lower()}.",
                fields={"accepts": "Same as another rule."},
            )


def _gap_fields(item_type: Any, accepts: Any, verified: Any, message: Any) -> dict[str, Any]:
    kind = _type(item_type, "item_type")
    return {
        "item_type": kind,
        "accepts": _accepts(accepts, kind),
        "verified": flag(verified, "verified"),
        "message": text(message, "message", limit=200),
    }


def _shown(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.code if isinstance(v, ItemType) else v) for k, v in fields.items()}


@audit.writing()
def add_gap_rule(
    *, actor: User, code: Any, item_type: Any, accepts: Any, message: Any, verified: Any = False
) -> CoverageRule:
    require(actor, CONFIGURE)
    code = str(code or "").strip()
    if not re.match(r"^[a-z][a-z0-9_]{0,59}$", code):
        raise InvalidInput(
            "A gap rule's code is lower-case letters, digits and underscores, starting with a "
            "letter (at most 60), e.g. output_without_verification.",
            fields={"code": "Lower-case letters, digits, _ only."},
        )
    if code in (trace.EVIDENCE, trace.SUSPECT) or CoverageRule.objects.filter(code=code).exists():
        raise InvalidInput(
            f"The code “{code}” is taken (by a built-in rule, or a current or retired rule).",
            fields={"code": "Taken."},
        )
    fields = _gap_fields(item_type, accepts, verified, message)
    _refuse_duplicate(fields["item_type"], fields["accepts"], fields["verified"], None)
    rule = CoverageRule.objects.create(code=code, **fields)
    changes = {k: [None, v] for k, v in ({"code": code} | _shown(fields)).items()}
    audit.record(
        actor=actor, action="design.gap_rule.added", obj=rule, changes=changes | _recomputed()
    )
    return rule


@audit.writing()
def edit_gap_rule(
    *,
    actor: User,
    rule: CoverageRule,
    item_type: Any,
    accepts: Any,
    message: Any,
    verified: Any,
    reason: Any,
) -> CoverageRule:
    """Everything but the code (stored gaps and the trail name rules by it)."""
    require(actor, CONFIGURE)
    rule = CoverageRule.objects.select_for_update().select_related("item_type").get(pk=rule.pk)
    if not rule.active:
        raise TransitionNotAllowed(f"The gap rule “{rule.code}” is retired.")
    after = _gap_fields(item_type, accepts, verified, message)
    before = {
        "item_type": rule.item_type,
        "accepts": sorted(map(list, rule.accepts)),
        "verified": rule.verified,
        "message": rule.message,
    }
    changes = audit.diff(_shown(before), _shown(after))
    if not changes:
        raise InvalidInput(f"Nothing changed in the gap rule “{rule.code}”.")
    reason = _reason(reason)
    _refuse_duplicate(after["item_type"], after["accepts"], after["verified"], rule.pk)
    for key in changes:
        setattr(rule, key, after[key])
    rule.save(update_fields=list(changes))
    audit.record(
        actor=actor,
        action="design.gap_rule.edited",
        obj=rule,
        changes=changes | _recomputed(),
        reason=reason,
    )
    return rule


@audit.writing()
def retire_gap_rule(*, actor: User, rule: CoverageRule, reason: Any) -> CoverageRule:
    require(actor, CONFIGURE)
    rule = CoverageRule.objects.select_for_update().get(pk=rule.pk)
    if not rule.active:
        raise TransitionNotAllowed(f"The gap rule “{rule.code}” is already retired.")
    reason = _reason(reason)
    rule.active = False
    rule.save(update_fields=["active"])
    audit.record(
        actor=actor,
        action="design.gap_rule.retired",
        obj=rule,
        changes={"active": [True, False]} | _recomputed(),
        reason=reason,
    )
    return rule
