"""Rules one area puts on another area's steps, without either importing the other:
e.g. vigilance says a reportable complaint cannot close before its final incident
report is submitted. An area registers `refusal(record) -> str | None` for a step of
a kind ("complaint", "close"); the step's check asks `refusal_of` (before the password
and again under the lock, through core's signed-step path)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

Rule = Callable[[Any], "str | None"]
# The same rule as a filter: keeps the records of a queryset the rule lets through, so
# a list (My tasks) asks it in one query rather than once per record.
Narrow = Callable[[QuerySet], QuerySet]

_rules: dict[tuple[str, str], list[Rule]] = {}
_narrows: dict[Rule, Narrow] = {}


def register(kind: str, step: str, rule: Rule, *, narrow: Narrow | None = None) -> Rule:
    if rule not in _rules.setdefault((kind, step), []):
        _rules[(kind, step)].append(rule)
    if narrow is not None:
        _narrows[rule] = narrow
    return rule


def rules_of(kind: str, step: str) -> list[Rule]:
    return list(_rules.get((kind, step), []))


def narrowed(kind: str, step: str, records: QuerySet) -> tuple[QuerySet, list[Rule]]:
    """`records` narrowed by every rule that has a filter, and the rules still to ask
    record by record (those registered without one)."""
    left = []
    for rule in _rules.get((kind, step), []):
        narrow = _narrows.get(rule)
        if narrow is None:
            left.append(rule)
        else:
            records = narrow(records)
    return records, left


def refusal_of(kind: str, step: str, record: Any) -> str | None:
    """The first registered rule's refusal of `step` on `record`, or None."""
    for rule in _rules.get((kind, step), []):
        refusal = rule(record)
        if refusal:
            return refusal
    return None
