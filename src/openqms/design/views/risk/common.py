"""What the risk pages share: reaching a risk file, the POST-redirect-GET helper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect

from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt
from openqms.design import access
from openqms.design.models import (
    ControlMeasure,
    Hazard,
    HazardousSituation,
    RiskFile,
    RiskReview,
)

PAGE_SIZE = 25


def get_file(request: AuthenticatedHttpRequest, pk: int, permission: str | None = None) -> RiskFile:
    files = RiskFile.objects.select_related("device", "plan")
    return access.get_for_user(request.user, files, pk, permission=permission)


def get_hazard(request: AuthenticatedHttpRequest, pk: int, permission: str | None = None) -> Hazard:
    hazards = Hazard.objects.select_related("file__device")
    return access.get_for_user(request.user, hazards, pk, permission=permission)


def get_situation(
    request: AuthenticatedHttpRequest, pk: int, permission: str | None = None
) -> HazardousSituation:
    found = HazardousSituation.objects.select_related("hazard", "file")
    return access.get_for_user(request.user, found, pk, permission=permission)


def get_control(
    request: AuthenticatedHttpRequest, pk: int, permission: str | None = None
) -> ControlMeasure:
    found = ControlMeasure.objects.select_related("situation__file", "item")
    return access.get_for_user(request.user, found, pk, permission=permission)


def get_review(
    request: AuthenticatedHttpRequest, pk: int, permission: str | None = None
) -> RiskReview:
    reviews = RiskReview.objects.select_related("file__device", "closed_by")
    return access.get_for_user(request.user, reviews, pk, permission=permission)


def post_then(
    request: AuthenticatedHttpRequest, call: Callable[[], Any], success: str, to: str
) -> HttpResponse:
    """Run the action (a domain error becomes a message), then back to `to`."""
    attempt(request, None, call, success)
    return redirect(to)


def posted(request: AuthenticatedHttpRequest, *names: str) -> dict[str, str]:
    return {name: request.POST.get(name, "") for name in names}


def run_form(
    request: AuthenticatedHttpRequest,
    action: Callable[..., Any],
    names: tuple[str, ...],
    success: str,
    to: str,
    **target: Any,
) -> HttpResponse:
    """The risk pages' one form handler: `action(actor=…, **target, **posted names)`, a
    domain error shown as a message, then back to `to` (POST-redirect-GET)."""
    data = posted(request, *names)
    return post_then(request, lambda: action(actor=request.user, **target, **data), success, to)
