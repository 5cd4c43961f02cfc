"""Trend pages: the devices' trends, one device's chart, data table, method and exposure
figures, and trend reports (list, page, new, edit, submit signed, close)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.errors import NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, attempt_signed, attempt_with_reason
from openqms.devices.models import Device
from openqms.events import access, chart
from openqms.events.actions import trends as actions
from openqms.events.forms.trends import (
    ExposureForm,
    MethodForm,
    ReportFilter,
    SubmitForm,
    TrendReportEditForm,
    TrendReportForm,
)
from openqms.events.models import ExposureFigure, TrendMethod, TrendReport
from openqms.events.registry import MANAGE, REPORT

PAGE_SIZE = 25


def _device(request: AuthenticatedHttpRequest, pk: int, permission: str | None = None) -> Device:
    return access.get_for_user(
        request.user, Device.objects.select_related("device_class"), pk, permission=permission
    )


def trends_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    q = request.GET.get("q", "").strip()[:100]
    devices = Device.objects.order_by("name", "model", "pk")
    if q:
        devices = devices.filter(Q(name__icontains=q) | Q(model__icontains=q))
    page = Paginator(devices, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    methods = {
        m.device_id: m
        for m in TrendMethod.objects.filter(
            device_id__in=[d.pk for d in rows], superseded_at__isnull=True
        )
    }
    found = chart.trends_for([d.pk for d in rows], list(methods.values()))
    return render(
        request,
        "events/trends/overview.html",
        {
            "page": page,
            "rows": [(d, methods.get(d.pk), found.get(d.pk, [])) for d in rows],
            "q": q,
            "query": urlencode({"q": q}) if q else "",
        },
    )


def device_trend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk)
    method = actions.method_in_force(device)
    trends = chart.trends_for([device.pk], [method]).get(device.pk, []) if method else []
    charts = [(t, chart.svg(t, chart.chart_title(device, t))) for t in trends]
    return render(
        request,
        "events/trends/device.html",
        {
            "device": device,
            "method": method,
            "history": list(
                TrendMethod.objects.filter(device=device, superseded_at__isnull=False)
                .select_related("set_by")
                .order_by("-set_at")[:20]
            ),
            "charts": charts,
            "unreported": [(t, i) for t in trends for i in t.unreported],
            "figures": list(
                ExposureFigure.objects.filter(device=device)
                .select_related("entered_by")
                .order_by("-period_start", "-pk")[:200]
            ),
            "reports": list(TrendReport.objects.filter(device=device).order_by("-opened_at")[:50]),
            "can_manage": has_permission(request.user, MANAGE),
        },
    )


def device_trend_svg(request: AuthenticatedHttpRequest, pk: int, series: str) -> HttpResponse:
    device = _device(request, pk)
    method = actions.method_in_force(device)
    if method is None or series not in method.series:
        raise NotFound()
    trend = chart.trends_for([device.pk], [method])[device.pk][method.series.index(series)]
    response = HttpResponse(
        chart.svg(trend, chart.chart_title(device, trend)), content_type="image/svg+xml"
    )
    name = f"trend-{device.pk}-{series}.svg"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def exposure_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk, MANAGE)
    form = ExposureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = attempt(
            request,
            form,
            lambda: actions.enter_exposure_figure(
                actor=request.user, device=device, **form.cleaned_data
            ),
            "Figure entered.",
        )
        if made:
            return redirect("events:device-trend", pk=device.pk)
    return render(request, "events/trends/exposure_form.html", {"form": form, "device": device})


@require_POST
def exposure_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.need(request.user, MANAGE)
    figure = access.get_for_user(request.user, ExposureFigure.objects.all(), pk)
    attempt_with_reason(
        request,
        lambda reason: actions.withdraw_exposure_figure(
            actor=request.user, figure=figure, reason=reason
        ),
        "Figure withdrawn; it is kept on record.",
    )
    return redirect("events:device-trend", pk=figure.device_id)


def method_set(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk, MANAGE)
    current = actions.method_in_force(device)
    initial = {} if current is None else {"plan_reference": current.plan_reference}
    form = MethodForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        made = attempt(
            request,
            form,
            lambda: actions.set_trend_method(
                actor=request.user, device=device, **form.cleaned_data
            ),
            "Trend method set; the one before it is kept as history.",
        )
        if made:
            return redirect("events:device-trend", pk=device.pk)
    return render(
        request,
        "events/trends/method_form.html",
        {"form": form, "device": device, "current": current},
    )


def trend_reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    form = ReportFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = access.visible(request.user, TrendReport.objects.select_related("device", "owner"))
    if data.get("state"):
        rows = rows.filter(state=data["state"])
    if data.get("q"):
        q = data["q"]
        rows = rows.filter(
            Q(number__icontains=q) | Q(title__icontains=q) | Q(device__name__icontains=q)
        )
    page = Paginator(rows.order_by("-opened_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/trends/reports.html",
        {"form": form, "page": page, "rows": list(page.object_list), "query": query.urlencode()},
    )


def trend_report_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, MANAGE)
    try:
        device_pk = int(request.GET.get("device", ""))
    except ValueError:
        raise NotFound() from None
    device = _device(request, device_pk)
    initial = {k: request.GET.get(k) for k in ("series", "increase_from", "increase_to")}
    form = TrendReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        made = attempt(
            request,
            form,
            lambda: actions.open_trend_report(
                actor=request.user,
                device=device,
                sources=request.GET.getlist("from"),
                **form.cleaned_data,
            ),
            "Trend report opened as a draft.",
        )
        if made:
            return redirect("events:trend-report", pk=made.pk)
    return render(request, "events/trends/report_form.html", {"form": form, "device": device})


def _report(request: AuthenticatedHttpRequest, pk: int) -> TrendReport:
    return access.get_for_user(
        request.user, TrendReport.objects.select_related("device", "owner", "method"), pk
    )


def trend_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    steps = {t.name for t in actions.TREND_REPORT.available(report, request.user)}
    return render(
        request,
        "events/trends/report.html",
        {
            "record": report,
            "report": report,
            "method": report.method_snapshot,
            "can_edit": report.state == "draft" and has_permission(request.user, MANAGE),
            "can_submit": "submit" in steps,
            "can_close": "close" in steps,
            "may_report": has_permission(request.user, REPORT),
            "submit_form": SubmitForm(),
        },
    )


def trend_report_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.need(request.user, MANAGE)
    report = _report(request, pk)
    initial = {"title": report.title, "conclusion": report.conclusion, "actions": report.actions}
    form = TrendReportEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        made = attempt(
            request,
            form,
            lambda: actions.edit_trend_report(
                actor=request.user, report=report, **form.cleaned_data
            ),
            "Trend report saved.",
        )
        if made:
            return redirect("events:trend-report", pk=report.pk)
    return render(request, "events/trends/report_edit.html", {"form": form, "report": report})


@require_POST
def trend_report_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    attempt_signed(
        request,
        SubmitForm(request.POST),
        lambda data, credentials: actions.submit_trend_report(
            actor=request.user,
            report=report,
            mhra_reference=data["mhra_reference"],
            submitted_on=data["submitted_on"],
            reason=data["reason"],
            credentials=credentials,
        ),
        "Submission signed and recorded.",
    )
    return redirect("events:trend-report", pk=report.pk)


@require_POST
def trend_report_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    attempt(
        request,
        None,
        lambda: actions.close_trend_report(actor=request.user, report=report),
        "Trend report closed.",
    )
    return redirect("events:trend-report", pk=report.pk)
