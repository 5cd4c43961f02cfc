"""The quality events overview: open records of every kind by age and by owner, CAPA
ageing, the vigilance clocks running, and the events module's QMS-dashboard panels.

Every figure is an aggregate query (a fixed number per kind installed, whatever the
number of records), so the page costs the same with ten records or a hundred thousand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, Model, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from openqms.core import modules
from openqms.core.models import User
from openqms.events import clocks as vigilance_clocks
from openqms.events.kinds import KINDS, Kind
from openqms.events.models import ReportabilityDecision

# (label, youngest age in days, oldest age in days or None)
BUCKETS = [
    ("0–30 days", 0, 30),
    ("31–90 days", 31, 90),
    ("91–180 days", 91, 180),
    ("over 180 days", 181, None),
]
OWNERS_SHOWN = 8
CLOCKS_SHOWN = 15


def installed_kinds() -> Iterator[tuple[Kind, type[Model]]]:
    """Each kind of events/kinds.py whose model is installed (areas come and go)."""
    for kind in KINDS.values():
        try:
            yield kind, apps.get_model(kind.model)
        except LookupError:
            continue


def _bucket_filters(now: dt.datetime) -> dict[str, Count]:
    found = {}
    for i, (_label, young, old) in enumerate(BUCKETS):
        q = Q(opened_at__lte=now - dt.timedelta(days=young))
        if old is not None:
            q &= Q(opened_at__gt=now - dt.timedelta(days=old + 1))
        found[f"b{i}"] = Count("pk", filter=q)
    return found


@dataclass
class KindRow:
    kind: Kind
    url: str
    buckets: list[int]
    total: int
    owners: list[tuple[str, int]] = field(default_factory=list)


def _url(name: str, *args: int) -> str:
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:  # that area's pages are not installed
        return ""


def open_by_kind(now: dt.datetime) -> list[KindRow]:
    """Open records per kind by age bucket and by owner: two queries per kind."""
    rows = []
    for kind, model in installed_kinds():
        open_ = model.objects.filter(closed_at__isnull=True)  # type: ignore[attr-defined]
        counts = open_.aggregate(total=Count("pk"), **_bucket_filters(now))
        owners = (
            open_.values("owner__full_name")
            .annotate(n=Count("pk"))
            .order_by("-n", "owner__full_name")[:OWNERS_SHOWN]
        )
        rows.append(
            KindRow(
                kind=kind,
                url=_url(kind.list_url),
                buckets=[counts[f"b{i}"] for i in range(len(BUCKETS))],
                total=counts["total"],
                owners=[(o["owner__full_name"], o["n"]) for o in owners],
            )
        )
    return rows


def capa_ageing(now: dt.datetime) -> list[tuple[str, list[int], int]]:
    """Open CAPAs per state by age bucket (one query), when CAPAs are installed."""
    try:
        model = apps.get_model(KINDS["capa"].model)
    except LookupError:
        return []
    field_names = {f.name for f in model._meta.get_fields()}
    if "state" not in field_names:
        return []
    states = dict(model._meta.get_field("state").choices or [])
    grouped = (
        model._default_manager.filter(closed_at__isnull=True)
        .values("state")
        .annotate(total=Count("pk"), **_bucket_filters(now))
        .order_by("state")
    )
    return [
        (
            str(states.get(g["state"], g["state"])),
            [g[f"b{i}"] for i in range(len(BUCKETS))],
            g["total"],
        )
        for g in grouped
    ]


@dataclass(frozen=True)
class Clock:
    """A row of the clocks table: events.clocks' clock (one source of truth: a clock
    stops once the initial report is submitted) as of `now`."""

    clock: vigilance_clocks.Clock
    now: dt.datetime
    url: str  # the complaint's page ("" while the complaints area's pages are absent)

    @property
    def decision(self) -> ReportabilityDecision:
        return self.clock.decision

    @property
    def left(self) -> dt.timedelta:
        return self.clock.left(self.now)

    @property
    def overdue(self) -> bool:
        return self.clock.overdue(self.now)

    @property
    def left_text(self) -> str:
        return vigilance_clocks.left_text(self.left)


def clocks(now: dt.datetime) -> tuple[list[Clock], int]:
    """The clocks running (reportable decisions in force whose initial report is not
    submitted yet), soonest deadline first: three queries."""
    found = [
        Clock(c, now, _url(KINDS["complaint"].url_name, c.complaint.pk))
        for c in vigilance_clocks.open_clocks(limit=CLOCKS_SHOWN)
    ]
    return found, vigilance_clocks.running_decisions().count()


def panels(user: User) -> list[modules.Panel]:
    """The events module's own QMS-dashboard panels (other areas add them)."""
    found = [
        panel
        for m in modules.installed()
        if m.label == "events"
        for provider in m.panels
        for panel in provider(user)
    ]
    return sorted(found, key=lambda p: (p.order, p.title))


def overview(user: User, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    found_clocks, clock_count = clocks(now)
    return {
        "now": now,
        "buckets": [label for label, _y, _o in BUCKETS],
        "kinds": open_by_kind(now),
        "capas": capa_ageing(now),
        "clocks": found_clocks,
        "clock_count": clock_count,
        "panels": panels(user),
    }
