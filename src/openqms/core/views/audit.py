"""The audit trail page: filter, keyset pages, export of the filtered view.

Every event names its record as people say it and links to it; events of records the
viewer cannot open show no content, health data only to holders (core.trail)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from openqms.core import access, confidentiality, trail
from openqms.core.forms import AuditFilterForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import AuditEvent
from openqms.core.registry import AUDIT_REVIEW


def event_filter(form: AuditFilterForm) -> trail.EventFilter:
    data = form.cleaned_data
    return trail.EventFilter(
        object_type=data["object_type"],
        object_id=data["object_id"],
        username=data["user"],
        record=data["record"],
        action=data["action"],
        since=data["since"],
        until=data["until"],
    )


def _filtered(request: AuthenticatedHttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    events = access.audit_events_for_user(request.user)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return form, events.none()
    return form, event_filter(form).apply(events, request.user)


def audit_trail(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, events = _filtered(request)
    before = form.cleaned_data.get("before") if form.is_valid() else None
    found, older = trail.page(events, before=before, size=settings.AUDIT_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("before", None)
    template = "core/_audit_rows.html" if request.htmx else "core/audit_trail.html"
    review_url = ""
    if form.is_valid() and access.has_permission(request.user, AUDIT_REVIEW):
        filters = event_filter(form).as_query()
        review_url = reverse("core:audit-review-new") + "?" + urlencode(filters)
    return render(
        request,
        template,
        {
            "form": form,
            "rows": trail.rows_for(request.user, found),
            "events": found,
            "older": older,
            "query": query.urlencode(),
            "time_zone": settings.TIME_ZONE,
            "review_url": review_url,
        },
    )


def audit_export(request: AuthenticatedHttpRequest, fmt: str) -> StreamingHttpResponse:
    if fmt not in {"csv", "json"}:
        raise Http404
    _, events = _filtered(request)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    viewer = request.user
    shown = trail.disclosure(events, viewer)  # health data: revealed (reads recorded) or not
    if fmt == "csv":
        chunks = trail.export_csv(events, viewer, shown)
        response = StreamingHttpResponse(chunks, content_type="text/csv")
    else:
        chunks = trail.export_json(events, viewer, shown)
        response = StreamingHttpResponse(chunks, content_type="application/json")
    name = f"openqms-audit-{stamp}{'-health-data' if shown.marked else ''}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if shown.marked:
        response["X-OpenQMS-Confidentiality"] = confidentiality.MARK
    return response
