"""Evaluations: record one against the criteria, read it, sign its decision, withdraw it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.errors import DomainError
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, attempt_signed, attempt_with_reason
from openqms.suppliers import access, actions
from openqms.suppliers.forms import DecisionDraftForm, DecisionForm, EvaluationForm
from openqms.suppliers.models import Criterion, Decision, Evaluation
from openqms.suppliers.registry import MANAGE


def evaluation_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    supplier = access.get_supplier_for_user(request.user, pk, need=MANAGE)
    form = EvaluationForm(request.POST or None, criteria=Criterion.objects.filter(active=True))
    if request.method == "POST" and form.is_valid():
        made = attempt(
            request,
            form,
            lambda: actions.record_evaluation(
                actor=request.user,
                supplier=supplier,
                scores=form.scores(),
                recommendation=form.cleaned_data["recommendation"],
                summary=form.cleaned_data["summary"],
            ),
            "Evaluation recorded. A second person signs the decision.",
        )
        if made:
            return redirect("suppliers:evaluation", pk=made.pk)
    return render(request, "suppliers/evaluation_form.html", {"form": form, "supplier": supplier})


def _draft(
    request: AuthenticatedHttpRequest, evaluation: Evaluation, can_decide: bool
) -> tuple[DecisionDraftForm, Decision | None, str]:
    """The decision chosen on the page (GET), built unsaved so the signing dialog shows
    the very content, and its hash, that the signature binds (walk finding 4)."""
    form = DecisionDraftForm(request.GET if "decision" in request.GET else None)
    if not can_decide or not form.is_valid():
        return form, None, ""
    data = form.cleaned_data
    try:
        draft = actions.draft_decision(
            evaluation=evaluation,
            actor=request.user,
            decision=data["decision"],
            conditions=data["conditions"],
            reason=data["decision_reason"],
        )
    except DomainError as refusal:
        return form, None, refusal.message
    return form, draft, ""


def evaluation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evaluation = access.get_evaluation_for_user(request.user, pk)
    decision = Decision.objects.filter(evaluation=evaluation).select_related("decided_by").first()
    refusal = actions.decision_refusal(evaluation, request.user)
    draft_form, draft, draft_problem = _draft(request, evaluation, refusal is None)
    return render(
        request,
        "suppliers/evaluation.html",
        {
            "evaluation": evaluation,
            "supplier": evaluation.supplier,
            "scores": list(evaluation.scores.select_related("criterion")),
            "decision": decision,
            "draft_form": draft_form,
            "draft": draft,
            "draft_problem": draft_problem,
            "can_decide": refusal is None,
            "why_not": refusal.message if refusal and evaluation.state == "awaiting" else "",
            "can_withdraw": evaluation.state == "awaiting" and has_permission(request.user, MANAGE),
        },
    )


@require_POST
def evaluation_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evaluation = access.get_evaluation_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    made = attempt_signed(
        request,
        form,
        lambda data, credentials: actions.decide_evaluation(
            actor=request.user,
            evaluation=evaluation,
            decision=data["decision"],
            conditions=data["conditions"],
            reason=data["decision_reason"],
            comment=data["reason"],
            credentials=credentials,
            shows_decision=True,
        ),
        "Decision signed; the supplier's status is set.",
    )
    url = reverse("suppliers:evaluation", args=[evaluation.pk])
    if made is None:  # back to the same decision, to sign again
        fields = ("decision", "conditions", "decision_reason")
        url += "?" + urlencode({f: request.POST.get(f, "") for f in fields})
    return redirect(url)


@require_POST
def evaluation_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evaluation = access.get_evaluation_for_user(request.user, pk, need=MANAGE)
    attempt_with_reason(
        request,
        lambda reason: actions.withdraw_evaluation(
            actor=request.user, evaluation=evaluation, reason=reason
        ),
        "Evaluation withdrawn; it is kept on record.",
    )
    return redirect("suppliers:evaluation", pk=evaluation.pk)
