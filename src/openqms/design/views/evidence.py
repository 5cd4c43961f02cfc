"""Evidence pages: a project's test runs from CI, and one run's results with the item
each case verifies, its outcome and whether it is stale (tested an earlier version)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from openqms.core.http import AuthenticatedHttpRequest
from openqms.design import access
from openqms.design.models import DesignProject, TestRun

RUNS_PER_PAGE = 50
RESULTS_PER_PAGE = 100


def run_list(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk)
    runs = project.test_runs.select_related("baseline", "ingested_by").order_by(
        "-ingested_at", "-pk"
    )
    page = Paginator(runs, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "design/evidence/runs.html",
        {"project": project, "page": page, "rows": list(page.object_list)},
    )


def run_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    runs = TestRun.objects.select_related("project", "baseline", "ingested_by")
    run = access.get_for_user(request.user, runs, pk)
    unlinked_only = request.GET.get("show") == "unlinked"
    results = run.results.select_related("item").order_by("pk")
    if unlinked_only:
        results = results.filter(item=None)
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(r, bool(r.item and (r.item_version or 0) < r.item.version)) for r in page.object_list]
    return render(
        request,
        "design/evidence/run.html",
        {
            "run": run,
            "summary": run.summary,
            "page": page,
            "rows": rows,
            "query": "show=unlinked" if unlinked_only else "",
            "unlinked_only": unlinked_only,
        },
    )
