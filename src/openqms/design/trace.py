"""The traceability engine: the gap state of every item, kept up to date by the actions
that change items, links and evidence, and the full check read from scratch.

One computation (`_settle`) serves both paths. `refresh` feeds it the few items an
action touched (and, round by round, the items whose "verified" rules depend on an item
whose gap state flipped); `full_check` and `rebuild` feed it the whole project from a
few `values_list` queries, so 100,000 items cost a handful of queries and no ORM object
per row.

The rules (ISO 13485 7.3, ISO 14971 7.2): every active CoverageRule; "evidence" (an
item of a type that needs evidence has, as its latest result in the project's current
baseline, a pass at its current version); "suspect" (a suspect link to or from the
item). Retired items have no gaps and do not count as sources."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Q

from openqms.design.evidence_status import verdict
from openqms.design.models import (
    CoverageRule,
    DesignProject,
    Gap,
    Item,
    ItemState,
    ItemType,
    Link,
    LinkState,
)
from openqms.design.models.evidence import TestResult

EVIDENCE, SUSPECT = "evidence", "suspect"
BUILT_IN = {
    EVIDENCE: "Verification without a passing result in the current baseline",
    SUSPECT: "Suspect link",
}
DETAIL_LIMIT = 300
# Rounds of propagation through "verified" rules before refresh gives up and rebuilds
# (only a cyclic configuration of verified rules could need more).
MAX_ROUNDS = 50


class GapRow(NamedTuple):
    uid: str
    item_id: int
    rule: str
    message: str
    detail: str


class Rule(NamedTuple):
    code: str
    accepts: frozenset[tuple[str, int]]  # (kind, source type id)
    verified: bool
    message: str
    wanted: str  # what is missing, in plain words


@dataclass
class Config:
    """Item types and active gap rules (configuration, read once per call)."""

    names: dict[int, str]
    evidence_types: set[int]
    rules: dict[int, list[Rule]]  # by item type id
    messages: dict[str, str]
    # Types with a verified rule: their gaps read their sources' gaps.
    dependent: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        self.dependent = frozenset(
            type_id for type_id, rules in self.rules.items() if any(r.verified for r in rules)
        )

    @classmethod
    def load(cls) -> Config:
        types = {
            pk: (code, name, ev)
            for pk, code, name, ev in ItemType.objects.values_list(
                "pk", "code", "name", "needs_evidence"
            )
        }
        by_code = {code: pk for pk, (code, _, _) in types.items()}
        rules: dict[int, list[Rule]] = defaultdict(list)
        messages = dict(BUILT_IN)
        for code, type_id, accepts, verified, message in CoverageRule.objects.filter(
            active=True
        ).values_list("code", "item_type_id", "accepts", "verified", "message"):
            pairs = frozenset(
                (str(kind), by_code[str(source)])
                for kind, source in accepts
                if str(source) in by_code
            )
            wanted = " or ".join(
                f"a {types[source][1].lower()} that {kind.replace('_', ' ')} it"
                for kind, source in sorted(pairs)
            )
            rules[type_id].append(Rule(code, pairs, verified, message, wanted or "a link"))
            messages[code] = message
        return cls(
            names={pk: name for pk, (_, name, _) in types.items()},
            evidence_types={pk for pk, (_, _, ev) in types.items() if ev},
            rules=dict(rules),
            messages=messages,
        )

    def depends_on_sources(self, type_id: int) -> bool:
        return type_id in self.dependent


Case = tuple[int | None, str]


class ItemRow(NamedTuple):
    uid: str
    type_id: int
    active: bool
    version: int


@dataclass
class Graph:
    """What the rules read: items (those computed and the sources they need), incoming
    links, suspect links, the latest evidence, and which outside items have gaps now."""

    items: dict[int, ItemRow] = field(default_factory=dict)
    incoming: dict[int, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    suspects: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    # item id -> (run id, [(item version tested, outcome)]) of the latest run naming it
    evidence: dict[int, tuple[int, list[Case]]] = field(default_factory=dict)
    baseline: str | None = None
    gapped_outside: set[int] = field(default_factory=set)


Found = dict[int, list[tuple[str, str]]]  # item id -> [(rule, detail)]


def _base(config: Config, graph: Graph, pk: int) -> list[tuple[str, str]]:
    """The gaps of `pk` under every rule but the verified coverage rules."""
    row = graph.items[pk]
    out = []
    rules = config.rules.get(row.type_id)
    if rules:
        have = _have(graph, pk)
        for rule in rules:
            if not rule.verified and rule.accepts.isdisjoint(have):
                out.append((rule.code, f"{row.uid} needs {rule.wanted}."))
    if row.type_id in config.evidence_types:
        problem = _evidence_problem(graph, pk, row)
        if problem:
            out.append((EVIDENCE, problem))
    links = graph.suspects.get(pk)
    if links:
        shown = "; ".join(sorted(links)[:5]) + ("; …" if len(links) > 5 else "")
        out.append((SUSPECT, f"Suspect: {shown}"[:DETAIL_LIMIT]))
    return out


def _have(graph: Graph, pk: int) -> set[tuple[str, int]]:
    """(kind, source type) of the links into `pk` from active items."""
    incoming = graph.incoming.get(pk)
    if not incoming:
        return set()
    items = graph.items
    return {(kind, items[s].type_id) for s, kind in incoming if items[s].active}


def _sources(graph: Graph, pk: int, rule: Rule) -> list[int]:
    items = graph.items
    return [
        source
        for source, kind in graph.incoming.get(pk, ())
        if items[source].active and (kind, items[source].type_id) in rule.accepts
    ]


def _evidence_problem(graph: Graph, pk: int, row: ItemRow) -> str:
    if graph.baseline is None:
        return "No baseline to hold evidence."
    latest = graph.evidence.get(pk)
    if latest is None:
        return f"No test result in baseline {graph.baseline}."
    cases = latest[1]
    status, at = verdict(row.version, cases)
    if status == "passed":
        return ""
    assert at is not None
    version, outcome = cases[at]
    if status == "stale":
        return f"Stale: result for version {version}, item is at {row.version}."
    return f"The latest result in baseline {graph.baseline} {outcome}."


def _keep_latest(graph: Graph, rows: Iterable[tuple[int | None, int, int | None, str]]) -> None:
    """(item, run, item version, outcome) rows in run order: each item keeps the cases
    of the latest run naming it (all of them: `verdict` weighs them together)."""
    evidence = graph.evidence
    for item_id, run_id, version, outcome in rows:
        if item_id is None:  # cases naming no item
            continue
        held = evidence.get(item_id)
        if held is None or held[0] != run_id:
            evidence[item_id] = (run_id, [(version, outcome)])
        else:
            held[1].append((version, outcome))


def _settle(config: Config, graph: Graph, ids: Iterable[int]) -> Found:
    """The gaps of every item of `ids` (active ones; retired have none). A verified
    rule reads its sources' gaps: computed here first when they are in `ids` (depth
    first, without recursion), else `graph.gapped_outside`. A source met again on the
    path (a cyclic configuration) counts as having a gap."""
    todo = set(ids)
    done: Found = {}
    on_path: set[int] = set()
    items = graph.items
    dependent = config.dependent
    later = []
    for pk in todo:  # most items read no other item's gaps: settle them first
        row = items.get(pk)
        if row is None or not row.active:
            done[pk] = []
        elif row.type_id in dependent:
            later.append(pk)
        else:
            done[pk] = _base(config, graph, pk)
    for start in later:
        if start in done:
            continue
        stack = [(start, False)]
        while stack:
            pk, expanded = stack.pop()
            if pk in done:
                continue
            row = items.get(pk)
            if row is None or not row.active:
                done[pk] = []
                continue
            if row.type_id not in dependent:
                done[pk] = _base(config, graph, pk)
                continue
            if not expanded:
                on_path.add(pk)
                stack.append((pk, True))
                for source, _ in graph.incoming.get(pk, ()):
                    if source in todo and source not in done and source not in on_path:
                        stack.append((source, False))
                continue
            on_path.discard(pk)
            done[pk] = _base(config, graph, pk) + _verified(config, graph, pk, todo, done)
    return done


def _verified(config: Config, graph: Graph, pk: int, todo: set, done: Found) -> list:
    out = []
    row = graph.items[pk]
    for rule in config.rules.get(row.type_id, ()):
        if not rule.verified:
            continue
        sources = _sources(graph, pk, rule)

        def gapped(source: int) -> bool:
            if source in todo:
                return bool(done.get(source, True))
            return source in graph.gapped_outside

        if not sources:
            out.append((rule.code, f"{row.uid} needs {rule.wanted}."))
        elif all(gapped(source) for source in sources):
            names = ", ".join(sorted(graph.items[s].uid for s in sources)[:5])
            detail = f"{row.uid} has no verified control: {names} still open."
            out.append((rule.code, detail[:DETAIL_LIMIT]))
    return out


# --- the whole project ---------------------------------------------------------------------


def _load_all(project_id: int, config: Config) -> Graph:
    graph = Graph()
    items = graph.items
    for pk, uid, type_id, state, version in (
        Item.objects.filter(project_id=project_id)
        .values_list("pk", "uid", "item_type_id", "state", "version")
        .order_by()
    ):
        items[pk] = ItemRow(uid, type_id, state == ItemState.ACTIVE, version)
    incoming = graph.incoming
    suspects = graph.suspects
    for source, kind, target, state in (
        Link.objects.filter(project_id=project_id)
        .values_list("source_id", "kind", "target_id", "state")
        .order_by()
    ):
        incoming[target].append((source, kind))
        if state == LinkState.SUSPECT:
            text = f"{items[source].uid} {kind.replace('_', ' ')} {items[target].uid}"
            suspects[source].append(text)
            suspects[target].append(text)
    _load_evidence(project_id, config, graph, None)
    return graph


def _load_evidence(project_id: int, config: Config, graph: Graph, ids: set | None) -> None:
    found = (
        DesignProject.objects.filter(pk=project_id)
        .values_list("current_baseline_id", "current_baseline__name")
        .first()
    )
    baseline_id, graph.baseline = found if found and found[0] else (None, None)
    if baseline_id is None or not config.evidence_types:
        return
    results = TestResult.objects.filter(run__baseline_id=baseline_id, item__project_id=project_id)
    if ids is not None:
        results = results.filter(item_id__in=ids)
    # Later runs win; a run's cases naming the item are weighed together.
    _keep_latest(
        graph,
        results.order_by("run__ingested_at", "run_id", "pk").values_list(
            "item_id", "run_id", "item_version", "outcome"
        ),
    )


def _rows(config: Config, graph: Graph, found: Found) -> list[GapRow]:
    rows = [
        GapRow(graph.items[pk].uid, pk, rule, config.messages.get(rule, rule), detail)
        for pk, gaps in found.items()
        for rule, detail in gaps
    ]
    rows.sort(key=lambda row: (row.uid, row.rule))
    return rows


def full_check(project_id: int) -> list[GapRow]:
    """Every rule recomputed from scratch in memory; writes nothing."""
    config = Config.load()
    graph = _load_all(project_id, config)
    return _rows(config, graph, _settle(config, graph, graph.items))


def gaps(project_id: int) -> list[GapRow]:
    """The stored gap state (what the pages and the matrix show)."""
    messages = Config.load().messages
    rows = Gap.objects.filter(project_id=project_id).values_list(
        "item__uid", "item_id", "rule", "detail"
    )
    return sorted(
        (GapRow(uid, pk, rule, messages.get(rule, rule), detail) for uid, pk, rule, detail in rows),
        key=lambda row: (row.uid, row.rule),
    )


def rebuild(project_id: int) -> int:
    """Recompute every Gap row of the project from scratch (after an import); the number
    of gaps. Runs in the caller's transaction."""
    rows = full_check(project_id)
    Gap.objects.filter(project_id=project_id).delete()
    Gap.objects.bulk_create(
        (Gap(project_id=project_id, item_id=r.item_id, rule=r.rule, detail=r.detail) for r in rows),
        batch_size=2000,
    )
    return len(rows)


