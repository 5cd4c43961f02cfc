"""Reading pages: paged lists take a constant number of queries however many rows."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from openqms.core.access import has_permission
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.links import linked
from openqms.design import access
from openqms.design.actions.software import PROBLEMS, SOUP_REVIEW, review_needs
from openqms.design.models import (
    ProblemReport,
    SafetyClass,
    SbomImport,
    SoftwareItem,
    SoftwareSystem,
    SoupItem,
    SoupState,
)
from openqms.design.models.software import DELIVERABLES, checklist
from openqms.design.registry import EDIT

PAGE_SIZE = 25


def _page(request: AuthenticatedHttpRequest, rows: Any) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def systems() -> Any:
    return SoftwareSystem.objects.select_related("device")


def system_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, None)
    page = _page(request, access.visible(request.user, systems()).order_by("device__name", "name"))
    return render(
        request,
        "design/software/systems.html",
        {
            "page": page,
            "rows": list(page.object_list),
            "can_edit": has_permission(request.user, EDIT),
            "classes": SafetyClass.choices,
        },
    )


def _tree(items: list[SoftwareItem]) -> list[tuple[int, SoftwareItem]]:
    """(depth, item) in tree order."""
    children: dict[int | None, list[SoftwareItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    out: list[tuple[int, SoftwareItem]] = []

    def walk(parent: int | None, depth: int) -> None:
        for item in children.get(parent, []):
            out.append((depth, item))
            walk(item.pk, depth + 1)

    walk(None, 0)
    return out


def system_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    system = access.get_for_user(request.user, systems(), pk)
    items = list(SoftwareItem.objects.filter(system=system).order_by("name"))
    rows = checklist(system)
    soup = SoupItem.objects.filter(system=system)
    return render(
        request,
        "design/software/system.html",
        {
            "system": system,
            "checklist": rows,
            "missing": sum(1 for r in rows if r.evidence is None),
            "deliverables": [d for d in DELIVERABLES if system.safety_class in d.classes],
            "tree": _tree(items),
            "items": items,
            "problems": ProblemReport.objects.filter(system=system).order_by("-number")[:10],
            "imports": SbomImport.objects.filter(system=system).select_related("imported_by")[:5],
            "soup_count": soup.exclude(state=SoupState.REMOVED).count(),
            "soup_waiting": soup.filter(state=SoupState.NEEDS_REVIEW).count(),
            "can_edit": has_permission(request.user, EDIT),
            "classes": SafetyClass.choices,
        },
    )


def problem_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    system = access.get_for_user(request.user, systems(), pk)
    found = ProblemReport.objects.filter(system=system).select_related("software_item")
    state = request.GET.get("state", "")
    if state:
        found = found.filter(state=state)
    page = _page(request, found.order_by("-number"))
    return render(
        request,
        "design/software/problems.html",
        {"system": system, "page": page, "rows": list(page.object_list), "state": state},
    )


def problem_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    queryset = ProblemReport.objects.select_related("system__device", "software_item", "created_by")
    report = access.get_for_user(request.user, queryset, pk)
    return render(
        request,
        "design/software/problem.html",
        {
            "report": report,
            "steps": [t.name for t in PROBLEMS.available(report, request.user)],
            "links": linked(request.user, report),
            "can_edit": has_permission(request.user, EDIT),
        },
    )


def soup_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    system = access.get_for_user(request.user, systems(), pk)
    found = SoupItem.objects.filter(system=system)
    state = request.GET.get("state", "")
    if state in SoupState.values:
        found = found.filter(state=state)
    page = _page(request, found.order_by("name"))
    return render(
        request,
        "design/software/soup_list.html",
        {
            "system": system,
            "page": page,
            "rows": list(page.object_list),
            "state": state,
            "states": SoupState.choices,
        },
    )


def soup_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    queryset = SoupItem.objects.select_related("system__device")
    soup = access.get_for_user(request.user, queryset, pk)
    return render(
        request,
        "design/software/soup.html",
        {
            "soup": soup,
            "risks": list(soup.risks.select_related("project").order_by("uid")),
            "can_review": bool(SOUP_REVIEW.available(soup, request.user)),
            "review_needs": review_needs(soup) if soup.state == SoupState.NEEDS_REVIEW else None,
            "can_edit": has_permission(request.user, EDIT),
        },
    )


def sbom_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    system = access.get_for_user(request.user, systems(), pk)
    found = SbomImport.objects.filter(system=system).select_related("imported_by")
    page = _page(request, found)
    return render(
        request,
        "design/software/sbom_list.html",
        {
            "system": system,
            "page": page,
            "rows": list(page.object_list),
            "can_edit": has_permission(request.user, EDIT),
        },
    )


def sbom_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    queryset = SbomImport.objects.select_related("system__device", "imported_by")
    found = access.get_for_user(request.user, queryset, pk)
    return render(request, "design/software/sbom.html", {"sbom": found, "summary": found.summary})
