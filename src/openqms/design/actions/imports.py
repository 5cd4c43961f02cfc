"""The bulk writer of imports: a whole plan of items and links (read from .sdoc, ReqIF or
CSV by design.importing) checked against the configuration and the project, then written
in one transaction with one audit event — or refused with every problem, writing
nothing.

It is not a loop over create_item/link_items: at 100,000 items that would be 100,000
audit events and 300,000 queries. The rules are the same (IDs, limits, item types, the
configured link rules with link_refusal's wording), checked in memory against the
configuration read once. This module owns the plan's shape so the readers depend on
the writer, not the other way round."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.db import connection
from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import DomainError, InvalidInput
from openqms.core.inputs import long_text, text
from openqms.core.models import Signature, User
from openqms.core.signatures import object_type_of
from openqms.design import trace
from openqms.design.actions.items import (
    NAME,
    TEXT_LIMIT,
    UID,
    clean_attributes,
    new_version,
    released,
)
from openqms.design.models import (
    DesignProject,
    Item,
    ItemState,
    ItemType,
    Link,
    LinkRule,
    LinkState,
)
from openqms.design.models.project import sort_key_of
from openqms.design.registry import EDIT

Problem = tuple[str, int, str]  # file, line (from 1; 0 for the file as a whole), message
Progress = Callable[[int, int, str], None]
# 500 rows × 11 columns stays under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
ROWS_PER_INSERT = 500
UNNEST_ROWS = 10_000


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
class ImportResult:
    project: DesignProject | None  # None after a dry run that would create the project
    items: int  # new items written (or that would be)
    links: int  # new links written (or that would be)
    files: list[tuple[str, str]]
    skipped: int = 0  # items already in the project with the same content
    dry_run: bool = False
    changed: list[str] = field(default_factory=list)  # "REQ-1 v1->v2"
    links_removed: list[str] = field(default_factory=list)  # "TEST-1 verifies REQ-1"
    kept_signed: list[str] = field(default_factory=list)  # not in the file, but signed
    not_in_file: list[str] = field(default_factory=list)  # project items the file lacks

    def summary(self) -> list[str]:
        """What the import did (or would do), one line each: the page, the API and the
        command show the same words."""
        would = self.dry_run
        lines = [
            f"{'Would create' if would else 'Created'} {self.items} item(s), "
            f"{'change' if would else 'changed'} {len(self.changed)}, "
            f"left {self.skipped} unchanged; "
            f"{'would add' if would else 'added'} {self.links} link(s) and "
            f"{'remove' if would else 'removed'} {len(self.links_removed)}."
        ]
        if self.changed:
            lines.append(f"Changed (a new version; their links become suspect): "
                         f"{_listed(self.changed)}.")  # fmt: skip
        if self.links_removed:
            lines.append(f"Links no longer in the file, removed: {_listed(self.links_removed)}.")
        for link in self.kept_signed:
            lines.append(
                f"Warning: {link} is no longer in the file but carries a signed review: "
                "it stays. Remove it by hand if it no longer holds."
            )
        if self.not_in_file:
            lines.append(
                f"Not in this file (left as they are, not retired): {_listed(self.not_in_file)}."
            )
        return lines


def _listed(names: list[str], most: int = 20) -> str:
    more = f" and {len(names) - most} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


@dataclass
class _Checked:
    """The plan's items sorted against the project: new (cleaned), changed (the item
    and its cleaned content) and unchanged (their UIDs)."""

    new: dict[str, dict] = field(default_factory=dict)
    changed: dict[str, tuple[Item, dict]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)


class _Config:
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
            return "", _refusal(source, link.kind, target, kinds)
        if len(kinds) == 1:
            return next(iter(kinds)), ""
        if not kinds:
            return "", _refusal(source, "derives_from", target, kinds).replace(
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


def _refusal(source: ItemType, kind: str, target: ItemType, kinds: set[str]) -> str:
    hint = (
        f" Allowed between these types: {', '.join(sorted(kinds))}."
        if kinds
        else " No link is allowed between these types."
    )
    return (
        f"A {source.name.lower()} may not “{kind.replace('_', ' ')}” a "
        f"{target.name.lower()} under the configured link rules.{hint}"
    )


def _clean(item: PlanItem, kind: ItemType, plan: Plan) -> dict[str, Any] | None:
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


def _check_items(plan: Plan, config: _Config, existing: dict[str, Any]) -> _Checked:
    """The items by UID, cleaned and sorted into new, changed and unchanged; problems
    for the rest. A changed item may not change its type or be a retired one."""
    seen: dict[str, PlanItem] = {}
    out = _Checked()
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
        cleaned = _clean(item, kind, plan)
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


def _refuse_changes_after_release(
    plan: Plan, project: DesignProject | None, checked: _Checked
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


def _refuse_removals_after_release(project: DesignProject | None, links: _LinkPlan) -> None:
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
                f"{_name(link)} is no longer in the file, but the current baseline "
                f"“{baseline}” is signed (released): remove the link on its item's page as "
                "part of an approved design change, or keep it in the file.",
            )
            for link in links.remove
        ]
    )


def _refuse_additions_after_release(
    project: DesignProject | None, new: dict[str, dict], links: _LinkPlan
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


def _check_links(
    plan: Plan,
    config: _Config,
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


def _digest(rows: dict[str, dict]) -> str:
    """SHA-256 over every new or changed item's whole content (what Item.signature_content
    covers: uid, type, version, title, text, attributes), one canonical JSON line per
    item in uid order, so the audit event pins down exactly what was written."""
    sha = hashlib.sha256()
    for uid in sorted(rows):
        v = rows[uid]
        content = {
            "uid": uid,
            "type": v["item_type"].code,
            "version": v.get("version", 1),
            "title": v["title"],
            "text": v["text"],
            "attributes": v["attributes"],
        }
        sha.update(audit.canonical_json(content).encode() + b"\n")
    return sha.hexdigest()


def _project(actor: User, name: str, device: Any, plan: Plan) -> tuple[DesignProject | None, bool]:
    found = DesignProject.objects.select_for_update().filter(name__iexact=name).first()
    if found is not None:
        if device is not None and found.device_id not in (None, device.pk):
            plan.problem(
                "", 0, f"The project {found.name} belongs to another device ({found.device})."
            )
        return found, False
    if not NAME.match(name):
        plan.problem(
            "",
            0,
            "Name the project with letters, digits, spaces, dots, hyphens "
            "or underscores (at most 100 characters).",
        )
    return None, True


ITEM_COLUMNS = ["project", "uid", "sort_key", "item_type", "title", "text", "attributes",
                "version", "state", "created_at", "created_by", "updated_at"]  # fmt: skip
LINK_COLUMNS = ["project", "source", "kind", "target", "source_version", "target_version",
                "state", "changed_end", "created_at", "created_by", "origin"]  # fmt: skip


def _insert(
    model: type[Item] | type[Link], fields: list[str], rows: list[tuple], tell: Progress, stage: str
) -> None:
    """Plain multi-row INSERTs: bulk_create spends most of an import preparing each value
    through the ORM, and one statement per row costs a round trip each on PostgreSQL
    (measured at 10,000 items: ~1,100 and ~1,300 items/s, short of the 2,000/s target).
    The values are already cleaned by the checks above; this stays inside the action's
    transaction."""
    columns = ", ".join(
        connection.ops.quote_name(str(getattr(model._meta.get_field(f), "column", f)))
        for f in fields
    )
    jsonb = connection.vendor == "postgresql"
    marks = (
        "(" + ", ".join("%s::jsonb" if jsonb and f == "attributes" else "%s" for f in fields) + ")"
    )
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if jsonb:
            _insert_unnest(cursor, model, fields, columns, table, rows, tell, stage)
            return
        for start in range(0, len(rows), ROWS_PER_INSERT):
            chunk = rows[start : start + ROWS_PER_INSERT]
            # Table and column names come from the models; values are parameters.
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([marks] * len(chunk))}"  # noqa: S608
            cursor.execute(sql, [value for row in chunk for value in row])
            tell(min(start + ROWS_PER_INSERT, len(rows)), len(rows), stage)


def _insert_unnest(
    cursor: Any,
    model: type[Item] | type[Link],
    fields: list[str],
    columns: str,
    table: str,
    rows: list[tuple],
    tell: Progress,
    stage: str,
) -> None:
    """PostgreSQL: one array per column and INSERT … SELECT FROM unnest(…), a short
    statement psycopg prepares once (a long multi-row VALUES is re-parsed on every call:
    most of the time at 10,000 items)."""
    types = [str(getattr(model._meta.get_field(f), "db_type")(connection)) for f in fields]  # noqa: B009
    arrays = ", ".join(f"%s::{kind}[]" for kind in types)
    sql = f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays})"  # noqa: S608
    for start in range(0, len(rows), UNNEST_ROWS):
        chunk = rows[start : start + UNNEST_ROWS]
        cursor.execute(sql, [list(column) for column in zip(*chunk, strict=True)])
        tell(min(start + UNNEST_ROWS, len(rows)), len(rows), stage)


def _origin(file: str) -> str:
    """What Link.origin records: the file's name without its folders, so a re-import
    of the same file from another place still finds the links it made."""
    return PurePath(file.replace("\\", "/")).name[:255]


@dataclass
class _LinkPlan:
    add: list[tuple[tuple[str, str, str], str]]  # key, origin
    remove: list[Link]
    kept_signed: list[str]


def _plan_links(
    plan: Plan,
    declared: dict[tuple[str, str, str], PlanLink],
    old_links: dict[tuple[str, str, str], Link],
) -> _LinkPlan:
    """New links to add; links an earlier import of these same files made that the files
    no longer declare, to remove — unless a signed review keeps one (Part 11 §11.70)."""
    add = [(key, _origin(link.file)) for key, link in declared.items() if key not in old_links]
    origins = {_origin(name) for name, _ in plan.files}
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
    kept = sorted(_name(link) for link in gone if str(link.pk) in signed)
    return _LinkPlan(add, remove, kept)


def _name(link: Link) -> str:
    return str(link)


@audit.writing()
def import_plan(
    *,
    actor: User,
    plan: Plan,
    project_name: str,
    device: Any = None,
    progress: Progress | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Check `plan` against the configuration and the project `project_name` (made on
    first import, attached to `device`), then write it — or raise ImportRefused with
    every problem, having written nothing. New items are inserted in bulk; a changed
    item becomes a new version as an edit would make it (its links suspect); links the
    files declare are added, and those an earlier import of the same files made and
    they no longer declare are removed. Items missing from the files stay as they are."""
    require(actor, EDIT)
    tell = progress or (lambda done, total, stage: None)
    name = str(project_name or "").strip()
    project, create = _project(actor, name, device, plan)
    config = _Config()
    existing = {i.uid: i for i in Item.objects.filter(project=project)} if project else {}
    old_links: dict[tuple[str, str, str], Link] = {}
    if existing:
        found = Link.objects.filter(project=project).select_related("source", "target")
        old_links = {(x.source.uid, x.kind, x.target.uid): x for x in found}
    tell(0, len(plan.items), "checking")
    checked = _check_items(plan, config, existing)
    _refuse_changes_after_release(plan, project, checked)
    new = checked.new
    declared = _check_links(plan, config, new, existing, set(old_links))
    if not plan.items and not plan.problems:
        plan.problem("", 0, "The files hold no items to import.")
    if plan.problems:
        raise ImportRefused(sorted(plan.problems, key=lambda p: (p[0], p[1])))
    links = _plan_links(plan, declared, old_links)
    _refuse_removals_after_release(project, links)
    _refuse_additions_after_release(project, new, links)
    in_file = {i.uid for i in plan.items}
    result = ImportResult(
        project,
        len(new),
        len(links.add),
        plan.files,
        len(checked.unchanged),
        dry_run,
        changed=[f"{uid} v{old.version}->v{old.version + 1}" for uid, (old, _) in
                 checked.changed.items()],
        links_removed=sorted(_name(link) for link in links.remove),
        kept_signed=links.kept_signed,
        not_in_file=sorted(uid for uid, i in existing.items()
                           if uid not in in_file and i.state == ItemState.ACTIVE),
    )  # fmt: skip
    if dry_run:
        return result
    now = timezone.now()
    at = connection.ops.adapt_datetimefield_value(now)
    if create:
        project = DesignProject.objects.create(
            name=name, device=device, created_at=now, created_by=actor
        )
        audit.record(
            actor=actor,
            action="design.project.created",
            obj=project,
            changes={
                "name": [None, name],
                "title": [None, ""],
                "device": [None, str(device) if device else None],
                "development_plan": [None, None],
            },
        )
    assert project is not None
    result.project = project
    # Removed first, so that a link about to go is not marked suspect by a change below.
    Link.objects.filter(pk__in=[link.pk for link in links.remove]).delete()
    marks = _change_items(actor, checked.changed, new, tell, [name for name, _ in plan.files])
    item_rows = [
        (project.pk, uid, sort_key_of(uid), v["item_type"].pk, v["title"], v["text"],
         json.dumps(v["attributes"]), 1, ItemState.ACTIVE, at, actor.pk, at)
        for uid, v in new.items() if "version" not in v
    ]  # fmt: skip
    _insert(Item, ITEM_COLUMNS, item_rows, tell, "writing items")
    ids = dict(Item.objects.filter(project=project).values_list("uid", "pk"))
    versions = {uid: old.version for uid, old in existing.items()}
    versions.update({uid: v["version"] for uid, v in new.items() if "version" in v})
    link_rows = [
        (project.pk, ids[source], kind, ids[target], versions.get(source, 1),
         versions.get(target, 1), LinkState.VALID, "", at, actor.pk, origin)
        for (source, kind, target), origin in links.add
    ]  # fmt: skip
    _insert(Link, LINK_COLUMNS, link_rows, tell, "writing links")
    audit.record(
        actor=actor,
        action="design.import.completed",
        obj=project,
        changes={
            "files": [None, [{"name": n, "sha256": h} for n, h in plan.files]],
            "items": [None, len(item_rows)],
            "links": [None, len(link_rows)],
            "skipped": [None, result.skipped],
            "digest": [None, _digest(new)],
            "created": [None, ids_for_event([row[1] for row in item_rows])],
            "changed": [None, result.changed],
            "unchanged": [None, ids_for_event(checked.unchanged)],
            "links_removed": [None, result.links_removed],
            "kept_signed": [None, result.kept_signed],
            "suspect": [None, marks[0]],
            "resolved": [None, marks[1]],
            "not_in_file": [None, ids_for_event(result.not_in_file)],
        },
    )
    tell(0, 1, "tracing")
    trace.rebuild(project.pk)
    tell(1, 1, "done")
    return result


