"""The QMS dashboard: the certified scope beside the scope in force (differences
marked), the reassessment flag, the organisation summary, then every module's panels."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from openqms.core import modules
from openqms.core.access import require_member
from openqms.core.http import AuthenticatedHttpRequest
from openqms.qms.actions.scope import last_certified
from openqms.qms.models import (
    MarketRole,
    NotificationState,
    Organisation,
    ScopeNotification,
    ScopeState,
    ScopeVersion,
)
from openqms.qms.scope_redline import LISTS


def _side(items: list[str], other: list[str] | None) -> list[tuple[str, bool]]:
    """Each item, and whether it differs from the other side (missing there)."""
    return [(item, other is not None and item not in other) for item in items]


def _parts(scope: ScopeVersion | None) -> dict[str, list[str]]:
    if scope is None:
        return {}
    content = scope.content()
    exclusions = [f"{c} ({k.replace('_', ' ')}): {w}" for c, k, w, _ in content["exclusions"]]
    return {
        "Statement": [content["statement"]],
        **{label: content[name] for name, label in LISTS},
        "Exclusions": exclusions,
    }


def compare_scopes(certified: ScopeVersion | None, in_force: ScopeVersion | None) -> list[dict]:
    """Rows of the side-by-side table: each part of the scope on both sides, each item
    marked when the other side lacks it."""
    left, right = _parts(certified), _parts(in_force)
    rows = []
    for label in ("Statement", *(label for _, label in LISTS), "Exclusions"):
        mine, theirs = left.get(label), right.get(label)
        rows.append(
            {
                "label": label,
                "certified": _side(mine or [], theirs),
                "in_force": _side(theirs or [], mine),
            }
        )
    return rows


def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_member(request.user)
    in_force = ScopeVersion.objects.filter(state=ScopeState.IN_FORCE).first()
    certified = last_certified()
    open_flags = ScopeNotification.objects.exclude(state=NotificationState.ANSWERED)
    return render(
        request,
        "qms/dashboard.html",
        {
            "profile": Organisation.objects.select_related(
                "approved_body", "responsible_person"
            ).first(),
            "roles": MarketRole.objects.filter(retired_at__isnull=True),
            "in_force": in_force,
            "certified": certified,
            "rows": compare_scopes(certified, in_force),
            "flags": open_flags.select_related("scope", "certified_scope"),
            "panels": modules.dashboard_panels(request.user),
        },
    )


urlpatterns = [path("", dashboard, name="dashboard")]
