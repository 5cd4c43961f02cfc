"""Vigilance pages: the clock rules, the vigilance dashboard (clocks soonest first),
incident reports (list, draft, edit, submit with a signature, due date, PDF and JSON)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.confidentiality import may_see
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, attempt_posted, attempt_signed
from openqms.events import access, clocks
from openqms.events.actions import vigilance as actions
from openqms.events.forms.vigilance import (
    ClockRuleForm,
    DueForm,
    NewReportForm,
    ReportFilter,
    ReportForm,
    SubmitForm,
)
from openqms.events.models import ClockRule, Complaint, IncidentReport, ReportState
from openqms.events.pdf_vigilance import report_pdf
from openqms.events.registry import CONFIGURE, REPORT

PAGE_SIZE = 50
RECENT = 10


def clock_rules(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    can_add = has_permission(request.user, CONFIGURE)
    form = ClockRuleForm(request.POST or None)
    added = (
        request.method == "POST"
        and can_add
        and form.is_valid()
        and attempt(
            request,
            form,
            lambda: actions.add_clock_rule(actor=request.user, **form.cleaned_data),
            "Clock rule added. Complaints aware from its date are held to it.",
        )
    )
    if added:
        return redirect("events:clock-rules")
    rules = ClockRule.objects.select_related("added_by").order_by("category", "-effective_from")
    return render(
        request,
        "events/vigilance/rules.html",
        {"rules": rules, "form": form, "can_add": can_add},
    )


def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    now = timezone.now()
    on_time, submitted = clocks.on_time_rate()
    recent = clocks.submitted_initial_reports().select_related("complaint", "submitted_by")
    return render(
        request,
        "events/vigilance/dashboard.html",
        {
            "clocks": [
                (c, clocks.left_text(c.left(now)), c.overdue(now)) for c in clocks.open_clocks()
            ],
            "recent": list(recent.order_by("-submitted_at", "-pk")[:RECENT]),
            "on_time": on_time,
            "submitted": submitted,
            "rate": round(100 * on_time / submitted) if submitted else None,
            "can_report": has_permission(request.user, REPORT),
        },
    )


def report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    form = ReportFilter(request.GET or None)
    rows = access.visible(request.user, IncidentReport.objects.select_related("complaint"))
    if form.is_valid():
        data = form.cleaned_data
        if data["state"]:
            rows = rows.filter(state=data["state"])
        if data["report_type"]:
            rows = rows.filter(report_type=data["report_type"])
        if data["q"]:
            rows = rows.filter(Q(number__icontains=data["q"]) | Q(title__icontains=data["q"]))
    page = Paginator(rows.order_by("-opened_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/vigilance/report_list.html",
        {
            "form": form,
            "page": page,
            "rows": list(page.object_list),
            "query": query.urlencode(),
            "can_report": has_permission(request.user, REPORT),
        },
    )


def _complaint_from(request: AuthenticatedHttpRequest) -> tuple[Complaint | None, list[str]]:
    """The complaint named by ?from=events.complaint:<id> (the other sources kept)."""
    sources = request.GET.getlist("from") or request.POST.getlist("from")
    complaint = None
    for source in sources:
        kind, _, pk = source.partition(":")
        if kind == "events.complaint" and pk.isdigit():
            complaint = access.get_for_user(request.user, Complaint.objects.all(), int(pk))
    return complaint, sources


def report_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, REPORT)
    complaint, sources = _complaint_from(request)
    if complaint is None:
        return render(request, "events/vigilance/report_pick.html", {}, status=400)
    has_initial = complaint.incident_reports.filter(report_type="initial").exists()
    start = {
        "report_type": "follow_up" if has_initial else "initial",
        "title": complaint.title,
        **actions.device_identification(complaint),
        "event_description": complaint.what_happened,
        "investigation": complaint.investigation,
        "root_cause": complaint.root_cause,
    }
    form = NewReportForm(request.POST or None, initial=start)
    if not may_see(request.user):
        del form.fields["patient_outcome"]
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "report_type"}
        made = attempt(
            request,
            form,
            lambda: actions.draft_report(
                actor=request.user,
                complaint=complaint,
                report_type=form.cleaned_data["report_type"],
                fields=fields,
                sources=[s for s in sources if s != f"events.complaint:{complaint.pk}"],
            ),
            "Incident report drafted. Check it, then record its submission to the MHRA.",
        )
        if made:
            return redirect(made.get_absolute_url())
    context = {"form": form, "complaint": complaint, "sources": sources}
    return render(request, "events/vigilance/report_form.html", context)


def _report(request: AuthenticatedHttpRequest, pk: int, permission: str | None = None):
    rows = IncidentReport.objects.select_related("complaint", "device", "submitted_by", "owner")
    return access.get_for_user(request.user, rows, pk, permission=permission)


def report_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    can_act = report.state == ReportState.DRAFT and has_permission(request.user, REPORT)
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    return render(
        request,
        "events/vigilance/report.html",
        {
            "report": report,
            "can_act": can_act,
            "submit_form": SubmitForm(initial={"submitted_at": now}),
            "due_form": DueForm(initial={"due_at": report.due_at}),
            "deadline": actions.deadline_of(report),
        },
    )


def report_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, REPORT)
    form = ReportForm(
        request.POST or None, initial={f: getattr(report, f) for f in actions.EDITABLE}
    )
    if not may_see(request.user):
        del form.fields["patient_outcome"]
    saved = (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            form,
            lambda: actions.edit_report(
                actor=request.user, report=report, fields=form.cleaned_data
            ),
            "Incident report saved.",
        )
    )
    if saved:
        return redirect(report.get_absolute_url())
    return render(request, "events/vigilance/report_form.html", {"form": form, "report": report})


@require_POST
def report_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, REPORT)
    attempt_signed(
        request,
        SubmitForm(request.POST),
        lambda data, credentials: actions.submit_report(
            actor=request.user,
            report=report,
            mhra_reference=data["mhra_reference"],
            submitted_at=data["submitted_at"],
            credentials=credentials,
            comment=data["reason"],
        ),
        "Submission to the MHRA recorded and signed.",
    )
    return redirect(report.get_absolute_url())


@require_POST
def report_due(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk, REPORT)
    attempt_posted(
        request,
        DueForm(request.POST),
        lambda data: actions.set_report_due(
            actor=request.user, report=report, due_at=data["due_at"]
        ),
        "Due date set.",
    )
    return redirect(report.get_absolute_url())


def report_pdf_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    response = HttpResponse(report_pdf(report, request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.number}.pdf"'
    return response


def report_json_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    response = HttpResponse(
        actions.report_json_bytes(report, request.user), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{report.number}.json"'
    return response
