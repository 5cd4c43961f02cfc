"""Trend reporting's actions: exposure figures (the denominator of every rate), the
trend method each device's PMS plan states, and trend reports (draft → submitted to the
MHRA, signed → closed). UK MDR 2002 Part 4A; ISO 13485 8.4."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Q
from django.utils import timezone

from openqms.core import audit, modules
from openqms.core.errors import InvalidInput, NotFound, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.core.workflow import Transition, Workflow
from openqms.devices.models import Device
from openqms.events import chart, guards
from openqms.events.actions.common import (
    choice,
    count,
    date,
    flag,
    link_sources,
    long_text,
    require,
    require_performer,
    text,
)
from openqms.events.models import (
    ExposureFigure,
    Mode,
    Period,
    Series,
    TrendMethod,
    TrendReport,
    TrendReportState,
)
from openqms.events.numbers import next_number
from openqms.events.pack import PackSection
from openqms.events.registry import MANAGE, REPORT, TREND_SUBMITTED

S = TrendReportState
MAX_UNITS = 1_000_000_000


def _closing_rules(report: TrendReport, actor: Any) -> str | None:
    return guards.refusal_of("trend_report", "close", report)


def _has_conclusion(report: TrendReport, actor: Any) -> str | None:
    if not report.conclusion.strip():
        return "Write the conclusion before submitting the report."
    return None


TREND_REPORT = Workflow(
    model=TrendReport,
    states=TrendReportState,
    transitions=[
        Transition(
            "submit",
            sources=(S.DRAFT,),
            target=S.SUBMITTED,
            permission=REPORT,
            signature=TREND_SUBMITTED,
            event="events.trendreport.submitted",
            label="Submit to the MHRA",
            guards=(_has_conclusion,),
        ),
        Transition(
            "close",
            sources=(S.SUBMITTED,),
            target=S.CLOSED,
            permission=MANAGE,
            event="events.trendreport.closed",
            label="Close",
            stamp="closed_at",
            guards=(_closing_rules,),
        ),
    ],
)


# Exposure figures -------------------------------------------------------------------------


def _overlapping(
    device: Device, start: dt.date, end: dt.date, market: str
) -> ExposureFigure | None:
    """A figure in use for the same market (a blank market is every market) whose period
    overlaps start–end: counting both would count the same units twice."""
    same = Q(market=market) | Q(market="") if market else Q()
    return (
        ExposureFigure.objects.filter(
            same, device=device, withdrawn_at__isnull=True, period_start__lte=end
        )
        .filter(period_end__gte=start)
        .first()
    )


@audit.writing()
def enter_exposure_figure(
    *,
    actor: User,
    device: Device,
    period_start: Any,
    period_end: Any,
    units_sold: Any,
    units_in_use: Any = None,
    market: Any = "",
    note: Any = "",
) -> ExposureFigure:
    require(actor, MANAGE, "enter sales or exposure figures")
    start = date(period_start, "period_start")
    end = date(period_end, "period_end")
    assert start is not None and end is not None
    if end < start:
        raise InvalidInput(
            "The period must end on or after its start.",
            fields={"period_end": "On or after the start."},
        )
    sold = count(units_sold, "units_sold", limit=MAX_UNITS)
    in_use = (
        None if units_in_use in (None, "") else count(units_in_use, "units_in_use", limit=MAX_UNITS)
    )
    market = text(market, "market", required=False, limit=5).upper()
    note = text(note, "note", required=False, limit=300)
    device = Device.objects.select_for_update().get(pk=device.pk)  # one writer per device
    clash = _overlapping(device, start, end, market)
    if clash is not None:
        where = f"for {clash.market}" if clash.market else "for all markets"
        raise InvalidInput(
            f"A figure {where} already covers {clash.period_start:%d %b %Y} to "
            f"{clash.period_end:%d %b %Y}; withdraw it first, or enter a period that does "
            "not overlap it.",
            fields={"period_start": "Overlaps another figure of the same market."},
        )
    figure = ExposureFigure.objects.create(
        device=device,
        period_start=start,
        period_end=end,
        units_sold=sold,
        units_in_use=in_use,
        market=market,
        note=note,
        entered_by=actor,
        entered_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="events.exposure.entered",
        obj=figure,
        changes={
            "device": [None, str(device)],
            "period_start": [None, start.isoformat()],
            "period_end": [None, end.isoformat()],
            "units_sold": [None, sold],
            "units_in_use": [None, in_use],
            "market": [None, market],
            "note": [None, note],
        },
    )
    return figure


@audit.writing()
def withdraw_exposure_figure(*, actor: User, figure: ExposureFigure, reason: Any) -> ExposureFigure:
    require(actor, MANAGE, "withdraw sales or exposure figures")
    reason = long_text(reason, "reason", required=True, limit=1000)
    figure = ExposureFigure.objects.select_for_update().get(pk=figure.pk)
    if figure.withdrawn_at is not None:
        raise TransitionNotAllowed("This figure is withdrawn already.")
    figure.withdrawn_at = timezone.now()
    figure.withdrawn_reason = reason
    figure.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    audit.record(
        actor=actor,
        action="events.exposure.withdrawn",
        obj=figure,
        reason=reason,
        changes={"withdrawn_at": [None, figure.withdrawn_at.isoformat()]},
    )
    return figure


# Trend method -----------------------------------------------------------------------------


def _decimal(value: Any, field: str, *, low: Decimal, high: Decimal) -> Decimal:
    try:
        found = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        found = Decimal("NaN")
    if not found.is_finite() or not low <= found <= high:
        name = field.replace("_", " ")
        raise InvalidInput(
            f"The {name} must be a number from {low} to {high}.",
            fields={field: f"A number from {low} to {high}."},
        )
    return found


def method_in_force(device: Device) -> TrendMethod | None:
    return TrendMethod.objects.filter(device=device, superseded_at__isnull=True).first()


@audit.writing()
def set_trend_method(
    *,
    actor: User,
    device: Device,
    plan_reference: Any,
    counts_non_serious: Any = True,
    counts_side_effects: Any = True,
    period: Any = Period.MONTH,
    mode: Any = Mode.BASELINE,
    baseline_periods: Any = None,
    baseline_from: Any = None,
    baseline_to: Any = None,
    k: Any = "3",
    threshold: Any = None,
) -> TrendMethod:
    """A new method in force for `device`; the one before it is kept as history."""
    require(actor, MANAGE, "set trend methods")
    fields: dict[str, Any] = {
        "plan_reference": text(plan_reference, "plan_reference", limit=300),
        "counts_non_serious": flag(counts_non_serious, "counts_non_serious"),
        "counts_side_effects": flag(counts_side_effects, "counts_side_effects"),
        "period": choice(period, Period, "period"),
        "mode": choice(mode, Mode, "mode"),
        "baseline_periods": None,
        "baseline_from": None,
        "baseline_to": None,
        "k": Decimal("3.00"),
        "threshold": None,
    }
    if not (fields["counts_non_serious"] or fields["counts_side_effects"]):
        raise InvalidInput(
            "Count non-serious incidents, expected side effects, or both.",
            fields={"counts_non_serious": "Choose at least one series."},
        )
    if fields["mode"] == Mode.THRESHOLD:
        if threshold in (None, ""):
            raise InvalidInput(
                "Give the threshold (a rate per 1,000 units).", fields={"threshold": "Required."}
            )
        fields["threshold"] = _decimal(
            threshold, "threshold", low=Decimal("0.001"), high=Decimal("1000000")
        ).quantize(Decimal("0.001"))
    else:
        fields["k"] = _decimal(
            k if k not in (None, "") else "3", "k", low=Decimal("0.5"), high=Decimal("6")
        ).quantize(Decimal("0.01"))
        if baseline_periods not in (None, ""):
            fields["baseline_periods"] = count(baseline_periods, "baseline_periods", limit=240)
            if fields["baseline_periods"] < 2:
                raise InvalidInput(
                    "A baseline needs at least 2 periods.",
                    fields={"baseline_periods": "At least 2."},
                )
        else:
            low = date(baseline_from, "baseline_from", required=False)
            high = date(baseline_to, "baseline_to", required=False)
            if low is None or high is None:
                raise InvalidInput(
                    "Give the baseline: a number of first periods, or the dates it runs from "
                    "and to.",
                    fields={"baseline_periods": "Required unless dates are given."},
                )
            if high < low:
                raise InvalidInput(
                    "The baseline must end on or after its start.",
                    fields={"baseline_to": "On or after the start."},
                )
            fields["baseline_from"], fields["baseline_to"] = low, high
    device = Device.objects.select_for_update().get(pk=device.pk)
    now = timezone.now()
    before = TrendMethod.objects.filter(device=device, superseded_at__isnull=True).first()
    if before is not None:
        before.superseded_at = now
        before.save(update_fields=["superseded_at"])
    method = TrendMethod.objects.create(device=device, set_by=actor, set_at=now, **fields)
    old = before.snapshot() if before is not None else {}
    new = method.snapshot()
    audit.record(
        actor=actor,
        action="events.trendmethod.set",
        obj=method,
        changes={
            "device": [None, str(device)],
            "replaces": [None, before.pk if before else None],
            **{k_: [old.get(k_), v] for k_, v in new.items() if old.get(k_) != v},
        },
    )
    return method


# Trend reports ----------------------------------------------------------------------------


def _increase(device: Device, series: str, first: dt.date, last: dt.date) -> tuple[Any, Any, Any]:
    """(method, observed, expected) over the periods first–last of the device's trend."""
    method = method_in_force(device)
    if method is None:
        raise TransitionNotAllowed(
            f"{device} has no trend method yet: set the one its PMS plan states first."
        )
    if series not in method.series:
        raise InvalidInput(
            f"The trend method of {device} does not count {Series(series).label}.",
            fields={"series": "Not counted by the method in force."},
        )
    trend = chart.trends_for([device.pk], [method])[device.pk][method.series.index(series)]
    inside = [p for p in trend.points if first <= p.start <= last]
    exposure = sum(p.exposure for p in inside)
    if not exposure:
        raise InvalidInput(
            "There are no exposure figures for those periods: enter them first.",
            fields={"increase_from": "No exposure in these periods."},
        )
    observed = Decimal(chart.PER * sum(p.count for p in inside) / exposure)
    expected = Decimal(trend.expected or 0)
    return method, observed.quantize(Decimal("0.0001")), expected.quantize(Decimal("0.0001"))