# An import of 100,000 items is one audit event: the IDs are listed in full up to this
# many; beyond it the event keeps their count, the first few and a SHA-256 of them all
# (the items' content is in "digest"), so the trail stays readable and the chain fast.
LISTED_IDS = 200


def ids_for_event(uids: list[str]) -> list[str] | dict[str, Any]:
    if len(uids) <= LISTED_IDS:
        return list(uids)
    digest = hashlib.sha256("\n".join(uids).encode()).hexdigest()
    return {"count": len(uids), "first": list(uids[:20]), "sha256": digest}


def _change_items(
    actor: User,
    changed: dict[str, tuple[Item, dict]],
    new: dict[str, dict],
    tell: Progress,
    files: list[str],
) -> tuple[list[str], list[str]]:
    """Each changed item a new version through the edit's path (one at a time: only
    changed items pay for it), with its own `design.item.edited` event as an edit writes
    (old -> new, the version, why: the re-import), so the item's history and a link
    review's redline read the same whichever way it changed; their content joins `new`
    for the digest. The links marked suspect and resolved, for the import's one event."""
    suspect: list[str] = []
    resolved: list[str] = []
    why = f"re-import of {', '.join(files)}"[:500]
    for done, (uid, (old, after)) in enumerate(changed.items(), 1):
        item = Item.objects.select_for_update().select_related("item_type").get(pk=old.pk)
        if item.version != old.version:
            raise ImportRefused(
                [("", 0, f"{uid} changed while the file was being checked (now version "
                         f"{item.version}): nothing was written. Import the file again.")]
            )  # fmt: skip
        before = {"title": item.title, "text": item.text, "attributes": item.attributes}
        marked, cleared, _ = new_version(item, after)
        audit.record(
            actor=actor,
            action="design.item.edited",
            obj=item,
            changes={**audit.diff(before, after), "version": [item.version - 1, item.version]},
            reason=why,
        )
        suspect += marked
        resolved += cleared
        new[uid] = {**after, "item_type": item.item_type, "version": item.version}
        tell(done, len(changed), "changing items")
    return suspect, resolved
