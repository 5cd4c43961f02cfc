"""The audit trail page: filter, keyset pages, export of the filtered view."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from openqms.core import access, trail
from openqms.core.forms import AuditFilterForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import AuditEvent


def _filtered(request: AuthenticatedHttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    events = access.audit_events_for_user(request.user)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return form, events.none()
    data = form.cleaned_data
    event_filter = trail.EventFilter(
        object_type=data["object_type"],
        object_id=data["object_id"],
        username=data["user"],
        action=data["action"],
        since=data["since"],
        until=data["until"],
    )
    return form, event_filter.apply(events)


def audit_trail(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, events = _filtered(request)
    before = form.cleaned_data.get("before") if form.is_valid() else None
    rows, older = trail.page(events, before=before, size=settings.AUDIT_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("before", None)
    template = "core/_audit_rows.html" if request.htmx else "core/audit_trail.html"
    return render(
        request,
        template,
        {
            "form": form,
            "events": rows,
            "older": older,
            "query": query.urlencode(),
        },
    )


def audit_export(request: AuthenticatedHttpRequest, fmt: str) -> StreamingHttpResponse:
    if fmt not in {"csv", "json"}:
        raise Http404
    _, events = _filtered(request)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    if fmt == "csv":
        response = StreamingHttpResponse(trail.export_csv(events), content_type="text/csv")
    else:
        response = StreamingHttpResponse(trail.export_json(events), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="openqms-audit-{stamp}.{fmt}"'
    return response