@audit.writing()
def open_trend_report(
    *,
    actor: User,
    device: Device,
    series: Any,
    increase_from: Any,
    increase_to: Any,
    title: Any = "",
    conclusion: Any = "",
    actions: Any = "",
    sources: Iterable[str] = (),
) -> TrendReport:
    require(actor, MANAGE, "write trend reports")
    series = choice(series, Series, "series")
    first = date(increase_from, "increase_from")
    last = date(increase_to, "increase_to")
    assert first is not None and last is not None
    if last < first:
        raise InvalidInput(
            "The increase must end on or after it starts.",
            fields={"increase_to": "On or after the start."},
        )
    method, observed, expected = _increase(device, series, first, last)
    first, last = chart.period_start(first, method.period), chart.period_start(last, method.period)
    label = f"{device}: increase in {Series(series).label}"
    report = TrendReport(
        number=next_number("trend_report"),
        title=text(title, "title", required=False) or label[:200],
        device=device,
        owner=actor,
        opened_by=actor,
        opened_at=timezone.now(),
        series=series,
        increase_from=first,
        increase_to=last,
        observed_rate=observed,
        expected_rate=expected,
        method=method,
        method_snapshot=method.snapshot(),
        conclusion=long_text(conclusion, "conclusion"),
        actions=long_text(actions, "actions"),
    )
    report.save()
    audit.record(
        actor=actor,
        action="events.trendreport.opened",
        obj=report,
        changes={
            "number": [None, report.number],
            "device": [None, str(device)],
            "series": [None, series],
            "increase_from": [None, first.isoformat()],
            "increase_to": [None, last.isoformat()],
            "observed_rate": [None, str(observed)],
            "expected_rate": [None, str(expected)],
            "method": [None, json.dumps(report.method_snapshot, sort_keys=True)],
            "state": [None, S.DRAFT],
        },
    )
    link_sources(actor=actor, record=report, sources=sources)
    modules.fire("events.record_opened", report)
    return report


