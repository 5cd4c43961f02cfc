"""The process register's pages and the process map (ISO 13485 4.1.2, 4.1.3).

Everyone signed in reads them; changing a process needs qms.process:manage. Every change
goes through qms.actions.processes, which audits it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission, require_or_404
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.core.views.common import attempt, attempt_with_reason
from openqms.documents.models import Revision, RevisionState
from openqms.qms import access, map
from openqms.qms.actions import processes as actions
from openqms.qms.forms.processes import ProcessForm, initial_of
from openqms.qms.models import Process, ProcessRisk
from openqms.qms.registry import PROCESSES

PAGE_SIZE = 50


def _filtered(request: AuthenticatedHttpRequest):
    processes = access.visible_processes(request.user)
    owner, risk = request.GET.get("owner", ""), request.GET.get("risk", "")
    outsourced, retired = request.GET.get("outsourced", ""), request.GET.get("retired", "")
    if owner:
        processes = processes.filter(owner__username=owner)
    if risk in ProcessRisk.values:
        processes = processes.filter(risk=risk)
    if outsourced in ("yes", "no"):
        processes = processes.filter(outsourced=outsourced == "yes")
    if retired != "yes":
        processes = processes.filter(retired_at__isnull=True)
    return processes


def process_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    processes = _filtered(request).annotate(
        document_count=Count("documents", distinct=True),
        feeds_count=Count("feeds", distinct=True),
    )
    page = Paginator(processes.order_by("code"), PAGE_SIZE).get_page(request.GET.get("page"))
    owners = User.objects.filter(pk__in=Process.objects.values("owner_id")).order_by("full_name")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "owners": owners,
        "risks": ProcessRisk.choices,
        "chosen": request.GET,
        "query": query.urlencode(),
        "can_manage": has_permission(request.user, PROCESSES),
    }
    return render(request, "qms/process_list.html", context)


def process_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    process = access.get_process_for_user(request.user, pk)
    in_force = Revision.objects.filter(state=RevisionState.EFFECTIVE)
    documents = process.documents.order_by("number").prefetch_related(
        Prefetch("revisions", queryset=in_force, to_attr="revisions_in_force")
    )
    context = {
        "process": process,
        "feeds": process.feeds.order_by("code"),
        "fed_by": process.fed_by.order_by("code"),
        "kpis": process.kpis.filter(retired_at__isnull=True),
        "documents": documents,
        "can_manage": has_permission(request.user, PROCESSES) and not process.retired,
    }
    return render(request, "qms/process_detail.html", context)


def process_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_or_404(request.user, PROCESSES)
    form = ProcessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        process = attempt(
            request,
            form,
            lambda: actions.create_process(actor=request.user, **form.cleaned_data),
            "Process added to the register.",
        )
        if process:
            return redirect("qms:process", pk=process.pk)
    return render(request, "qms/process_form.html", {"form": form, "process": None})


def process_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    process = access.get_process_for_user(request.user, pk, need=PROCESSES)
    if process.retired:
        return redirect("qms:process", pk=process.pk)
    initial = initial_of(process)
    form = ProcessForm(request.POST or None, initial=initial, process=process)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form,
            lambda: actions.edit_process(actor=request.user, process=process, **form.cleaned_data),
            "Process saved.",
        )
        if done:
            return redirect("qms:process", pk=process.pk)
    return render(request, "qms/process_form.html", {"form": form, "process": process})


@require_POST
def process_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    process = access.get_process_for_user(request.user, pk, need=PROCESSES)
    attempt_with_reason(
        request,
        lambda reason: actions.retire_process(actor=request.user, process=process, reason=reason),
        "Process retired: it stays in the register and leaves the map.",
    )
    return redirect("qms:process", pk=process.pk)


def process_map(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    nodes, edges = map.processes_for_map()
    svg = map.render_svg(nodes, edges)
    code = {n.pk: n.code for n in nodes}
    items = [(n, sorted(code[b] for a, b in edges if a == n.pk)) for n in nodes]
    context = {
        "svg": mark_safe(svg),  # noqa: S308 - built by map.py, every text escaped there
        "items": sorted(items, key=lambda item: item[0].code),
    }
    return render(request, "qms/process_map.html", context)


def process_map_svg(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    nodes, edges = map.processes_for_map()
    svg = '<?xml version="1.0" encoding="UTF-8"?>\n' + map.render_svg(nodes, edges, standalone=True)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = 'attachment; filename="process-map.svg"'
    return response


urlpatterns = [
    path("processes/", process_list, name="processes"),
    path("processes/new/", process_create, name="process-create"),
    path("processes/map/", process_map, name="process-map"),
    path("processes/map.svg", process_map_svg, name="process-map-svg"),
    path("processes/<int:pk>/", process_detail, name="process"),
    path("processes/<int:pk>/edit/", process_edit, name="process-edit"),
    path("processes/<int:pk>/retire/", process_retire, name="process-retire"),
]
