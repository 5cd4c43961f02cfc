"""Rules one area puts on another area's steps, without either importing the other:
e.g. vigilance says a reportable complaint cannot close before its final incident
report is submitted. An area registers `refusal(record) -> str | None` for a step of
a kind ("complaint", "close"); the step's check asks `refusal_of` (before the password
and again under the lock, through core's signed-step path)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Rule = Callable[[Any], "str | None"]

_rules: dict[tuple[str, str], list[Rule]] = {}


def register(kind: str, step: str, rule: Rule) -> Rule:
    _rules.setdefault((kind, step), []).append(rule)
    return rule


def refusal_of(kind: str, step: str, record: Any) -> str | None:
    """The first registered rule's refusal of `step` on `record`, or None."""
    for rule in _rules.get((kind, step), []):
        refusal = rule(record)
        if refusal:
            return refusal
    return None
