"""Design project pages: the list (paged, a constant number of queries), create one, and
a project's summary with the ways into its items, trace, baselines and imports."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render

from openqms.core.access import has_permission
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt
from openqms.design import access
from openqms.design.actions import items as actions
from openqms.design.forms import ProjectForm
from openqms.design.models import (
    DesignProject,
    Gap,
    Item,
    ItemState,
    ItemType,
    Link,
    LinkState,
    RiskFile,
    SoftwareSystem,
)
from openqms.design.registry import CONFIGURE, EDIT

# The item pages live in views/items.py; urls.py names every page of this area through
# this module, so the shared urls.py keeps its one import line.
from openqms.design.views.items import (  # noqa: F401
    item_create,
    item_detail,
    item_edit,
    item_list,
    item_retire,
    link_add,
    link_clear,
    link_remove,
    suspect_list,
)

PAGE_SIZE = 25


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """A correlated count (one subquery per column, never a join that multiplies rows)."""
    counted = queryset.order_by().values("project").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def projects_with_counts(queryset: QuerySet[DesignProject]) -> QuerySet[DesignProject]:
    here = {"project": OuterRef("pk")}
    return queryset.select_related("device", "current_baseline", "development_plan").annotate(
        item_count=_count(Item.objects.filter(**here, state=ItemState.ACTIVE)),
        gap_count=_count(Gap.objects.filter(**here)),
        suspect_count=_count(Link.objects.filter(**here, state=LinkState.SUSPECT)),
    )


def project_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, None)
    found = projects_with_counts(access.visible(request.user, DesignProject.objects.all()))
    page = Paginator(found.order_by("name"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "design/pages/projects.html",
        {
            "page": page,
            "rows": list(page.object_list),
            "can_edit": has_permission(request.user, EDIT),
            "can_configure": has_permission(request.user, CONFIGURE),
        },
    )


def project_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.need(request.user, EDIT)
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        made = attempt(
            request,
            form,
            lambda: actions.create_project(actor=request.user, **form.cleaned_data),
            "Design project created. Add its items or import them.",
        )
        if made:
            return redirect("design:project", pk=made.pk)
    return render(request, "design/pages/project_form.html", {"form": form})


def project_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = access.get_for_user(
        request.user, projects_with_counts(DesignProject.objects.all()), pk
    )
    counts = (
        Item.objects.filter(project=project)
        .values("item_type")
        .annotate(
            active=Count("pk", filter=Q(state=ItemState.ACTIVE)),
            retired=Count("pk", filter=Q(state=ItemState.RETIRED)),
        )
    )
    gaps = (
        Gap.objects.filter(project=project)
        .values("item__item_type")
        .annotate(n=Count("item", distinct=True))
    )
    by_type = {row["item_type"]: row for row in counts}
    gaps_by_type = {row["item__item_type"]: row["n"] for row in gaps}
    summary = [
        {
            "type": kind,
            "active": by_type.get(kind.pk, {}).get("active", 0),
            "retired": by_type.get(kind.pk, {}).get("retired", 0),
            "with_gaps": gaps_by_type.get(kind.pk, 0),
        }
        for kind in ItemType.objects.all()
    ]
    return render(
        request,
        "design/pages/project.html",
        {
            "project": project,
            "summary": summary,
            "can_edit": has_permission(request.user, EDIT),
            # The same device's risk file and software systems (ISO 14971, IEC 62304).
            "risk_file": RiskFile.objects.filter(device_id=project.device_id).first()
            if project.device_id
            else None,
            "systems": list(SoftwareSystem.objects.filter(device_id=project.device_id))
            if project.device_id
            else [],
        },
    )