# --- a few items -----------------------------------------------------------------------------


def _load_some(project_id: int, config: Config, ids: set[int], baseline: tuple) -> Graph:
    graph = Graph()
    items = graph.items
    for pk, uid, type_id, state, version in Item.objects.filter(
        project_id=project_id, pk__in=ids
    ).values_list("pk", "uid", "item_type_id", "state", "version"):
        items[pk] = ItemRow(uid, type_id, state == ItemState.ACTIVE, version)
    for target, source, kind, uid, type_id, state, version in Link.objects.filter(
        target_id__in=ids
    ).values_list(
        "target_id",
        "source_id",
        "kind",
        "source__uid",
        "source__item_type_id",
        "source__state",
        "source__version",
    ):
        graph.incoming[target].append((source, kind))
        items.setdefault(source, ItemRow(uid, type_id, state == ItemState.ACTIVE, version))
    for source, target, kind, source_uid, target_uid in Link.objects.filter(
        Q(source_id__in=ids) | Q(target_id__in=ids), state=LinkState.SUSPECT
    ).values_list("source_id", "target_id", "kind", "source__uid", "target__uid"):
        text = f"{source_uid} {kind.replace('_', ' ')} {target_uid}"
        graph.suspects[source].append(text)
        graph.suspects[target].append(text)
    baseline_id, graph.baseline = baseline
    wanted = {pk for pk in ids if pk in items and items[pk].type_id in config.evidence_types}
    if baseline_id is not None and wanted:
        _keep_latest(
            graph,
            TestResult.objects.filter(run__baseline_id=baseline_id, item_id__in=wanted)
            .order_by("run__ingested_at", "run_id", "pk")
            .values_list("item_id", "run_id", "item_version", "outcome"),
        )
    return graph


