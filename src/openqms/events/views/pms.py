"""Post-market surveillance pages: a device's PMS overview (plan, obligation, reports,
pack), periodic reports and their data packs, MHRA requests, bank holidays."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.errors import InvalidInput, NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, attempt_posted, attempt_signed
from openqms.devices.models import Device
from openqms.documents.actions import effective_revision
from openqms.documents.models import Document
from openqms.events import access, pms_files, schedule
from openqms.events.actions import pms as actions
from openqms.events.forms.pms import (
    AnswerForm,
    CompleteForm,
    HolidayForm,
    MhraRequestForm,
    PlanForm,
    ReportDetailsForm,
    ReportFilter,
)
from openqms.events.models import BankHoliday, MhraRequest, PmsPlan, PmsReport
from openqms.events.registry import CONFIGURE, MANAGE, REPORT

PAGE_SIZE = 50
REPORTS = PmsReport.objects.select_related("device", "owner", "document")


def _device(request: AuthenticatedHttpRequest, pk: int) -> Device:
    access.require_reader(request.user)
    found = Device.objects.visible_to(request.user).select_related("device_class").filter(pk=pk)
    device = found.first()
    if device is None:
        raise NotFound()
    return device


def _document(number: str, field: str) -> Document | None:
    if not number.strip():
        return None
    found = Document.objects.filter(number=number.strip()).first()
    if found is None:
        raise InvalidInput(f"There is no controlled document {number}.", fields={field: "Unknown."})
    return found


def pms_overview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk)
    plan = actions.current_plan(device)
    try:
        upcoming = schedule.next_period(device)
        why_not = ""
    except InvalidInput as refusal:
        upcoming, why_not = None, refusal.message
    history = PmsPlan.objects.filter(device=device).select_related("document", "linked_by")
    return render(
        request,
        "events/pms/overview.html",
        {
            "device": device,
            "plan": plan,
            "revision": effective_revision(plan.document) if plan else None,
            "history": list(history),
            "reports": list(REPORTS.filter(device=device).order_by("-period_end")),
            "requests": list(MhraRequest.objects.filter(device=device)[:20]),
            "upcoming": upcoming,
            "why_not": why_not,
            "form": PlanForm(),
            "can_manage": has_permission(request.user, MANAGE),
        },
    )


@require_POST
def pms_plan_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk)
    attempt_posted(
        request,
        PlanForm(request.POST),
        lambda data: actions.link_pms_plan(
            actor=request.user, device=device, document=_required(data["document"])
        ),
        "PMS plan linked; the previous link is kept in the history.",
    )
    return redirect("events:pms", pk=device.pk)


def _required(number: str) -> Document:
    found = _document(number, "document")
    if found is None:
        raise InvalidInput("Name the controlled document.", fields={"document": "Required."})
    return found


@require_POST
def pms_schedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    device = _device(request, pk)
    made = attempt(
        request,
        None,
        lambda: actions.schedule_pms_report(actor=request.user, device=device),
        "Periodic report scheduled.",
    )
    if made:
        return redirect("events:pms-report", pk=made.pk)
    return redirect("events:pms", pk=device.pk)


def pms_pack(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The device's PMS pack for the MHRA: ZIP (default) or the index PDF alone."""
    device = _device(request, pk)
    found = pms_files.pms_pack(device, request.user)
    stem = f"PMS-pack-{device.name}-{device.model}".replace(" ", "_")
    if request.GET.get("format") == "pdf":
        body = pms_files.index_pdf(found, request.user)
        return FileResponse(
            iter([body]), as_attachment=True, filename=f"{stem}.pdf", content_type="application/pdf"
        )
    stream = pms_files.pack_zip(found, request.user)
    return FileResponse(
        stream, as_attachment=True, filename=f"{stem}.zip", content_type="application/zip"
    )