@audit.writing()
def edit_trend_report(
    *, actor: User, report: TrendReport, conclusion: Any, actions: Any, title: Any = None
) -> TrendReport:
    require(actor, MANAGE, "edit trend reports")
    report = TrendReport.objects.select_for_update().get(pk=report.pk)
    if report.state != S.DRAFT:
        raise TransitionNotAllowed("Only a draft trend report can be edited.")
    require_performer(actor, report)
    new = {
        "conclusion": long_text(conclusion, "conclusion"),
        "actions": long_text(actions, "actions"),
    }
    if title is not None:
        new["title"] = text(title, "title")
    changes = audit.diff({k: getattr(report, k) for k in new}, new)
    if not changes:
        return report
    for name, value in new.items():
        setattr(report, name, value)
    report.save(update_fields=list(new))
    audit.record(actor=actor, action="events.trendreport.edited", obj=report, changes=changes)
    return report


def submit_trend_report(
    *,
    actor: User,
    report: TrendReport,
    mhra_reference: Any,
    submitted_on: Any,
    credentials: Credentials | None,
    reason: str = "",
) -> TrendReport:
    """The signed submission to the MHRA (meaning trend_report_submitted)."""
    reference = text(mhra_reference, "mhra_reference", limit=100)
    on = date(submitted_on, "submitted_on")
    assert on is not None
    if on > timezone.localdate():
        raise InvalidInput(
            "The submission date cannot be in the future.",
            fields={"submitted_on": "Today or earlier."},
        )
    return TREND_REPORT.apply(
        obj=report,
        name="submit",
        actor=actor,
        reason=reason,
        credentials=credentials,
        updates={"mhra_reference": reference, "submitted_on": on},
    )


