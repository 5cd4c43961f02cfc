"""The plan of an import — the items and links read from .sdoc, ReqIF or CSV
(design.importing) — and every check made of it against the configuration and the
project before anything is written: IDs, types, limits, the configured link rules (with
link_refusal's wording), the links an earlier import of the same files made, and the
release gate. actions/imports.py writes what passes; the readers depend on this shape,
not the other way round."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from openqms.core.errors import DomainError, InvalidInput
from openqms.core.inputs import long_text, text
from openqms.core.models import Signature
from openqms.core.signatures import object_type_of
from openqms.design.actions.items import TEXT_LIMIT, UID, clean_attributes
from openqms.design.actions.release import released
from openqms.design.models import DesignProject, Item, ItemState, ItemType, Link, LinkRule

Problem = tuple[str, int, str]  # file, line (from 1; 0 for the file as a whole), message


class ImportRefused(DomainError):
    """Something in the files or against the project is wrong: nothing was written.
    `problems` lists every one as (file, line, message)."""

    code = "import_refused"
    status = 422

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0] if problems else ("", 0, "")
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"Nothing was imported: {first[0]}:{first[1]}: {first[2]}{more}".strip())
        self.problems = problems


@dataclass
class PlanItem:
    uid: str
    type: str | None  # a type code or name from the file; None: from the UID's prefix
    title: str
    text: str
    attributes: dict[str, str]
    file: str
    line: int


@dataclass
class PlanLink:
    source: str  # the child: TEST-1 verifies REQ-1, REQ-SW-1 derives from REQ-SYS-1
    target: str
    kind: str | None  # None: the one kind the link rules allow between the two types
    file: str
    line: int


@dataclass
class Plan:
    items: list[PlanItem] = field(default_factory=list)
    links: list[PlanLink] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)  # name, SHA-256

    def problem(self, file: str, line: int, message: str) -> None:
        self.problems.append((file, line, message))


@dataclass
class Checked:
    """The plan's items sorted against the project: new (cleaned), changed (the item
    and its cleaned content) and unchanged (their UIDs)."""

    new: dict[str, dict] = field(default_factory=dict)
    changed: dict[str, tuple[Item, dict]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)


class ImportConfig:
    """Item types and link rules, read once."""

    def __init__(self) -> None:
        self.types = {t.pk: t for t in ItemType.objects.all()}
        self.by_word: dict[str, ItemType] = {}
        active = [t for t in self.types.values() if t.active]  # a retired type takes no items
        for one in active:
            self.by_word[one.code.lower()] = one
            self.by_word[one.name.lower()] = one
        self.by_prefix = {t.prefix: t for t in active}
        self.rules: dict[tuple[int, int], set[str]] = {}
        for source, link_kind, target in LinkRule.objects.values_list(
            "source_type_id", "kind", "target_type_id"
        ):
            self.rules.setdefault((source, target), set()).add(link_kind)

    def type_of(self, item: PlanItem) -> ItemType | str:
        if item.type:
            found = self.by_word.get(item.type.strip().lower())
            if found is None:
                known = ", ".join(sorted(t.code for t in self.types.values() if t.active))
                return f"There is no item type “{item.type}” (known: {known})."
            return found
        prefix = re.split(r"[-_.]", item.uid, maxsplit=1)[0]
        found = self.by_prefix.get(prefix)
        if found is None:
            known = ", ".join(sorted(self.by_prefix))
            return (
                f"{item.uid}: no TYPE is given and its ID does not start with a known "
                f"prefix ({known})."
            )
        return found

    def kind_of(self, link: PlanLink, source: ItemType, target: ItemType) -> tuple[str, str]:
        """(kind, "") or ("", why not) — the refusal worded as actions.items.link_refusal."""
        kinds = self.rules.get((source.pk, target.pk), set())
        if link.kind is not None:
            if link.kind in kinds:
                return link.kind, ""
            return "", refusal_of(source, link.kind, target, kinds)
        if len(kinds) == 1:
            return next(iter(kinds)), ""
        if not kinds:
            return "", refusal_of(source, "derives_from", target, kinds).replace(
                "may not “derives from”", "may not link to"
            )
        if source.pk == target.pk and "derives_from" in kinds:
            return "derives_from", ""
        if "verifies" in kinds and source.needs_evidence:
            return "verifies", ""
        return "", (
            f"{link.source} → {link.target}: several kinds of link are allowed "
            f"({', '.join(sorted(kinds))}); name the kind."
        )


def refusal_of(source: ItemType, kind: str, target: ItemType, kinds: set[str]) -> str:
    hint = (
        f" Allowed between these types: {', '.join(sorted(kinds))}."
        if kinds
        else " No link is allowed between these types."
    )
    return (
        f"A {source.name.lower()} may not “{kind.replace('_', ' ')}” a "
        f"{target.name.lower()} under the configured link rules.{hint}"
    )


def clean_item(item: PlanItem, kind: ItemType, plan: Plan) -> dict[str, Any] | None:
    try:
        return {
            "item_type": kind,
            "title": text(item.title, "title", required=False, limit=300),
            "text": long_text(item.text, "text", limit=TEXT_LIMIT),
            "attributes": clean_attributes(item.attributes),
        }
    except InvalidInput as exc:
        plan.problem(item.file, item.line, f"{item.uid}: {exc.message}")
        return None


def check_items(plan: Plan, config: ImportConfig, existing: dict[str, Any]) -> Checked:
    """The items by UID, cleaned and sorted into new, changed and unchanged; problems
    for the rest. A changed item may not change its type or be a retired one."""
    seen: dict[str, PlanItem] = {}
    out = Checked()
    new = out.new
    for item in plan.items:
        if not UID.match(item.uid):
            plan.problem(
                item.file,
                item.line,
                f"“{item.uid[:60]}” is not a usable ID: use letters, "
                "digits, dots, hyphens or underscores (no spaces), at most 100 characters.",
            )
            continue
        if item.uid in seen:
            first = seen[item.uid]
            plan.problem(
                item.file,
                item.line,
                f"{item.uid} is defined twice (first at {first.file}:{first.line}).",
            )
            continue
        seen[item.uid] = item
        kind = config.type_of(item)
        if isinstance(kind, str):
            plan.problem(item.file, item.line, kind)
            continue
        cleaned = clean_item(item, kind, plan)
        if cleaned is None:
            continue
        old = existing.get(item.uid)
        if old is None:
            new[item.uid] = {**cleaned, "source": item}
            continue
        after = {k: cleaned[k] for k in ("title", "text", "attributes")}
        same = after == {"title": old.title, "text": old.text, "attributes": old.attributes}
        if same and old.item_type_id == kind.pk:
            out.unchanged.append(item.uid)
            continue
        if old.item_type_id != kind.pk:
            was = config.types[old.item_type_id]
            plan.problem(
                item.file,
                item.line,
                f"{item.uid} is a {was.name.lower()} in the project; the file makes it a "
                f"{kind.name.lower()}: an item's type cannot change.",
            )
        elif old.state != ItemState.ACTIVE:
            plan.problem(
                item.file,
                item.line,
                f"{item.uid} is retired in the project: its changed content cannot be "
                "imported. Take it out of the file, or leave it as it is there.",
            )
        else:
            out.changed[item.uid] = (old, after)
    return out


def refuse_changes_after_release(
    plan: Plan, project: DesignProject | None, checked: Checked
) -> None:
    """ISO 13485 7.3.9: once the current baseline is signed, a changed item goes through
    a design change (the item's edit page names it); a file cannot change it. New items
    and links still come in."""
    baseline = released(project) if project is not None and checked.changed else None
    if baseline is None:
        return
    by_uid = {i.uid: i for i in plan.items}
    for uid in checked.changed:
        source = by_uid[uid]
        plan.problem(
            source.file,
            source.line,
            f"{uid} differs from the project, whose current baseline “{baseline}” is "
            "signed (released): change it by an edit that is part of a design change.",
        )


def refuse_removals_after_release(project: DesignProject | None, links: LinkPlan) -> None:
    """After release a file cannot remove a link of the released design either: it is
    removed by hand as part of an approved design change (ISO 13485 7.3.9)."""
    baseline = released(project) if project is not None and links.remove else None
    if baseline is None:
        return
    raise ImportRefused(
        [
            (
                link.origin,
                0,
                f"{link_name(link)} is no longer in the file, but the current baseline "
                f"“{baseline}” is signed (released): remove the link on its item's page as "
                "part of an approved design change, or keep it in the file.",
            )
            for link in links.remove
        ]
    )


def refuse_additions_after_release(
    project: DesignProject | None, new: dict[str, dict], links: LinkPlan
) -> None:
    """After release a file cannot add to the released design either (ISO 13485 7.3.9):
    new items and links are added by hand as part of an approved design change, or the
    file is imported once the next baseline is taken."""
    baseline = released(project) if project is not None and (new or links.add) else None
    if baseline is None:
        return
    added = [uid for uid, v in new.items() if "version" not in v]
    problems: list[Problem] = [
        (v["source"].file, v["source"].line, f"{uid} is new")
        for uid, v in new.items()
        if "version" not in v
    ]
    problems += [(origin, 0, f"{s} {k} {t} is new") for (s, k, t), origin in links.add]
    head = (
        f"The current baseline “{baseline}” is signed (released): this file adds "
        f"{len(added)} item(s) and {len(links.add)} link(s). Add them by hand as part of an "
        "approved design change, or take the next baseline first (Baselines) and import "
        "the file then."
    )
    raise ImportRefused([("", 0, head), *problems[:200]])


def check_links(
    plan: Plan,
    config: ImportConfig,
    new: dict[str, dict],
    existing: dict[str, Any],
    old_links: set[tuple[str, str, str]],
) -> dict[tuple[str, str, str], PlanLink]:
    """Every link the files declare, checked, by (source, kind, target)."""

    def type_of(uid: str) -> ItemType | None:
        if uid in new:
            return new[uid]["item_type"]
        old = existing.get(uid)
        return config.types[old.item_type_id] if old is not None else None

    known_uids = {i.uid for i in plan.items}
    out: dict[tuple[str, str, str], PlanLink] = {}
    for link in plan.links:
        ends = (type_of(link.source), type_of(link.target))
        missing = [
            uid
            for uid, end in zip((link.source, link.target), ends, strict=True)
            if end is None and uid not in known_uids
        ]
        if missing:
            plan.problem(
                link.file,
                link.line,
                f"{link.source} → {link.target}: there is no "
                f"item {missing[0]} in the files or the project.",
            )
            continue
        if ends[0] is None or ends[1] is None:
            continue  # an end with its own problem, reported there
        if link.source == link.target:
            plan.problem(
                link.file, link.line, f"{link.source}: an item cannot be linked to itself."
            )
            continue
        kind, why = config.kind_of(link, ends[0], ends[1])
        if why:
            plan.problem(link.file, link.line, f"{link.source} → {link.target}: {why}")
            continue
        key = (link.source, kind, link.target)
        retired = [
            u for u in (link.source, link.target) if u in existing and existing[u].state != "active"
        ]
        if retired and key not in old_links:  # a link already there stays as it is
            plan.problem(
                link.file, link.line, f"{retired[0]} is retired: a retired item cannot be linked."
            )
            continue
        if key in out:
            first = out[key]
            plan.problem(
                link.file,
                link.line,
                f"{link.source} → {link.target} is given "
                f"twice (first at {first.file}:{first.line}).",
            )
            continue
        out[key] = link
    return out


def origin_of(file: str) -> str:
    """What Link.origin records: the file's name without its folders, so a re-import
    of the same file from another place still finds the links it made."""
    return PurePath(file.replace("\\", "/")).name[:255]


@dataclass
class LinkPlan:
    add: list[tuple[tuple[str, str, str], str]]  # key, origin
    remove: list[Link]
    kept_signed: list[str]


def plan_links(
    plan: Plan,
    declared: dict[tuple[str, str, str], PlanLink],
    old_links: dict[tuple[str, str, str], Link],
) -> LinkPlan:
    """New links to add; links an earlier import of these same files made that the files
    no longer declare, to remove — unless a signed review keeps one (Part 11 §11.70)."""
    add = [(key, origin_of(link.file)) for key, link in declared.items() if key not in old_links]
    origins = {origin_of(name) for name, _ in plan.files}
    gone = [
        link
        for key, link in old_links.items()
        if link.origin and link.origin in origins and key not in declared
    ]
    signed = set(
        Signature.objects.filter(
            object_type=object_type_of(Link), object_id__in=[str(link.pk) for link in gone]
        ).values_list("object_id", flat=True)
    ) if gone else set()  # fmt: skip
    remove = [link for link in gone if str(link.pk) not in signed]
    kept = sorted(link_name(link) for link in gone if str(link.pk) in signed)
    return LinkPlan(add, remove, kept)


def link_name(link: Link) -> str:
    return str(link)