def pms_reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    form = ReportFilter(request.GET or None)
    rows = access.visible(request.user, REPORTS.all())
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("state"):
        rows = rows.filter(state=data["state"])
    if data.get("due"):
        horizon = timezone.localdate() + dt.timedelta(days=60)
        rows = rows.exclude(state="completed").filter(due_on__lte=horizon)
    page = Paginator(rows.order_by("due_on", "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/pms/reports.html",
        {
            "form": form,
            "page": page,
            "rows": list(page.object_list),
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "devices": list(Device.objects.visible_to(request.user).only("name", "model")),
        },
    )


def pms_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_for_user(request.user, REPORTS, pk)
    steps = {t.name for t in actions.REPORTS.available(report, request.user)}
    preparing = report.state == "in_preparation"
    return render(
        request,
        "events/pms/report.html",
        {
            "record": report,
            "report": report,
            "steps": steps,
            "can_edit": preparing and has_permission(request.user, MANAGE),
            "why_not": (actions.missing_content(report, None) or "") if preparing else "",
            "today": timezone.localdate(),
        },
    )


@require_POST
def pms_report_start(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_for_user(request.user, REPORTS, pk)
    attempt(
        request,
        None,
        lambda: actions.start_pms_report(actor=request.user, report=report),
        "The report is in preparation.",
    )
    return redirect("events:pms-report", pk=report.pk)


def pms_report_details(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_for_user(request.user, REPORTS, pk, permission=MANAGE)
    shown = {
        "document": report.document.number if report.document else "",
        "conclusions": report.conclusions,
    }
    form = ReportDetailsForm(request.POST or None, initial=shown)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: actions.record_pms_report_details(
                actor=request.user,
                report=report,
                document=_document(form.cleaned_data["document"], "document"),
                conclusions=form.cleaned_data["conclusions"],
            ),
            "Report details recorded.",
        )
        if done:
            return redirect("events:pms-report", pk=report.pk)
    return render(request, "events/pms/details_form.html", {"report": report, "form": form})


@require_POST
def pms_report_complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = access.get_for_user(request.user, REPORTS, pk)
    attempt_signed(
        request,
        CompleteForm(request.POST),
        lambda data, credentials: actions.complete_pms_report(
            actor=request.user, report=report, credentials=credentials, reason=data["reason"]
        ),
        "Report completed and signed.",
    )
    return redirect("events:pms-report", pk=report.pk)


def pms_data_pack(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The period's data pack as a page (its ZIP and PDF: pms_data_pack_file)."""
    report = access.get_for_user(request.user, REPORTS, pk)
    found = pms_files.data_pack(report)
    return render(request, "events/pms/data_pack.html", {"report": report, "pack": found})


def pms_data_pack_file(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> FileResponse:
    """The period's data pack as a ZIP or its index PDF (an address of its own, so a
    download is never mistaken for the page)."""
    report = access.get_for_user(request.user, REPORTS, pk)
    found = pms_files.data_pack(report)
    if fmt == "zip":
        return FileResponse(
            pms_files.pack_zip(found, request.user),
            as_attachment=True,
            filename=f"{report.number}-data-pack.zip",
            content_type="application/zip",
        )
    return FileResponse(
        iter([pms_files.index_pdf(found, request.user)]),
        as_attachment=True,
        filename=f"{report.number}-data-pack.pdf",
        content_type="application/pdf",
    )


def mhra_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    rows = access.visible(request.user, MhraRequest.objects.select_related("device"))
    state = request.GET.get("state", "")
    if state in ("open", "answered"):
        rows = rows.filter(state=state)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/pms/requests.html",
        {
            "page": page,
            "rows": list(page.object_list),
            "state": state,
            "query": f"state={state}" if state else "",
            "can_report": has_permission(request.user, REPORT),
        },
    )


def mhra_request_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, REPORT)
    form = MhraRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = attempt(
            request,
            form,
            lambda: actions.record_mhra_request(
                actor=request.user,
                device=data["device"],
                title=data["title"],
                received_at=data["received_at"],
                asked=data["asked"],
                mhra_reference=data["mhra_reference"],
            ),
            "Request recorded; the deadline is 3 working days.",
        )
        if made:
            return redirect("events:mhra-request", pk=made.pk)
    return render(request, "events/pms/request_form.html", {"form": form})


def mhra_request(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = access.get_for_user(request.user, MhraRequest.objects.select_related("device"), pk)
    form = AnswerForm(request.POST or None)
    can_answer = found.state == "open" and has_permission(request.user, REPORT)
    if request.method == "POST" and can_answer and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: actions.answer_mhra_request(
                actor=request.user,
                request=found,
                answered_at=form.cleaned_data["answered_at"],
                sent=form.cleaned_data["sent"],
            ),
            "Answer recorded.",
        )
        if done:
            return redirect("events:mhra-request", pk=found.pk)
    context = {"record": found, "req": found, "form": form, "can_answer": can_answer}
    return render(request, "events/pms/request.html", context)


def bank_holidays(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    form = HolidayForm(request.POST or None)
    can_configure = has_permission(request.user, CONFIGURE)
    if request.method == "POST":
        access.need(request.user, CONFIGURE)
        if form.is_valid():
            done = attempt(
                request,
                form,
                lambda: actions.set_bank_holiday(
                    actor=request.user,
                    day=form.cleaned_data["date"],
                    name=form.cleaned_data["name"],
                ),
                "Bank holiday saved.",
            )
            if done:
                return redirect("events:bank-holidays")
    today = timezone.localdate()
    rows = BankHoliday.objects.filter(date__gte=today.replace(month=1, day=1))
    return render(
        request,
        "events/pms/holidays.html",
        {"form": form, "rows": list(rows), "can_configure": can_configure},
    )


@require_POST
def bank_holiday_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    access.need(request.user, CONFIGURE)
    holiday = BankHoliday.objects.filter(pk=pk).first()
    if holiday is None:
        raise NotFound()
    attempt(
        request,
        None,
        lambda: actions.remove_bank_holiday(
            actor=request.user, holiday=holiday, reason=request.POST.get("reason", "")
        ),
        "Bank holiday removed.",
    )
    return redirect("events:bank-holidays")
