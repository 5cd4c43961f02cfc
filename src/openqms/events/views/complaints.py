"""Feedback and complaint pages: the lists (paged, filtered, a constant number of
queries), a record with everything about it, and the forms that log, classify, edit,
link, decide (signed) and close (signed). Every change goes through
events.actions.complaints."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.confidentiality import may_see
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.links import linked
from openqms.core.views.common import attempt, attempt_signed, attempt_with_reason
from openqms.events import access, clocks
from openqms.events.actions import complaints as actions
from openqms.events.forms.complaints import (
    CloseForm,
    ComplaintClassifyForm,
    ComplaintEditForm,
    ComplaintFilter,
    DecisionForm,
    FeedbackFilter,
    FeedbackForm,
    LinkForm,
    NotComplaintForm,
)
from openqms.events.models import REPORTABLE, Complaint, Feedback, ReportabilityDecision
from openqms.events.registry import DECIDE, LOG, MANAGE

PAGE_SIZE = 25


def _page(request: AuthenticatedHttpRequest, rows: QuerySet) -> tuple:
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def feedback_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    form = FeedbackFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = access.visible(request.user, Feedback.objects.select_related("device"))
    for field in ("classification", "source", "device"):
        if data.get(field):
            rows = rows.filter(**{field: data[field]})
    if data.get("q"):
        q = data["q"]
        rows = rows.filter(
            Q(number__icontains=q) | Q(title__icontains=q) | Q(description__icontains=q)
        )
    page, query = _page(request, rows.order_by("-received_at", "-pk"))
    return render(
        request,
        "events/complaints/feedback_list.html",
        {
            "form": form,
            "page": page,
            "rows": list(page.object_list),
            "query": query,
            "can_log": has_permission(request.user, LOG),
        },
    )


def feedback_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, LOG)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = attempt(
            request,
            form,
            lambda: actions.log_feedback(actor=request.user, **form.cleaned_data),
            "Feedback logged. The QA team classifies it.",
        )
        if made:
            return redirect("events:feedback", pk=made.pk)
    return render(request, "events/complaints/feedback_form.html", {"form": form})


def _feedback_page(request, feedback, classify=None, reject=None) -> HttpResponse:
    can = feedback.classification != "complaint" and has_permission(request.user, MANAGE)
    initial = {"device": feedback.device_id, "what_happened": feedback.description}
    return render(
        request,
        "events/complaints/feedback.html",
        {
            "feedback": feedback,
            "complaint": Complaint.objects.filter(feedback=feedback).first(),
            "can_classify": can,
            "classify_form": classify or ComplaintClassifyForm(initial=initial),
            "reject_form": reject or NotComplaintForm(),
        },
    )


def feedback_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    feedback = access.get_for_user(request.user, Feedback.objects.select_related("device"), pk)
    return _feedback_page(request, feedback)


@require_POST
def feedback_classify(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    feedback = access.get_for_user(request.user, Feedback.objects.all(), pk, permission=MANAGE)
    form = ComplaintClassifyForm(request.POST)
    if form.is_valid():
        made = attempt(
            request,
            form,
            lambda: actions.classify_complaint(
                actor=request.user, feedback=feedback, **form.cleaned_data
            ),
            "Classified as a complaint; the complaint is open.",
        )
        if made:
            return redirect("events:complaint", pk=made.pk)
    return _feedback_page(request, feedback, classify=form)


@require_POST
def feedback_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    feedback = access.get_for_user(request.user, Feedback.objects.all(), pk, permission=MANAGE)
    form = NotComplaintForm(request.POST)
    if form.is_valid() and attempt(
        request,
        form,
        lambda: actions.classify_not_complaint(
            actor=request.user, feedback=feedback, reason=form.cleaned_data["reason"]
        ),
        "Classified as not a complaint.",
    ):
        return redirect("events:feedback", pk=feedback.pk)
    return _feedback_page(request, feedback, reject=form)


def _complaints() -> QuerySet[Complaint]:
    current = ReportabilityDecision.objects.filter(in_force=True).select_related("rule")
    return Complaint.objects.select_related("device", "owner").prefetch_related(
        Prefetch("decisions", queryset=current, to_attr="current")
    )


def complaint_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    form = ComplaintFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = access.visible(request.user, _complaints())
    if data.get("state"):
        rows = rows.filter(state=data["state"])
    if data.get("device"):
        rows = rows.filter(device=data["device"])
    live = Q(decisions__in_force=True)
    if data.get("reportable") == "yes":
        rows = rows.filter(live, decisions__category__in=REPORTABLE)
    elif data.get("reportable") == "no":
        rows = rows.filter(live, decisions__category="not_reportable")
    elif data.get("reportable") == "undecided":
        rows = rows.exclude(decisions__in_force=True)
    if data.get("overdue"):
        rows = rows.filter(live, state="open", decisions__deadline_at__lt=timezone.now())
    page, query = _page(request, rows.order_by("-awareness_at", "-pk"))
    return render(
        request,
        "events/complaints/complaint_list.html",
        {
            "form": form,
            "page": page,
            "rows": list(page.object_list),
            "query": query,
            "now": timezone.now(),
        },
    )


def _complaint_page(request, complaint: Complaint, edit=None, link=None) -> HttpResponse:
    user = request.user
    health = may_see(user)
    decisions = list(complaint.decisions.select_related("decided_by", "rule", "supersedes"))
    current = next((d for d in decisions if d.in_force), None)
    is_open = complaint.state == "open"
    now = timezone.now()
    clock = clocks.clock_of(complaint) if is_open else None
    initial = {f: getattr(complaint, f) for f in actions.EDITABLE}
    initial["capa_needed"] = {None: "", True: "yes", False: "no"}[complaint.capa_needed]
    if not health:
        initial.pop("patient_details")
        initial.pop("patient_outcome")
    return render(
        request,
        "events/complaints/complaint.html",
        {
            "complaint": complaint,
            "decisions": decisions,
            "current": current,
            "now": now,
            # One source of truth (events.clocks): a clock stops once the initial report
            # is submitted; awaiting only the final report is not "overdue".
            "clock": clock,
            "clock_overdue": clock is not None and clock.overdue(now),
            "clock_left": clocks.left_text(clock.left(now)) if clock else "",
            "links": [
                x
                for x in linked(user, complaint)
                if x.says in ("related to", "duplicate of", "has duplicate")
            ],
            "can_edit": is_open and has_permission(user, MANAGE),
            "can_sign": is_open and has_permission(user, DECIDE),
            "health": health,
            "edit_form": edit or ComplaintEditForm(initial=initial),
            "link_form": link or LinkForm(),
            "close_problems": actions.close_problems(complaint) if is_open else [],
            "decision_form": DecisionForm(),
        },
    )


def complaint_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _complaint_page(request, access.get_for_user(request.user, _complaints(), pk))


@require_POST
def complaint_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = access.get_for_user(request.user, _complaints(), pk, permission=MANAGE)
    form = ComplaintEditForm(request.POST)
    if form.is_valid() and attempt(
        request,
        form,
        lambda: actions.edit_complaint(
            actor=request.user,
            complaint=complaint,
            reason=form.cleaned_data["reason"],
            **form.edits(may_see(request.user)),
        ),
        "Complaint saved.",
    ):
        return redirect("events:complaint", pk=complaint.pk)
    return _complaint_page(request, complaint, edit=form)


@require_POST
def complaint_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = access.get_for_user(request.user, _complaints(), pk, permission=MANAGE)
    form = LinkForm(request.POST)
    if form.is_valid() and attempt(
        request,
        form,
        lambda: actions.link_complaint(
            actor=request.user, complaint=complaint, **form.cleaned_data
        ),
        "Complaints linked.",
    ):
        return redirect("events:complaint", pk=complaint.pk)
    return _complaint_page(request, complaint, link=form)


@require_POST
def complaint_unlink(request: AuthenticatedHttpRequest, pk: int, link: int) -> HttpResponse:
    complaint = access.get_for_user(request.user, _complaints(), pk, permission=MANAGE)
    attempt_with_reason(
        request,
        lambda reason: actions.unlink_complaint(
            actor=request.user, complaint=complaint, link_id=link, reason=reason
        ),
        "Link removed; it stays in the history.",
    )
    return redirect("events:complaint", pk=complaint.pk)


@require_POST
def complaint_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = access.get_for_user(request.user, _complaints(), pk)
    form = DecisionForm(request.POST)
    attempt_signed(
        request,
        form,
        lambda data, credentials: actions.decide_reportability(
            actor=request.user,
            complaint=complaint,
            answers=data,
            rationale=data["rationale"],
            comment=data["reason"],
            credentials=credentials,
        ),
        "Reportability decision signed.",
    )
    return redirect("events:complaint", pk=complaint.pk)


@require_POST
def complaint_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = access.get_for_user(request.user, _complaints(), pk)
    attempt_signed(
        request,
        CloseForm(request.POST),
        lambda data, credentials: actions.close_complaint(
            actor=request.user,
            complaint=complaint,
            closure_note=data["closure_note"],
            credentials=credentials,
        ),
        "Complaint closed and signed.",
    )
    return redirect("events:complaint", pk=complaint.pk)
