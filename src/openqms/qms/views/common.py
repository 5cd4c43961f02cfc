"""The QMS dashboard: the certified scope beside the scope in force (differences
marked), the reassessment flag, the organisation summary, then every module's panels."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from openqms.core import modules
from openqms.core.access import require_member
from openqms.core.http import AuthenticatedHttpRequest
from openqms.documents.redline import compare_text
from openqms.qms.actions.scope import last_certified
from openqms.qms.models import (
    MarketRole,
    Organisation,
    ScopeNotification,
    ScopeState,
    ScopeVersion,
)
from openqms.qms.models.scope import OPEN_NOTIFICATION
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
    rows = [_statement_row(certified, in_force)] if certified and in_force else []
    labels = [*(label for _, label in LISTS), "Exclusions"]
    for label in labels if rows else ["Statement", *labels]:
        mine, theirs = left.get(label), right.get(label)
        rows.append(
            {
                "label": label,
                "certified": _side(mine or [], theirs),
                "in_force": _side(theirs or [], mine),
            }
        )
    return rows


def _statement_row(certified: ScopeVersion, in_force: ScopeVersion) -> dict:
    """The statement word by word, as the scope's redline shows it: the certified side
    keeps what was removed (struck out), the side in force what was added."""
    words = compare_text(certified.statement, in_force.statement)
    return {
        "label": "Statement",
        "words": True,
        "certified": [(w.text, w.kind == "removed") for w in words if w.kind != "added"],
        "in_force": [(w.text, w.kind == "added") for w in words if w.kind != "removed"],
    }


def certificate_lapsed(certified: ScopeVersion | None) -> str:
    """Why the certified scope's certificate no longer covers it ("withdrawn" or
    "expired"), or "" while it does: the dashboard must not call it certified then."""
    certificate = certified.certificate if certified else None
    if certificate is None:
        return ""
    if certificate.retired:
        return "withdrawn"
    if certificate.expires_on < timezone.localdate():
        return "expired"
    return ""


def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_member(request.user)
    in_force = ScopeVersion.objects.filter(state=ScopeState.IN_FORCE).first()
    certified = last_certified()
    open_flags = ScopeNotification.objects.filter(OPEN_NOTIFICATION)
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
            "lapsed": certificate_lapsed(certified),
            "rows": compare_scopes(certified, in_force),
            "flags": open_flags.select_related("scope", "certified_scope"),
            "panels": modules.dashboard_panels(request.user),
        },
    )


urlpatterns = [path("", dashboard, name="dashboard")]
