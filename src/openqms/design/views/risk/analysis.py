"""Hazards and their hazardous situations: the list, a hazard's page with its situations
(estimates before and after, evaluation, controls) and the forms that change them."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.http import AuthenticatedHttpRequest
from openqms.design.actions import risk
from openqms.design.models import ControlKind, ControlMeasure, Hazard, HazardousSituation
from openqms.design.registry import EDIT
from openqms.design.views.risk.common import (
    PAGE_SIZE,
    get_file,
    get_hazard,
    get_situation,
    post_then,
    posted,
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
    data = posted(request, "title", "category")
    return post_then(
        request,
        lambda: risk.add_hazard(actor=request.user, file=file, **data),
        "Hazard added.",
        f"{file.get_absolute_url()}hazards/",
    )


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
        },
    )


@require_POST
def situation_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    hazard = get_hazard(request, pk, EDIT)
    data = posted(request, "sequence", "situation", "harm", "severity", "probability", "p1", "p2")
    return post_then(
        request,
        lambda: risk.add_situation(actor=request.user, hazard=hazard, **data),
        "Hazardous situation added.",
        hazard.get_absolute_url(),
    )


@require_POST
def situation_residual(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_situation(request, pk, EDIT)
    data = posted(request, "severity", "probability", "p1", "p2")
    return post_then(
        request,
        lambda: risk.estimate_residual(actor=request.user, situation=found, **data),
        "Residual risk estimated.",
        found.get_absolute_url(),
    )


@require_POST
def situation_evaluate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_situation(request, pk, EDIT)
    data = posted(request, "benefit_risk")
    return post_then(
        request,
        lambda: risk.evaluate_situation(actor=request.user, situation=found, **data),
        "Residual risk evaluated.",
        found.get_absolute_url(),
    )


@require_POST
def control_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = get_situation(request, pk, EDIT)
    data = posted(request, "kind", "description")
    return post_then(
        request,
        lambda: risk.add_control(actor=request.user, situation=found, **data),
        "Risk control added.",
        found.get_absolute_url(),
    )
