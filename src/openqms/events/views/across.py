"""Pages across every kind of quality record: the overview dashboard, CSV/XLSX export of
a kind's list, the record PDF, links typed by hand (added and removed from the record's
page), and the procedures each kind follows."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, attempt_posted
from openqms.events import access, dashboard, export, pdf
from openqms.events.actions import across as actions
from openqms.events.forms.across import LinkForm, ProcedureForm
from openqms.events.kinds import KINDS, Kind
from openqms.events.models import EventProcedure
from openqms.events.registry import CONFIGURE

FORMATS = {
    "csv": ("text/csv; charset=utf-8", export.as_csv),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        export.as_xlsx,
    ),
}


def kind_model(code: str) -> tuple[Kind, type[Model]]:
    """The kind named in a URL and its model; 404 for an unknown or uninstalled one."""
    kind = KINDS.get(code)
    if kind is None:
        raise Http404
    try:
        return kind, apps.get_model(kind.model)
    except LookupError:
        raise Http404 from None


def record_of(request: AuthenticatedHttpRequest, code: str, pk: int) -> Model:
    _kind, model = kind_model(code)
    base = model.objects.select_related("owner", "device")  # type: ignore[attr-defined]
    return access.get_for_user(request.user, base, pk)


def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    return render(request, "events/across/dashboard.html", dashboard.overview(request.user))


def export_list(request: AuthenticatedHttpRequest, kind: str, fmt: str) -> HttpResponse:
    access.require_reader(request.user)
    found, model = kind_model(kind)
    if fmt not in FORMATS:
        raise Http404
    records = model.objects.select_related("owner", "device").order_by("-opened_at", "-pk")  # type: ignore[attr-defined]
    if request.GET.get("open"):
        records = records.filter(closed_at__isnull=True)
    now = timezone.now()
    content_type, write = FORMATS[fmt]
    response = HttpResponse(write(found, model, records, now), content_type=content_type)
    name = f"{found.code}-{now:%Y%m%dT%H%MZ}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def record_pdf(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    record = record_of(request, kind, pk)
    response = HttpResponse(pdf.render(record, viewer=request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{record.number}.pdf"'  # type: ignore[attr-defined]
    return response


@require_POST
def link_add(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    record = record_of(request, kind, pk)
    attempt_posted(
        request,
        LinkForm(request.POST),
        lambda data: actions.link_record(actor=request.user, record=record, **data),
        "Records linked.",
        nothing="Nothing was linked.",
    )
    return redirect(record.get_absolute_url())  # type: ignore[attr-defined]


@require_POST
def link_remove(request: AuthenticatedHttpRequest, kind: str, pk: int, link: int) -> HttpResponse:
    record = record_of(request, kind, pk)
    attempt(
        request,
        None,
        lambda: actions.remove_link(
            actor=request.user, record=record, link_id=link, reason=request.POST.get("reason", "")
        ),
        "Link removed; it is kept on record.",
    )
    return redirect(record.get_absolute_url())  # type: ignore[attr-defined]


def procedures(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    may_set = has_permission(request.user, CONFIGURE)
    if request.method == "POST":
        if not may_set:
            raise Http404
        code = request.POST.get("kind", "")
        form = ProcedureForm(request.POST, prefix=code)
        attempt_posted(
            request,
            form,
            lambda data: actions.set_procedure(
                actor=request.user, kind=code, document=data["document"]
            ),
            "Procedure set.",
        )
        return redirect("events:procedures")
    set_ = {p.kind: p for p in EventProcedure.objects.select_related("document", "set_by")}
    rows = [
        (
            kind,
            set_.get(code),
            ProcedureForm(
                initial={"document": getattr(set_.get(code), "document_id", None)}, prefix=code
            ),
        )
        for code, kind in KINDS.items()
    ]
    return render(request, "events/across/procedures.html", {"rows": rows, "may_set": may_set})
