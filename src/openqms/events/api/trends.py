"""Trend reporting's endpoints: exposure figures, the trend method, the computed series
(JSON and SVG), and trend reports (open, edit, submit signed, close). The same actions
as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from ninja import Field, Query, Schema, Status

from openqms.core.api import SignatureIn, signatures_out
from openqms.core.errors import NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.signatures import content_hash
from openqms.devices.models import Device
from openqms.events import access, chart
from openqms.events.actions import trends as actions
from openqms.events.api import router
from openqms.events.api.common import AUTH, record_id
from openqms.events.models import ExposureFigure, TrendMethod, TrendReport

TAG = ["events: trends"]


class Page(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)


class FigureIn(Schema):
    period_start: dt.date
    period_end: dt.date
    units_sold: int
    units_in_use: int | None = None
    market: str = Field("", max_length=5)
    note: str = Field("", max_length=300)


class FigureOut(Schema):
    id: int
    device_id: int
    period_start: dt.date
    period_end: dt.date
    units_sold: int
    units_in_use: int | None
    market: str
    note: str
    entered_at: dt.datetime
    withdrawn_at: dt.datetime | None
    withdrawn_reason: str


class FigurePage(Schema):
    count: int
    items: list[FigureOut]


class ReasonIn(Schema):
    reason: str = Field(max_length=1000)


class MethodIn(Schema):
    plan_reference: str = Field(max_length=300)
    counts_non_serious: bool = True
    counts_side_effects: bool = True
    period: str = "month"
    mode: str = "baseline"
    baseline_periods: int | None = None
    baseline_from: dt.date | None = None
    baseline_to: dt.date | None = None
    k: Decimal | None = None
    threshold: Decimal | None = None


class MethodOut(Schema):
    id: int
    device_id: int
    plan_reference: str
    counts_non_serious: bool
    counts_side_effects: bool
    period: str
    mode: str
    baseline_periods: int | None
    baseline_from: dt.date | None
    baseline_to: dt.date | None
    k: Decimal
    threshold: Decimal | None
    set_at: dt.datetime
    superseded_at: dt.datetime | None


class PointOut(Schema):
    start: dt.date
    label: str
    count: int
    exposure: int
    rate_per_1000: float | None
    limit_per_1000: float | None
    baseline: bool
    signal: bool


class SeriesOut(Schema):
    series: str
    expected_per_1000: float | None
    points: list[PointOut]
    unreported_increases: list[tuple[dt.date, dt.date]]


class TrendOut(Schema):
    device_id: int
    method: MethodOut | None
    series: list[SeriesOut]


class ReportIn(Schema):
    device_id: int
    series: str
    increase_from: dt.date
    increase_to: dt.date
    title: str = Field("", max_length=200)
    conclusion: str = Field("", max_length=10_000)
    actions: str = Field("", max_length=10_000)
    sources: list[str] = Field(default_factory=list, description='Records it comes from: "type:id"')


class ReportEdit(Schema):
    title: str | None = Field(None, max_length=200)
    conclusion: str = Field(max_length=10_000)
    actions: str = Field(max_length=10_000)


class SubmitIn(SignatureIn):
    mhra_reference: str = Field(max_length=100)
    submitted_on: dt.date


class ReportOut(Schema):
    id: int
    number: str
    title: str
    state: str
    device_id: int | None
    series: str
    increase_from: dt.date
    increase_to: dt.date
    observed_rate: Decimal
    expected_rate: Decimal
    method_snapshot: dict[str, Any]
    conclusion: str
    actions: str
    mhra_reference: str
    submitted_on: dt.date | None
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    content_sha256: str = Field(description="Send it back as content_hash when signing")
    signatures: list[dict[str, Any]]
    steps: list[str] = Field(description="The steps you may take now")


class ReportRow(Schema):
    id: int
    number: str
    title: str
    state: str
    device_id: int | None
    series: str
    increase_from: dt.date
    increase_to: dt.date


class ReportPage(Schema):
    count: int
    items: list[ReportRow]


class ReportQuery(Page):
    device_id: int | None = record_id("A device's id")
    state: str = ""


def _device(request: AuthenticatedHttpRequest, pk: int) -> Device:
    return access.get_for_user(request.user, Device.objects.all(), pk)


def _report_out(report: TrendReport, user: Any) -> dict[str, Any]:
    return {
        **{f: getattr(report, f) for f in ReportRow.model_fields},
        "observed_rate": report.observed_rate,
        "expected_rate": report.expected_rate,
        "method_snapshot": report.method_snapshot,
        "conclusion": report.conclusion,
        "actions": report.actions,
        "mhra_reference": report.mhra_reference,
        "submitted_on": report.submitted_on,
        "opened_at": report.opened_at,
        "closed_at": report.closed_at,
        "content_sha256": content_hash(report.signature_content()),
        "signatures": signatures_out(report),
        "steps": [t.name for t in actions.TREND_REPORT.available(report, user)],
    }


@router.get("/trends/devices/{pk}/figures", response=FigurePage, tags=TAG, auth=AUTH)
def figure_list(request: AuthenticatedHttpRequest, pk: int, q: Query[Page]):
    device = _device(request, pk)
    rows = ExposureFigure.objects.filter(device=device).order_by("period_start", "pk")
    return {"count": rows.count(), "items": list(rows[q.offset : q.offset + q.limit])}


@router.post("/trends/devices/{pk}/figures", response={201: FigureOut}, tags=TAG, auth=AUTH)
def figure_enter(request: AuthenticatedHttpRequest, pk: int, body: FigureIn):
    device = _device(request, pk)
    return Status(
        201, actions.enter_exposure_figure(actor=request.user, device=device, **body.dict())
    )


@router.post("/trends/figures/{pk}/withdraw", response=FigureOut, tags=TAG, auth=AUTH)
def figure_withdraw(request: AuthenticatedHttpRequest, pk: int, body: ReasonIn):
    figure = access.get_for_user(request.user, ExposureFigure.objects.all(), pk)
    return actions.withdraw_exposure_figure(actor=request.user, figure=figure, reason=body.reason)


@router.get("/trends/devices/{pk}/method", response=MethodOut, tags=TAG, auth=AUTH)
def method_read(request: AuthenticatedHttpRequest, pk: int):
    method = actions.method_in_force(_device(request, pk))
    if method is None:
        raise NotFound("This device has no trend method yet.")
    return method


@router.put("/trends/devices/{pk}/method", response=MethodOut, tags=TAG, auth=AUTH)
def method_set(request: AuthenticatedHttpRequest, pk: int, body: MethodIn):
    device = _device(request, pk)
    return actions.set_trend_method(actor=request.user, device=device, **body.dict())


@router.get("/trends/devices/{pk}", response=TrendOut, tags=TAG, auth=AUTH)
def trend_read(request: AuthenticatedHttpRequest, pk: int):
    """The computed series of the method in force: per period count, exposure, rate,
    limit and signal."""
    device = _device(request, pk)
    method = TrendMethod.objects.filter(device=device, superseded_at__isnull=True).first()
    trends = chart.trends_for([device.pk], [method]).get(device.pk, []) if method else []
    return {
        "device_id": device.pk,
        "method": method,
        "series": [
            {
                "series": t.series,
                "expected_per_1000": t.expected,
                "points": [
                    {**vars(p), "rate_per_1000": p.rate, "limit_per_1000": p.limit}
                    for p in t.points
                ],
                "unreported_increases": [(i.first.start, i.last.start) for i in t.unreported],
            }
            for t in trends
        ],
    }


@router.get("/trends/devices/{pk}/{series}.svg", tags=TAG, auth=AUTH)
def trend_svg(request: AuthenticatedHttpRequest, pk: int, series: str):
    device = _device(request, pk)
    method = actions.method_in_force(device)
    if method is None or series not in method.series:
        raise NotFound()
    trend = chart.trends_for([device.pk], [method])[device.pk][method.series.index(series)]
    return HttpResponse(
        chart.svg(trend, chart.chart_title(device, trend)), content_type="image/svg+xml"
    )


@router.get("/trend-reports", response=ReportPage, tags=TAG, auth=AUTH)
def report_list(request: AuthenticatedHttpRequest, q: Query[ReportQuery]):
    rows = access.visible(request.user, TrendReport.objects.all())
    if q.device_id is not None:
        rows = rows.filter(device_id=q.device_id)
    if q.state:
        rows = rows.filter(state=q.state)
    rows = rows.order_by("-opened_at", "-pk")
    return {"count": rows.count(), "items": list(rows[q.offset : q.offset + q.limit])}


@router.post("/trend-reports", response={201: ReportOut}, tags=TAG, auth=AUTH)
def report_open(request: AuthenticatedHttpRequest, body: ReportIn):
    data = body.dict()
    device = _device(request, data.pop("device_id"))
    report = actions.open_trend_report(actor=request.user, device=device, **data)
    return Status(201, _report_out(report, request.user))


def _report(request: AuthenticatedHttpRequest, pk: int) -> TrendReport:
    return access.get_for_user(request.user, TrendReport.objects.all(), pk)


@router.get("/trend-reports/{pk}", response=ReportOut, tags=TAG, auth=AUTH)
def report_read(request: AuthenticatedHttpRequest, pk: int):
    return _report_out(_report(request, pk), request.user)


@router.patch("/trend-reports/{pk}", response=ReportOut, tags=TAG, auth=AUTH)
def report_edit(request: AuthenticatedHttpRequest, pk: int, body: ReportEdit):
    report = actions.edit_trend_report(
        actor=request.user, report=_report(request, pk), **body.dict()
    )
    return _report_out(report, request.user)


@router.post("/trend-reports/{pk}/submit", response=ReportOut, tags=TAG, auth=AUTH)
def report_submit(request: AuthenticatedHttpRequest, pk: int, body: SubmitIn):
    """The signed submission to the MHRA (meaning trend_report_submitted)."""
    report = actions.submit_trend_report(
        actor=request.user,
        report=_report(request, pk),
        mhra_reference=body.mhra_reference,
        submitted_on=body.submitted_on,
        reason=body.reason,
        credentials=body.credentials(),
    )
    return _report_out(report, request.user)


@router.post("/trend-reports/{pk}/close", response=ReportOut, tags=TAG, auth=AUTH)
def report_close(request: AuthenticatedHttpRequest, pk: int):
    report = actions.close_trend_report(actor=request.user, report=_report(request, pk))
    return _report_out(report, request.user)
