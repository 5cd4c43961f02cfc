"""Hazards and their hazardous situations: the list, a hazard's page with its situations
(estimates before and after, evaluation, controls) and the forms that change them."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.http import AuthenticatedHttpRequest
from openqms.design.actions import risk
from openqms.design.actions.release import open_changes, released
from openqms.design.actions.risk.analysis import project_of
from openqms.design.models import (
    ChangeState,
    ControlKind,
    ControlMeasure,
    Hazard,
    HazardousSituation,
    RiskFile,
)
from openqms.design.registry import EDIT
from openqms.design.views.risk.common import (
    PAGE_SIZE,
    get_control,
    get_file,
    get_hazard,
    get_situation,
    run_form,
)

SITUATIONS = Prefetch(
    "situations",
    queryset=HazardousSituation.objects.select_related("item").prefetch_related(
        Prefetch("controls", queryset=ControlMeasure.objects.select_related("item"))
    ),
)


def hazard_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    file = get_file(request, pk)
    hazards = Hazard.objects.filter(file=file).order_by("number").prefetch_related(SITUATIONS)
    page = Paginator(hazards, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "design/risk/hazards.html",
        {"file": file, "page": page, "may_edit": has_permission(request.user, EDIT)},
    )


@require_POST
def hazard_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    file = get_file(request, pk, EDIT)
    to = f"{file.get_absolute_url()}hazards/"
    names = ("title", "category")
    return run_form(request, risk.add_hazard, names, "Hazard added.", to, file=file)


def hazard_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hazard = get_hazard(request, pk)
    situations = hazard.situations.select_related("item", "evaluated_by").prefetch_related(
        Prefetch("controls", queryset=ControlMeasure.objects.select_related("item"))
    )
    return render(
        request,
        "design/risk/hazard.html",
        {
            "hazard": hazard,
            "file": hazard.file,
            "situations": situations.order_by("number"),
            "severities": hazard.file.severities.all(),
            "probabilities": hazard.file.probabilities.all(),
            "control_kinds": ControlKind.choices,
            "may_edit": has_permission(request.user, EDIT),
            **_change_choices(hazard.file),
        },
    )


def _change_choices(file: RiskFile) -> dict[str, Any]:
    """The design changes an edit of a situation or control may be part of, and the
    signed baseline that makes one required (ISO 13485 7.3.9)."""
    project = project_of(file)
    if project is None:
        return {"open_changes": [], "released": None}
    baseline = released(project)
    found = open_changes(project)
    if baseline is not None:  # after release only approved changes (naming the item) do
        found = [c for c in found if c.state == ChangeState.APPROVED]
    return {"open_changes": found, "released": baseline}


@require_POST
def hazard_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hazard = get_hazard(request, pk, EDIT)
    to = hazard.get_absolute_url()
    names = ("title", "category", "reason")
    return run_form(request, risk.edit_hazard, names, "Hazard saved.", to, hazard=hazard)


@require_POST
def hazard_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hazard = get_hazard(request, pk, EDIT)
    done = "Hazard retired with its hazardous situations."
    to = hazard.get_absolute_url()
    return run_form(request, risk.retire_hazard, ("reason", "change"), done, to, hazard=hazard)


ESTIMATE = ("severity", "probability", "p1", "p2")


@require_POST
def situation_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hazard = get_hazard(request, pk, EDIT)
    names = ("sequence", "situation", "harm", *ESTIMATE, "change")
    done, to = "Hazardous situation added.", hazard.get_absolute_url()
    return run_form(request, risk.add_situation, names, done, to, hazard=hazard)


@require_POST
def situation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_situation(request, pk, EDIT)
    names = ("sequence", "statement", "harm", *ESTIMATE, "reason", "change")
    done = "Hazardous situation saved; evaluate its residual risk again."
    to = found.get_absolute_url()
    return run_form(request, risk.edit_situation, names, done, to, situation=found)


@require_POST
def situation_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_situation(request, pk, EDIT)
    done, to = "Hazardous situation retired with its controls.", found.get_absolute_url()
    return run_form(request, risk.retire_situation, ("reason", "change"), done, to, situation=found)


@require_POST
def situation_residual(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_situation(request, pk, EDIT)
    done, to = "Residual risk estimated.", found.get_absolute_url()
    return run_form(request, risk.estimate_residual, ESTIMATE, done, to, situation=found)


@require_POST
def situation_evaluate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_situation(request, pk, EDIT)
    done, to = "Residual risk evaluated.", found.get_absolute_url()
    names = ("benefit_risk",)
    return run_form(request, risk.evaluate_situation, names, done, to, situation=found)


@require_POST
def control_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_situation(request, pk, EDIT)
    done, to = "Risk control added.", found.get_absolute_url()
    names = ("kind", "description", "change")
    return run_form(request, risk.add_control, names, done, to, situation=found)


@require_POST
def control_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    control = get_control(request, pk, EDIT)
    done, to = "Risk control saved.", control.situation.get_absolute_url()
    names = ("kind", "description", "reason", "change")
    return run_form(request, risk.edit_control, names, done, to, control=control)


@require_POST
def control_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    control = get_control(request, pk, EDIT)
    done = "Risk control retired; estimate and evaluate the residual risk again."
    to = control.situation.get_absolute_url()
    return run_form(request, risk.retire_control, ("reason", "change"), done, to, control=control)
