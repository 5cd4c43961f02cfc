"""The trace matrix from any level to any level: one row per active item of the "from"
type with the items of the "to" type reached from it, following links downstream (a
design input reaches the user need it derives from upstream, so from the need we go
target → source), and the gap codes of both.

Read in three queries (items, links, stored gaps) and built in one pass, so the page,
the API and the CSV at 100,000 items cost the same few queries."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, NamedTuple

from openqms.core.errors import InvalidInput
from openqms.core.spreadsheet import safe
from openqms.design.models import Gap, Item, ItemState, ItemType, Link


class Reached(NamedTuple):
    item_id: int
    uid: str
    title: str
    gaps: tuple[str, ...]


class Row(NamedTuple):
    item_id: int
    uid: str
    title: str
    gaps: tuple[str, ...]
    reached: tuple[Reached, ...]

    @property
    def has_gaps(self) -> bool:
        return bool(self.gaps) or any(r.gaps for r in self.reached)


@dataclass(frozen=True)
class Levels:
    """The two ends of a matrix, and the types in between (by level)."""

    from_type: ItemType
    to_type: ItemType
    between: frozenset[int]


def levels(project_id: int, from_type: str | None, to_type: str | None) -> Levels | None:
    """The from/to types (codes), defaulting to the top design level present (risks
    aside) and the verification tests (or the bottom level present when there are
    none); None when the project has no active item."""
    types = {t.code: t for t in ItemType.objects.all()}
    present = set(
        Item.objects.filter(project_id=project_id, state=ItemState.ACTIVE)
        .values_list("item_type_id", flat=True)
        .distinct()
        .order_by()
    )
    for name, code in (("from", from_type), ("to", to_type)):
        if code and code not in types:
            known = ", ".join(sorted(types))
            raise InvalidInput(
                f"There is no item type “{code}” (known: {known}).", fields={name: "?"}
            )
    ordered = sorted((t for t in types.values() if t.pk in present), key=lambda t: t.level)
    if not ordered and not (from_type and to_type):
        return None
    # By default the design trace: from the top design level present (user needs, else
    # design inputs) down to verification tests where there are any. Risks sit above the
    # needs and validation below the tests; both are one filter away.
    design = [t for t in ordered if t.code != "risk"] or ordered
    tested = [t for t in design if t.code == "verification"]
    top = types[from_type] if from_type else design[0]
    bottom = types[to_type] if to_type else (tested or design)[-1]
    low, high = sorted((top.level, bottom.level))
    between = frozenset(t.pk for t in types.values() if low <= t.level <= high)
    return Levels(top, bottom, between)


def rows(
    project_id: int,
    from_type: str | None = None,
    to_type: str | None = None,
    only_gaps: bool = False,
    search: str = "",
) -> list[Row]:
    """The matrix rows in ID order (see the module's docstring)."""
    ends = levels(project_id, from_type, to_type)
    if ends is None:
        return []
    return list(_build(project_id, ends, only_gaps=only_gaps, search=search))


def _build(project_id: int, ends: Levels, *, only_gaps: bool, search: str) -> Iterator[Row]:
    items: dict[int, tuple[str, str, int]] = {}
    order: dict[int, tuple[str, str]] = {}  # natural ID order (Item.sort_key), then the ID
    for pk, uid, title, type_id, key in (
        Item.objects.filter(project_id=project_id, state=ItemState.ACTIVE)
        .values_list("pk", "uid", "title", "item_type_id", "sort_key")
        .order_by()
    ):
        items[pk] = (uid, title, type_id)
        order[pk] = (key, uid)
    below: dict[int, list[int]] = defaultdict(list)
    between = ends.between
    for source, target in (
        Link.objects.filter(project_id=project_id).values_list("source_id", "target_id").order_by()
    ):
        if source in items and target in items and items[source][2] in between:
            below[target].append(source)
    gaps: dict[int, list[str]] = defaultdict(list)
    for item_id, rule in Gap.objects.filter(project_id=project_id).values_list("item_id", "rule"):
        gaps[item_id].append(rule)
    top, bottom = ends.from_type.pk, ends.to_type.pk
    needle = search.strip().lower()
    starts = sorted((pk for pk in items if items[pk][2] == top), key=order.__getitem__)
    for pk in starts:
        uid, title = items[pk][0], items[pk][1]
        reached = tuple(
            Reached(other, items[other][0], items[other][1], tuple(sorted(gaps.get(other, ()))))
            for other in _reach(pk, below, items, bottom, order)
        )
        row = Row(pk, uid, title, tuple(sorted(gaps.get(pk, ()))), reached)
        if only_gaps and not row.has_gaps:
            continue
        if needle and not _matches(row, needle):
            continue
        yield row


def _reach(start: int, below: dict, items: dict, bottom: int, order: dict) -> list[int]:
    """Items of the bottom type reached from `start` (breadth first, each once), in ID
    order. The start itself counts when from and to are the same type."""
    seen = {start}
    frontier = [start]
    found = [start] if items[start][2] == bottom else []
    while frontier:
        nxt = []
        for pk in frontier:
            for source in below.get(pk, ()):
                if source not in seen:
                    seen.add(source)
                    nxt.append(source)
                    if items[source][2] == bottom:
                        found.append(source)
        frontier = nxt
    return sorted(found, key=order.__getitem__)


def _matches(row: Row, needle: str) -> bool:
    if needle in row.uid.lower() or needle in row.title.lower():
        return True
    return any(needle in r.uid.lower() or needle in r.title.lower() for r in row.reached)


def header(ends: Levels) -> list[str]:
    return [
        f"{ends.from_type.name} ID",
        "Title",
        "Gaps",
        f"{ends.to_type.name} IDs",
        f"{ends.to_type.name} gaps",
    ]


def cells(row: Row) -> list[str]:
    return [
        row.uid,
        row.title,
        " ".join(row.gaps),
        " ".join(r.uid for r in row.reached),
        "; ".join(f"{r.uid}: {' '.join(r.gaps)}" for r in row.reached if r.gaps),
    ]


def write_csv(
    project_id: int,
    out: IO[str],
    from_type: str | None = None,
    to_type: str | None = None,
    only_gaps: bool = False,
    search: str = "",
) -> int:
    """The matrix as CSV (one pass, cells that cannot run as formulas); rows written."""
    ends = levels(project_id, from_type, to_type)
    writer = csv.writer(out)
    if ends is None:
        writer.writerow(["No active design items."])
        return 0
    writer.writerow(header(ends))
    count = 0
    for row in _build(project_id, ends, only_gaps=only_gaps, search=search):
        writer.writerow([safe(cell) for cell in cells(row)])
        count += 1
    return count