def close_trend_report(*, actor: User, report: TrendReport, reason: str = "") -> TrendReport:
    require_performer(actor, report)  # the training gate of an unsigned step
    return TREND_REPORT.apply(obj=report, name="close", actor=actor, reason=reason)


def report_for(device_id: int, pk: int) -> TrendReport:
    found = TrendReport.objects.filter(device_id=device_id, pk=pk).first()
    if found is None:
        raise NotFound()
    return found


# The PMS data pack ------------------------------------------------------------------------


def pack_section(device: Any, start: dt.date, end: dt.date) -> PackSection:
    """The period's series (rates, limits, signals), each chart's SVG, and the device's
    trend reports. No health data: counts only."""
    trends = chart.trends_for([device.pk]).get(device.pk, [])
    rows: list[list[Any]] = []
    files: list[tuple[str, bytes]] = []
    signals = 0
    for trend in trends:
        inside = [p for p in trend.points if start <= p.start <= end]
        signals += sum(p.signal for p in inside)
        for p in inside:
            rows.append(
                [
                    trend.series_label,
                    p.label,
                    p.count,
                    p.exposure,
                    "" if p.rate is None else f"{p.rate:.2f}",
                    "" if p.limit is None else f"{p.limit:.2f}",
                    "yes" if p.signal else "",
                ]
            )
        cut = chart.Trend(trend.device_id, trend.method, trend.series, inside, trend.expected)
        name = f"trends/{trend.series}.svg"
        files.append((name, chart.svg(cut, chart.chart_title(device, trend)).encode()))
    reports = TrendReport.objects.filter(
        device_id=device.pk, increase_to__gte=start, increase_from__lte=end
    )
    for r in reports:
        rows.append(
            [
                f"Trend report {r.number}",
                f"{r.increase_from:%b %Y} to {r.increase_to:%b %Y}",
                "",
                "",
                str(r.observed_rate),
                str(r.expected_rate),
                r.get_state_display(),
            ]
        )
    summary = (
        f"{len(trends)} series, {signals} period{'s' if signals != 1 else ''} above the "
        f"limit, {len(reports)} trend report{'s' if len(reports) != 1 else ''}"
        if trends
        else "No trend method set for this device"
    )
    return PackSection(
        title="Trends",
        columns=["Series", "Period", "Complaints", "Exposure", "Rate per 1,000", "Limit", "Signal"],
        rows=rows,
        summary=summary,
        files=files,
    )
