"""Compliance over time, drawn on the server as inline SVG (no script, no library): the
share of training requirements that were current, one point a week over the last 26
weeks, from the snapshots `openqms tick` records daily."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from openqms.training.models import ComplianceSnapshot, percent_current

WEEKS = 26
WIDTH, HEIGHT = 640, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 14, 12, 30
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass(frozen=True)
class Point:
    day: dt.date
    current: int
    required: int
    overdue: int
    percent: float


def point(day: dt.date, current: int, required: int, overdue: int) -> Point:
    return Point(day, current, required, overdue, percent_current(current, required))


def weekly_points(today: dt.date | None = None, live: dict[str, int] | None = None) -> list[Point]:
    """The last snapshot of each week in the window, oldest first. `live`: the matrix
    totals of everyone now, which stand for today once there are snapshots (a snapshot of
    today may be hours old, and the headline above the chart counts now)."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(weeks=WEEKS)
    last_of_week: dict[tuple[int, int], Point] = {}
    for s in ComplianceSnapshot.objects.filter(day__gt=since, day__lte=today):
        last_of_week[s.day.isocalendar()[:2]] = point(s.day, s.current, s.required, s.overdue)
    if last_of_week and live is not None and live["required"]:
        last_of_week[today.isocalendar()[:2]] = point(
            today, live["current"], live["required"], live["overdue"]
        )
    return sorted(last_of_week.values(), key=lambda p: p.day)


def _x(day: dt.date, start: dt.date, span: int) -> float:
    return LEFT + PLOT_W * (day - start).days / span


def _y(percent: float) -> float:
    return TOP + PLOT_H * (100 - percent) / 100


def svg(points: list[Point], today: dt.date | None = None) -> SafeString:
    """The chart; the page puts the same values in a table for screen readers."""
    if not points:
        return mark_safe("")
    end = today or timezone.localdate()
    start = end - dt.timedelta(weeks=WEEKS)
    span = (end - start).days
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        'role="img" aria-hidden="true" focusable="false">'
    ]
    for level in (0, 25, 50, 75, 100):
        y = _y(level)
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text class="chart-axis" x="{LEFT - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{level}%</text>'
        )
    for day, anchor in ((start, "start"), (end, "end")):
        parts.append(
            f'<text class="chart-axis" x="{_x(day, start, span):.1f}" '
            f'y="{HEIGHT - 8}" text-anchor="{anchor}">{day:%d %b %Y}</text>'
        )
    xy = [(_x(p.day, start, span), _y(p.percent)) for p in points]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    parts.append(f'<polyline class="chart-line" points="{line}"/>')
    for (x, y), p in zip(xy, points, strict=True):
        parts.append(
            f'<circle class="chart-point" cx="{x:.1f}" cy="{y:.1f}" r="3">'
            f"<title>{p.day:%d %b %Y}: {p.percent}%</title></circle>"
        )
    parts.append("</svg>")
    # Only numbers and dates formatted here go into the markup: nothing a user typed.
    return mark_safe("".join(parts))  # noqa: S308
