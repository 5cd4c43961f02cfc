"""Helpers shared by supplier control's actions: typed text, choices, dates, intervals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openqms.core.dates import months_later
from openqms.core.errors import TransitionNotAllowed
from openqms.core.inputs import choice, count, date, long_text, text  # noqa: F401
from openqms.suppliers.models import Criticality, ReevaluationInterval

# 7.4.1: re-evaluation proportionate to the risk of what is supplied (configuration rows
# override these; they are what a fresh install seeds).
DEFAULT_MONTHS = {Criticality.CRITICAL: 12, Criticality.MAJOR: 24, Criticality.MINOR: 36}


def not_retired(record: Any, what: str) -> None:
    if record.retired_at is not None:
        raise TransitionNotAllowed(f"{what} is retired; nothing was changed.")


def interval_months(criticality: str) -> int:
    row = ReevaluationInterval.objects.filter(criticality=criticality).first()
    return row.months if row is not None else DEFAULT_MONTHS[Criticality(criticality)]


# A conditional approval is checked sooner: half the criticality's interval, at most a year.
CONDITIONAL_MAX_MONTHS = 12


def next_evaluation(decided_on: dt.date, criticality: str, decision: str) -> dt.date | None:
    """When a supplier is evaluated again; a disqualified one is not (a new evaluation
    may still be recorded whenever it is wanted). A conditional approval brings it
    forward: half the interval of the supplier's criticality, at most 12 months (the
    conditions are checked then; a manager may reschedule it sooner, with a reason)."""
    if decision == "disqualified":
        return None
    months = interval_months(criticality)
    if decision == "conditional":
        months = min(max(months // 2, 1), CONDITIONAL_MAX_MONTHS)
    return months_later(decided_on, months)
