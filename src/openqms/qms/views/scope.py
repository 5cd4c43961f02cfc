"""The QMS scope's pages: its revision history, each version with its lifecycle steps and
signatures, the draft's editor, the redline, certification and the approved body's
notification (ISO 13485 4.2.2 a)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission, require_or_404
from openqms.core.forms import SignatureForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.signing import signer_credentials
from openqms.core.views.common import attempt, attempt_posted
from openqms.qms import access, scope_redline
from openqms.qms.actions import scope as actions
from openqms.qms.forms.scope import (
    AnswerForm,
    CertifyForm,
    ExclusionFormSet,
    ScopeForm,
    SentForm,
    SummaryForm,
)
from openqms.qms.models import BodyAnswer, NotificationState, ScopeState, ScopeVersion
from openqms.qms.registry import CERTIFICATION, SCOPE_EDIT

PAGE_SIZE = 25


class ReassessmentForm(forms.Form):
    reassessed_on = forms.DateField(
        label="Date the reassessment was done", widget=forms.DateInput(attrs={"type": "date"})
    )
    reassessment = forms.CharField(
        label="Report reference and outcome", widget=forms.Textarea(attrs={"rows": 3})
    )


def scope_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    versions = ScopeVersion.objects.select_related("certificate")
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "qms/scope_list.html",
        {"page": page, "can_edit": has_permission(request.user, SCOPE_EDIT)},
    )


def scope_detail(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    scope = access.get_scope_for_user(request.user, number)
    previous = ScopeVersion.objects.filter(number__lt=number).order_by("-number").first()
    notification = getattr(scope, "notification", None)
    certifies = has_permission(request.user, CERTIFICATION)
    state = getattr(notification, "state", None)
    return render(
        request,
        "qms/scope_detail.html",
        {
            "scope": scope,
            "content": scope.content(),
            "exclusions": scope.exclusions.all(),
            "previous": previous,
            "steps": actions.LIFECYCLE.available(scope, request.user),
            "notification": notification,
            "certifies": certifies,
            "can_edit": has_permission(request.user, SCOPE_EDIT),
            "can_certify": actions.certify_refusal(scope, request.user) is None,
            "to_reassess": state == NotificationState.ANSWERED
            and getattr(notification, "answer", "") == BodyAnswer.REQUIRED,
            "certify_form": CertifyForm(),
            "summary_form": SummaryForm(initial={"summary": getattr(notification, "summary", "")}),
            "sent_form": SentForm(),
            "answer_form": AnswerForm(),
            "reassessment_form": ReassessmentForm(),
        },
    )


@require_POST
def scope_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_or_404(request.user, SCOPE_EDIT)
    scope = attempt(
        request, None, lambda: actions.start_scope_version(actor=request.user), "Draft started."
    )
    if scope:
        return redirect("qms:scope-edit", number=scope.number)
    return redirect("qms:scope-list")


def _exclusion_rows(formset) -> list[actions.Exclusion]:
    rows = []
    for data in formset.cleaned_data:
        if data and any(data.get(k) for k in ("clause", "what", "justification")):
            rows.append(
                actions.Exclusion(
                    data.get("clause", ""),
                    data.get("kind", ""),
                    data.get("what", ""),
                    data.get("justification", ""),
                )
            )
    return rows


def _edit_forms(scope: ScopeVersion) -> tuple[ScopeForm, forms.BaseFormSet]:
    """The editor filled with the draft as it stands."""
    form = ScopeForm(
        initial={
            "statement": scope.statement,
            "sites": scope.sites.all(),
            "families": scope.families.all(),
            "processes": scope.processes.all(),
            "change_summary": scope.change_summary,
        }
    )
    rows = [
        {"clause": e.clause, "kind": e.kind, "what": e.what, "justification": e.justification}
        for e in scope.exclusions.all()
    ]
    return form, ExclusionFormSet(prefix="exclusions", initial=rows)


def _save_draft(
    request: AuthenticatedHttpRequest,
    scope: ScopeVersion,
    form: ScopeForm,
    formset: forms.BaseFormSet,
) -> bool:
    """True when the posted draft was saved; otherwise the errors are on the form."""
    if not (form.is_valid() and formset.is_valid()):
        return False
    data = form.cleaned_data
    return bool(
        attempt(
            request,
            form,
            lambda: actions.edit_scope(
                actor=request.user,
                scope=scope,
                statement=data["statement"],
                sites=list(data["sites"]),
                families=list(data["families"]),
                processes=list(data["processes"]),
                exclusions=_exclusion_rows(formset),
                change_summary=data["change_summary"],
            ),
            "Draft saved.",
        )
    )


def scope_edit(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    scope = access.get_scope_for_user(request.user, number, need=SCOPE_EDIT)
    if scope.state != ScopeState.DRAFT:
        return redirect("qms:scope", number=number)
    if request.method == "POST":
        form = ScopeForm(request.POST)
        formset = ExclusionFormSet(request.POST, prefix="exclusions")
        if _save_draft(request, scope, form, formset):
            return redirect("qms:scope", number=number)
    else:
        form, formset = _edit_forms(scope)
    return render(
        request, "qms/scope_edit.html", {"scope": scope, "form": form, "formset": formset}
    )


# What a person reads after each step, in plain words.
DONE = {
    "submit": "Submitted for top management's approval.",
    "approve": "Approved and signed.",
    "return": "Returned to draft.",
    "put_in_force": "This version is now in force; the previous one is superseded.",
}


@require_POST
def scope_step(request: AuthenticatedHttpRequest, number: int, step: str) -> HttpResponse:
    scope = access.get_scope_for_user(request.user, number)
    form = SignatureForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    credentials = None
    if data.get("password"):
        credentials = signer_credentials(
            password=data["password"],
            otp_code=data.get("otp_code", ""),
            content_hash=data.get("content_hash", ""),
        )
    attempt(
        request,
        None,
        lambda: actions.take_scope_step(
            actor=request.user,
            scope=scope,
            step=step,
            reason=data.get("reason", ""),
            credentials=credentials,
        ),
        DONE.get(step, "Done."),
    )
    return redirect("qms:scope", number=number)


@require_POST
def scope_certify(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    scope = access.get_scope_for_user(request.user, number, need=CERTIFICATION)
    attempt_posted(
        request,
        CertifyForm(request.POST),
        lambda data: actions.mark_scope_certified(
            actor=request.user,
            scope=scope,
            certificate=data["certificate"],
            certified_on=data["certified_on"],
        ),
        "Marked certified.",
    )
    return redirect("qms:scope", number=number)


def scope_redline_view(request: AuthenticatedHttpRequest, number: int) -> HttpResponse:
    scope = access.get_scope_for_user(request.user, number)
    against = request.GET.get("against", "")
    old: ScopeVersion | None
    if against.isdigit():
        old = access.get_scope_for_user(request.user, int(against))
    else:
        old = ScopeVersion.objects.filter(number__lt=number).order_by("-number").first()
    return render(
        request,
        "qms/scope_redline.html",
        {
            "redline": scope_redline.compare(old, scope),
            "versions": ScopeVersion.objects.exclude(pk=scope.pk).values_list("number", flat=True),
        },
    )


# Each follow-up of the notification: its form (whose fields are the action's arguments),
# its action and what to say when done.
NOTIFICATION_STEPS: dict[str, tuple[type[forms.Form], Callable[..., Any], str]] = {
    "summary": (SummaryForm, actions.edit_notification_summary, "Summary saved."),
    "sent": (SentForm, actions.record_notification_sent, "Recorded as sent."),
    "answer": (AnswerForm, actions.record_body_answer, "Answer recorded."),
    "reassessed": (ReassessmentForm, actions.record_reassessment, "Reassessment recorded."),
}


@require_POST
def notification_step(request: AuthenticatedHttpRequest, pk: int, what: str) -> HttpResponse:
    notification = access.get_notification_for_user(request.user, pk, need=CERTIFICATION)
    if what in NOTIFICATION_STEPS:
        form_class, action, done = NOTIFICATION_STEPS[what]
        attempt_posted(
            request,
            form_class(request.POST),
            lambda d: action(actor=request.user, notification=notification, **d),
            done,
        )
    return redirect("qms:scope", number=notification.scope.number)


urlpatterns = [
    path("scope/", scope_list, name="scope-list"),
    path("scope/new/", scope_new, name="scope-new"),
    path("scope/<int:number>/", scope_detail, name="scope"),
    path("scope/<int:number>/edit/", scope_edit, name="scope-edit"),
    path("scope/<int:number>/changes/", scope_redline_view, name="scope-redline"),
    path("scope/<int:number>/certify/", scope_certify, name="scope-certify"),
    path("scope/<int:number>/step/<slug:step>/", scope_step, name="scope-step"),
    path(
        "scope/notification/<int:pk>/<slug:what>/",
        notification_step,
        name="scope-notification",
    ),
]
