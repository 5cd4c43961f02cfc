"""Evaluations: record one against the criteria, read it, sign its decision, withdraw it."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, attempt_signed, attempt_with_reason
from openqms.suppliers import access, actions
from openqms.suppliers.forms import DECISION_CHOICES, DecisionForm, EvaluationForm
from openqms.suppliers.models import Criterion, Decision
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


def evaluation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evaluation = access.get_evaluation_for_user(request.user, pk)
    decision = Decision.objects.filter(evaluation=evaluation).select_related("decided_by").first()
    refusal = actions.decision_refusal(evaluation, request.user)
    return render(
        request,
        "suppliers/evaluation.html",
        {
            "evaluation": evaluation,
            "supplier": evaluation.supplier,
            "scores": list(evaluation.scores.select_related("criterion")),
            "decision": decision,
            "decisions": DECISION_CHOICES,
            "can_decide": refusal is None,
            "why_not": refusal.message if refusal and evaluation.state == "awaiting" else "",
            "can_withdraw": evaluation.state == "awaiting" and has_permission(request.user, MANAGE),
        },
    )


@require_POST
def evaluation_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    evaluation = access.get_evaluation_for_user(request.user, pk)
    form = DecisionForm(request.POST)
    attempt_signed(
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
        ),
        "Decision signed; the supplier's status is set.",
    )
    return redirect("suppliers:evaluation", pk=evaluation.pk)


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