def refresh(project_id: int, item_ids: Iterable[int]) -> None:
    """Recompute the Gap rows of `item_ids` (and of items whose gaps depend on them) in
    the caller's transaction: a constant number of queries per round for a handful of
    items, and one more round only where a verified rule's source flipped state."""
    pending = set(item_ids)
    if not pending:
        return
    config = Config.load()
    found = (
        # The project's row locked: a configuration change rebuilding every project's gaps
        # waits for this refresh (and this one for it), so their Gap rows never collide.
        DesignProject.objects.select_for_update(of=("self",))
        .filter(pk=project_id)
        .values_list("current_baseline_id", "current_baseline__name")
        .first()
    )
    baseline = found if found and found[0] else (None, None)
    for _ in range(MAX_ROUNDS):
        graph = _load_some(project_id, config, pending, baseline)
        stored: dict[int, set] = defaultdict(set)
        for item_id, rule, detail in Gap.objects.filter(item_id__in=set(graph.items)).values_list(
            "item_id", "rule", "detail"
        ):
            stored[item_id].add((rule, detail))
        graph.gapped_outside = {pk for pk in stored if pk not in pending}
        new = _settle(config, graph, pending)
        changed = [pk for pk in pending if set(new.get(pk, ())) != stored.get(pk, set())]
        if not changed:
            return
        Gap.objects.filter(item_id__in=changed).delete()
        Gap.objects.bulk_create(
            Gap(project_id=project_id, item_id=pk, rule=rule, detail=detail)
            for pk in changed
            for rule, detail in new.get(pk, ())
        )
        flipped = [pk for pk in changed if bool(new.get(pk)) != bool(stored.get(pk))]
        pending = set()
        if flipped:
            for target, type_id in Link.objects.filter(source_id__in=flipped).values_list(
                "target_id", "target__item_type_id"
            ):
                if config.depends_on_sources(type_id):
                    pending.add(target)
        if not pending:
            return
    rebuild(project_id)


