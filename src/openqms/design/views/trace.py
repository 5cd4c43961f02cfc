"""The project's trace page (gaps per rule, the matrix with filters, export links) and
the matrix exports. Everyone with a role reads; a constant number of queries however
many items (the matrix is built in memory from three queries, then paged)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from openqms.core.errors import InvalidInput, NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.design import access, matrix, trace
from openqms.design.matrix import exports
from openqms.design.models import DesignProject, Gap, ItemType

PAGE_SIZE = 50


def _filters(request: AuthenticatedHttpRequest) -> dict:
    get = request.GET
    return {
        "from_type": get.get("from", "")[:40] or None,
        "to_type": get.get("to", "")[:40] or None,
        "only_gaps": get.get("only_gaps") in ("1", "on", "true"),
        "search": get.get("q", "")[:200],
    }


def summary(project_id: int) -> list[tuple[str, str, int]]:
    """(rule, message, open gaps) for every rule with a gap, in rule order."""
    messages = trace.Config.load().messages
    counts = (
        Gap.objects.filter(project_id=project_id)
        .values_list("rule")
        .annotate(n=Count("pk"))
        .order_by("rule")
        .values_list("rule", "n")
    )
    return [(rule, messages.get(rule, rule), n) for rule, n in counts]


def trace_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk)
    filters = _filters(request)
    error = ""
    try:
        ends = matrix.levels(project.pk, filters["from_type"], filters["to_type"])
        rows = matrix.rows(project.pk, **filters)
    except InvalidInput as exc:
        ends, rows, error = None, [], exc.message
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(
        request,
        "design/trace/page.html",
        {
            "project": project,
            "summary": summary(project.pk),
            "labels": trace.Config.load().messages,
            "ends": ends,
            "page": page,
            "rows": page.object_list,
            "error": error,
            "filters": filters,
            "types": ItemType.objects.all(),
            "query": urlencode(kept),
        },
    )


def trace_export(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk)
    suffix = f".{fmt}"
    if suffix not in exports.FORMATS:
        raise NotFound()
    data = exports.render(project, suffix, viewer=request.user, **_filters(request))
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[suffix])
    name = f"trace-matrix-{slugify(project.name) or project.pk}{suffix}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
