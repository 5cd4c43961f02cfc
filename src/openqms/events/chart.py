"""Trend computation and its chart (UK MDR 2002 Part 4A trend reporting).

For each device with a trend method in force, and each series it counts (non-serious
incidents, expected side effects), the rate per period: complaints of that incident
type (by the UK month of awareness) over the exposure entered for the period (units in
use where given, else units sold; a figure counts in the period its start falls in).

Baseline mode is a u-chart: the baseline rate u0 = complaints / exposure over the
baseline periods, and each later period's upper limit is u0 + k·sqrt(u0 / n), n its
exposure; a period above its limit is a signal. Threshold mode: a signal is a rate per
1,000 units above the threshold. Baseline periods never signal (they define what is
expected).

Everything is counted in the database (GROUP BY device and month): four queries for any
number of devices and any length of history; Python only walks the periods."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import CharField, Count, F, Func, Sum
from django.db.models.functions import Coalesce, Substr, TruncMonth

from openqms.events.models import (
    Complaint,
    ExposureFigure,
    Mode,
    Period,
    Series,
    TrendMethod,
    TrendReport,
)

PER = 1000  # rates are shown per 1,000 units


@dataclass(frozen=True)
class Point:
    start: dt.date  # the first day of the period
    label: str  # "Mar 2026", "2026 Q1"
    count: int
    exposure: int
    rate: float | None  # per 1,000 units; None without exposure
    limit: float | None  # per 1,000 units; None where there is none
    baseline: bool = False
    signal: bool = False


@dataclass(frozen=True)
class Increase:
    """Consecutive periods above the limit: what a trend report covers."""

    first: Point
    last: Point
    points: tuple[Point, ...]
    reported: bool

    @property
    def observed(self) -> float:
        exposure = sum(p.exposure for p in self.points)
        return PER * sum(p.count for p in self.points) / exposure if exposure else 0.0


@dataclass(frozen=True)
class Trend:
    device_id: int
    method: TrendMethod
    series: str
    points: list[Point]
    expected: float | None  # the baseline rate or the threshold, per 1,000 units
    increases: list[Increase] = field(default_factory=list)

    @property
    def series_label(self) -> str:
        return Series(self.series).label

    @property
    def signals(self) -> list[Point]:
        return [p for p in self.points if p.signal]

    @property
    def unreported(self) -> list[Increase]:
        return [i for i in self.increases if not i.reported]


def _uk() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def period_start(day: dt.date, period: str) -> dt.date:
    if period == Period.QUARTER:
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, day.month, 1)


def period_label(start: dt.date, period: str) -> str:
    if period == Period.QUARTER:
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return start.strftime("%b %Y")


def _next(start: dt.date, period: str) -> dt.date:
    months = 3 if period == Period.QUARTER else 1
    month = start.month - 1 + months
    return dt.date(start.year + month // 12, month % 12 + 1, 1)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.astimezone(_uk()).date() if value.tzinfo else value.date()
    return value


def _exposures(device_ids: Sequence[int]) -> dict[int, dict[dt.date, int]]:
    rows = (
        ExposureFigure.objects.filter(device_id__in=device_ids, withdrawn_at__isnull=True)
        .annotate(month=TruncMonth("period_start"))
        .values("device_id", "month")
        .annotate(units=Sum(Coalesce("units_in_use", "units_sold")))
        .order_by()
    )
    found: dict[int, dict[dt.date, int]] = defaultdict(dict)
    for row in rows:
        found[row["device_id"]][_as_date(row["month"])] = int(row["units"] or 0)
    return found


# SQLite: Django's date functions there are Python callbacks run per row (too slow for
# ten years of complaints). SQLite stores date-times as UTC text, so the UTC month is the
# text's first seven characters, and a complaint can fall in another UK month only in the
# first or last day of a UTC month: those are grouped by their hour, then placed in
# Python (a few dozen groups, never one row per complaint). PostgreSQL truncates to the
# UK month natively.
_EDGE = (
    "CASE WHEN SUBSTR(%(expressions)s, 9, 2) = '01' THEN 'F' || SUBSTR(%(expressions)s, 12, 2) "
    "WHEN SUBSTR(DATE(%(expressions)s, '+1 day'), 9, 2) = '01' "
    "THEN 'L' || SUBSTR(%(expressions)s, 12, 2) ELSE '' END"
)


def _uk_month(value: Any, edge: str) -> dt.date:
    if not isinstance(value, str):  # PostgreSQL: the UK month already
        return _as_date(value).replace(day=1)
    month = dt.date(int(value[:4]), int(value[5:7]), 1)
    if not edge:
        return month
    day = month if edge[0] == "F" else _next(month, Period.MONTH) - dt.timedelta(days=1)
    at = dt.datetime.combine(day, dt.time(int(edge[1:])), dt.UTC)
    return at.astimezone(_uk()).date().replace(day=1)


def _counts(device_ids: Sequence[int]) -> dict[tuple[int, str], dict[dt.date, int]]:
    """Complaints per device, series and UK month of awareness, in one aggregate query."""
    mine = Complaint.objects.filter(device_id__in=device_ids, incident_type__in=Series.values)
    if connection.vendor == "sqlite":
        mine = mine.annotate(
            month=Substr("awareness_at", 1, 7),
            edge=Func(F("awareness_at"), template=_EDGE, output_field=CharField()),
        )
        keys = ["device_id", "incident_type", "month", "edge"]
    else:
        mine = mine.annotate(month=TruncMonth("awareness_at", tzinfo=_uk()))
        keys = ["device_id", "incident_type", "month"]
    rows = mine.values(*keys).annotate(n=Count("id")).order_by()
    found: dict[tuple[int, str], dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        month = _uk_month(row["month"], row.get("edge", ""))
        found[(row["device_id"], row["incident_type"])][month] += row["n"]
    return {key: dict(by_month) for key, by_month in found.items()}


def _reported(device_ids: Sequence[int]) -> dict[tuple[int, str], list[tuple[dt.date, dt.date]]]:
    rows = TrendReport.objects.filter(device_id__in=device_ids).values_list(
        "device_id", "series", "increase_from", "increase_to"
    )
    found: dict[tuple[int, str], list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for device_id, series, first, last in rows:
        found[(device_id, series)].append((first, last))
    return found


def _roll(months: dict[dt.date, int], period: str) -> dict[dt.date, int]:
    rolled: dict[dt.date, int] = defaultdict(int)
    for month, n in months.items():
        rolled[period_start(month, period)] += n
    return rolled


def _in_baseline(method: TrendMethod, with_exposure: list[dt.date]) -> set[dt.date]:
    if method.baseline_periods:
        return set(with_exposure[: method.baseline_periods])
    low, high = method.baseline_from, method.baseline_to
    if low is None or high is None:
        return set()
    return {s for s in with_exposure if low <= s <= high}


def compute(
    method: TrendMethod,
    series: str,
    exposure_months: dict[dt.date, int],
    count_months: dict[dt.date, int],
    reported: Iterable[tuple[dt.date, dt.date]] = (),
) -> Trend:
    """One series of one device under `method`, from monthly figures (pure arithmetic)."""
    period = method.period
    exposure, counts = _roll(exposure_months, period), _roll(count_months, period)
    starts = sorted(set(exposure) | set(counts))
    points: list[Point] = []
    if starts:
        start, end = starts[0], starts[-1]
        while start <= end:
            points.append(
                Point(start, period_label(start, period), counts.get(start, 0), 0, None, None)
            )
            start = _next(start, period)
    with_exposure = [p.start for p in points if exposure.get(p.start, 0) > 0]
    k = float(method.k)
    expected: float | None
    if method.mode == Mode.THRESHOLD:
        baseline: set[dt.date] = set()
        expected = float(method.threshold) if method.threshold is not None else None
    else:
        baseline = _in_baseline(method, with_exposure)
        n0 = sum(exposure[s] for s in baseline)
        expected = PER * sum(counts.get(s, 0) for s in baseline) / n0 if n0 else None
        if method.baseline_periods and len(baseline) < method.baseline_periods:
            expected = None  # the baseline is not complete yet: nothing to compare with
    made = []
    for p in points:
        n = exposure.get(p.start, 0)
        rate = PER * p.count / n if n else None
        limit: float | None = None
        if expected is not None and n:
            if method.mode == Mode.THRESHOLD:
                limit = expected
            else:
                u0 = expected / PER
                limit = PER * (u0 + k * math.sqrt(u0 / n))
        in_baseline = p.start in baseline
        signal = rate is not None and limit is not None and not in_baseline and rate > limit
        made.append(Point(p.start, p.label, p.count, n, rate, limit, in_baseline, signal))
    return Trend(
        device_id=method.device_id,
        method=method,
        series=series,
        points=made,
        expected=expected,
        increases=_increases(made, list(reported)),
    )


def _increases(points: list[Point], reported: list[tuple[dt.date, dt.date]]) -> list[Increase]:
    runs: list[list[Point]] = []
    for i, p in enumerate(points):
        if not p.signal:
            continue
        if runs and i > 0 and points[i - 1].signal:
            runs[-1].append(p)
        else:
            runs.append([p])
    return [
        Increase(
            run[0],
            run[-1],
            tuple(run),
            any(a <= run[-1].start and run[0].start <= b for a, b in reported),
        )
        for run in runs
    ]


def trends_for(
    device_ids: Sequence[int], methods: Sequence[TrendMethod] | None = None
) -> dict[int, list[Trend]]:
    """{device id: its trends, one per counted series} for the devices with a method in
    force, in four queries whatever their number and history."""
    if methods is None:
        methods = list(
            TrendMethod.objects.filter(device_id__in=device_ids, superseded_at__isnull=True)
        )
    ids = [m.device_id for m in methods]
    if not ids:
        return {}
    exposures, counts, reported = _exposures(ids), _counts(ids), _reported(ids)
    return {
        m.device_id: [
            compute(
                m,
                s,
                exposures.get(m.device_id, {}),
                counts.get((m.device_id, s), {}),
                reported.get((m.device_id, s), []),
            )
            for s in m.series
        ]
        for m in methods
    }


# The chart ----------------------------------------------------------------------------

W, H = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 36, 64


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def svg(trend: Trend, title: str) -> str:
    """The trend as a standalone SVG: rate per period, the limit or threshold line,
    signals marked (red, larger, and named in each point's title), labelled axes."""
    points = trend.points
    top = max([p.rate or 0 for p in points] + [p.limit or 0 for p in points] + [0.0])
    top = top * 1.15 if top > 0 else 1.0
    inner_w, inner_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    step = inner_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return LEFT + (i * step if len(points) > 1 else inner_w / 2)

    def y(v: float) -> float:
        return TOP + inner_h - v / top * inner_h

    signals = len(trend.signals)
    desc = (
        f"{trend.series_label.capitalize()} per 1,000 units, {len(points)} periods "
        f"({points[0].label} to {points[-1].label}); "
        if points
        else f"{trend.series_label.capitalize()}: no figures yet; "
    ) + f"{signals} period{'s' if signals != 1 else ''} above the limit."
    ref = f"trend-{trend.device_id}-{trend.series}"  # ids unique when charts share a page
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" '
        f'height="{H}" role="img" aria-labelledby="{ref}-title {ref}-desc" '
        'class="chart trend-chart">',
        f'<title id="{ref}-title">{escape(title)}</title>',
        f'<desc id="{ref}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{W}" height="{H}" fill="#fff"/>',
        f'<text x="{LEFT}" y="20" font-size="14" font-family="sans-serif">{escape(title)}</text>',
    ]
    # Axes and their labels.
    base = TOP + inner_h
    out.append(
        f'<g stroke="#444" stroke-width="1"><line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" '
        f'y2="{base}"/><line x1="{LEFT}" y1="{base}" x2="{W - RIGHT}" y2="{base}"/></g>'
    )
    for i in range(5):
        v = top * i / 4
        out.append(
            f'<text x="{LEFT - 6}" y="{_fmt(y(v) + 4)}" font-size="10" text-anchor="end" '
            f'font-family="sans-serif">{v:.1f}</text>'
        )
    every = max(1, math.ceil(len(points) / 12))
    for i, p in enumerate(points):
        if i % every == 0:
            out.append(
                f'<text x="{_fmt(x(i))}" y="{base + 16}" font-size="10" text-anchor="middle" '
                f'font-family="sans-serif">{escape(p.label)}</text>'
            )
    out.append(
        f'<text x="14" y="{TOP + inner_h / 2}" font-size="11" font-family="sans-serif" '
        f'text-anchor="middle" transform="rotate(-90 14 {TOP + inner_h / 2})">'
        "Rate per 1,000 units</text>"
    )
    out.append(
        f'<text x="{LEFT + inner_w / 2}" y="{H - 12}" font-size="11" text-anchor="middle" '
        f'font-family="sans-serif">Period ({escape(trend.method.get_period_display())})</text>'
    )
    # The limit (or threshold) line, then the rate line and its points.
    limit = [f"{_fmt(x(i))},{_fmt(y(p.limit))}" for i, p in enumerate(points) if p.limit]
    if limit:
        word = "Threshold" if trend.method.mode == Mode.THRESHOLD else "Upper control limit"
        out.append(
            f'<polyline class="limit" points="{" ".join(limit)}" fill="none" stroke="#b45309" '
            f'stroke-width="1.5" stroke-dasharray="6 4"><title>{word}</title></polyline>'
        )
    rate = [f"{_fmt(x(i))},{_fmt(y(p.rate))}" for i, p in enumerate(points) if p.rate is not None]
    if rate:
        out.append(
            f'<polyline class="rate" points="{" ".join(rate)}" fill="none" stroke="#1d4ed8" '
            'stroke-width="2"/>'
        )
    for i, p in enumerate(points):
        if p.rate is None:
            continue
        said = f"{p.label}: {p.rate:.2f} per 1,000 ({p.count} of {p.exposure} units)"
        if p.signal:
            said += f", above the limit {p.limit:.2f}: signal"
        colour, r, cls = ("#b91c1c", 6, "signal") if p.signal else ("#1d4ed8", 3, "point")
        out.append(
            f'<circle class="{cls}" cx="{_fmt(x(i))}" cy="{_fmt(y(p.rate))}" r="{r}" '
            f'fill="{colour}"><title>{escape(said)}</title></circle>'
        )
    out.append(
        f'<g font-size="10" font-family="sans-serif"><line x1="{W - 250}" y1="{TOP - 12}" '
        f'x2="{W - 230}" y2="{TOP - 12}" stroke="#1d4ed8" stroke-width="2"/>'
        f'<text x="{W - 226}" y="{TOP - 9}">rate</text>'
        f'<line x1="{W - 190}" y1="{TOP - 12}" x2="{W - 170}" y2="{TOP - 12}" stroke="#b45309" '
        f'stroke-dasharray="6 4"/><text x="{W - 166}" y="{TOP - 9}">limit</text>'
        f'<circle cx="{W - 110}" cy="{TOP - 12}" r="5" fill="#b91c1c"/>'
        f'<text x="{W - 102}" y="{TOP - 9}">signal</text></g>'
    )
    out.append("</svg>")
    return "\n".join(out)


def chart_title(device: object, trend: Trend) -> str:
    return f"{device}: {trend.series_label}"