# --- every project -----------------------------------------------------------------------------


class Rebuilt(NamedTuple):
    projects: int  # projects checked
    changed: int  # projects whose stored gaps changed
    added: int  # gaps that appeared
    removed: int  # gaps that went away


def rebuild_every_project() -> Rebuilt:
    """Recompute the stored gaps of every design project after the configuration changed
    (item types, link rules, gap rules), in the caller's transaction; only projects whose
    gaps differ are rewritten."""
    changed = added = removed = 0
    # Every project row locked, in one order: two configuration changes, or one and an
    # item's edit (whose refresh locks its project's row), never rewrite gaps at once.
    project_ids = list(
        DesignProject.objects.select_for_update().order_by("pk").values_list("pk", flat=True)
    )
    for project_id in project_ids:
        fresh = {(r.item_id, r.rule, r.detail) for r in full_check(project_id)}
        stored = set(
            Gap.objects.filter(project_id=project_id).values_list("item_id", "rule", "detail")
        )
        if fresh == stored:
            continue
        changed += 1
        added += len(fresh - stored)
        removed += len(stored - fresh)
        Gap.objects.filter(project_id=project_id).delete()
        Gap.objects.bulk_create(
            (Gap(project_id=project_id, item_id=i, rule=r, detail=d) for i, r, d in fresh),
            batch_size=2000,
        )
    return Rebuilt(len(project_ids), changed, added, removed)
