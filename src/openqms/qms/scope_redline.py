"""Redline between two QMS scope versions: the statement word by word (document
control's public comparison, documents.redline.compare_text), and what was added to or
removed from the sites, device families, processes and exclusions."""

from __future__ import annotations

from dataclasses import dataclass

from openqms.documents.redline import Segment, compare_text
from openqms.qms.models import ScopeVersion

LISTS = (("families", "Device families"), ("processes", "Processes"), ("sites", "Sites"))


@dataclass(frozen=True)
class ListChange:
    name: str  # "families"
    label: str  # "Device families"
    added: list[str]
    removed: list[str]


@dataclass(frozen=True)
class ScopeRedline:
    old: ScopeVersion | None
    new: ScopeVersion
    statement: list[Segment]
    lists: list[ListChange]
    exclusions_added: list[list[str]]
    exclusions_removed: list[list[str]]

    @property
    def unchanged(self) -> bool:
        return (
            all(s.kind == "same" for s in self.statement)
            and not any(c.added or c.removed for c in self.lists)
            and not self.exclusions_added
            and not self.exclusions_removed
        )


def compare(old: ScopeVersion | None, new: ScopeVersion) -> ScopeRedline:
    """`new` against `old` (None: against nothing, everything is added)."""
    before = old.content() if old is not None else {}
    after = new.content()
    lists = [
        ListChange(
            name,
            label,
            sorted(set(after[name]) - set(before.get(name, []))),
            sorted(set(before.get(name, [])) - set(after[name])),
        )
        for name, label in LISTS
    ]
    was = [tuple(e) for e in before.get("exclusions", [])]
    now = [tuple(e) for e in after["exclusions"]]
    return ScopeRedline(
        old,
        new,
        compare_text(before.get("statement", ""), after["statement"]),
        lists,
        [list(e) for e in now if e not in was],
        [list(e) for e in was if e not in now],
    )


def summary(redline: ScopeRedline) -> str:
    """What changed, in plain words: the first draft of the approved body's notification."""
    lines = []
    for change in redline.lists:
        for item in change.added:
            lines.append(f"{change.label}: added {item}")
        for item in change.removed:
            lines.append(f"{change.label}: removed {item}")
    for clause, _, what, _ in redline.exclusions_added:
        lines.append(f"Exclusion added or changed: {clause} {what}")
    removed = {e[0] for e in redline.exclusions_removed} - {e[0] for e in redline.exclusions_added}
    for clause in sorted(removed):
        lines.append(f"Exclusion withdrawn: {clause}")
    if any(s.kind != "same" for s in redline.statement):
        lines.append("The scope statement was reworded.")
    old = redline.old.number if redline.old is not None else 0
    head = f"Changes from QMS scope version {old} to version {redline.new.number}:"
    return "\n".join([head, *lines]) if lines else head
