"""CAPA ageing (ISO 13485 8.5.2: actions taken without undue delay): open CAPAs by age
and state, overdue actions of the current plan rounds, effectiveness checks due. The
QMS dashboard panel, My tasks and the reminder job read these (a fixed number of
queries each)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from openqms.core.modules import Panel
from openqms.events.access import is_reader
from openqms.events.models import Capa, CapaAction, CapaState

# Age buckets in days since opened: (label, from, to) — to None: no upper end.
BUCKETS = [
    ("under 30 days", 0, 30),
    ("30–90 days", 30, 90),
    ("90–180 days", 90, 180),
    ("over 180 days", 180, None),
]
CHECK_NOTICE = dt.timedelta(days=14)


def open_capas() -> QuerySet[Capa]:
    return Capa.objects.exclude(state=CapaState.CLOSED)


def overdue_actions(today: dt.date) -> QuerySet[CapaAction]:
    """Open actions of the current plan round of open CAPAs, past their due date."""
    return CapaAction.objects.filter(
        done_at__isnull=True, due__lt=today, round=F("capa__round")
    ).exclude(capa__state=CapaState.CLOSED)


def checks_due(today: dt.date) -> QuerySet[Capa]:
    """CAPAs whose effectiveness check is due within 14 days or overdue, not yet signed."""
    return (
        open_capas()
        .filter(effectiveness_due__lte=today + CHECK_NOTICE, effectiveness="")
        .exclude(effectiveness_due__isnull=True)
    )


def ageing(now: dt.datetime) -> list[dict[str, Any]]:
    """[{state, label, counts per bucket, total}] in workflow order, one query."""
    counts = {}
    for n, (_, start, end) in enumerate(BUCKETS):
        window = Q(opened_at__lte=now - dt.timedelta(days=start))
        if end is not None:
            window &= Q(opened_at__gt=now - dt.timedelta(days=end))
        counts[f"age{n}"] = Count("pk", filter=window)
    rows = {r["state"]: r for r in open_capas().values("state").annotate(**counts)}
    table = []
    for state in CapaState:
        if state == CapaState.CLOSED:
            continue
        row = rows.get(state.value, {})
        cells = [row.get(f"age{n}", 0) for n in range(len(BUCKETS))]
        table.append(
            {"state": state.value, "label": state.label, "cells": cells, "total": sum(cells)}
        )
    return table


def dashboard_panels(user: Any) -> list[Panel]:
    if not is_reader(user):
        return []
    now = timezone.now()
    today = timezone.localdate(now)
    return [
        Panel(
            title="CAPA ageing",
            template="events/capa/panel.html",
            context={
                "buckets": [label for label, _, _ in BUCKETS],
                "rows": ageing(now),
                "overdue": list(
                    overdue_actions(today).select_related("capa", "owner").order_by("due")[:10]
                ),
                "overdue_count": overdue_actions(today).count(),
                "checks": list(checks_due(today).order_by("effectiveness_due")[:10]),
                "today": today,
            },
            url=reverse("events:capas") + "?state=open",
            order=46,
        )
    ]
