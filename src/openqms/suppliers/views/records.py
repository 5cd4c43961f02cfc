"""Supplier certificates and performance records, posted from the supplier's page."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from openqms.core import files
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt_posted, attempt_with_reason
from openqms.suppliers import access, actions
from openqms.suppliers.forms import CertificateForm, PerformanceForm
from openqms.suppliers.registry import MANAGE


@require_POST
def certificate_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    supplier = access.get_supplier_for_user(request.user, pk, need=MANAGE)
    form = CertificateForm(request.POST, request.FILES)

    def add(data: dict):
        upload = data.pop("file")
        return actions.add_certificate(
            actor=request.user,
            supplier=supplier,
            file_name=upload.name if upload else "",
            file_content=upload,
            **data,
        )

    attempt_posted(request, form, add, "Certificate added.")
    return redirect("suppliers:detail", pk=supplier.pk)


def certificate_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    cert = access.get_certificate_for_user(request.user, pk)
    if cert.file is None:
        raise Http404
    return FileResponse(files.open_stored(cert.file), as_attachment=True, filename=cert.file_name)


@require_POST
def certificate_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cert = access.get_certificate_for_user(request.user, pk, need=MANAGE)
    attempt_with_reason(
        request,
        lambda reason: actions.retire_certificate(
            actor=request.user, certificate=cert, reason=reason
        ),
        "Certificate retired; it is kept on record.",
    )
    return redirect("suppliers:detail", pk=cert.supplier_id)


@require_POST
def performance_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    supplier = access.get_supplier_for_user(request.user, pk, need=MANAGE)
    form = PerformanceForm(request.POST)
    attempt_posted(
        request,
        form,
        lambda data: actions.record_performance(actor=request.user, supplier=supplier, **data),
        "Performance recorded.",
    )
    return redirect("suppliers:detail", pk=supplier.pk)


@require_POST
def performance_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = access.get_performance_for_user(request.user, pk, need=MANAGE)
    attempt_with_reason(
        request,
        lambda reason: actions.withdraw_performance(
            actor=request.user, record=record, reason=reason
        ),
        "Performance record withdrawn; it is kept on record.",
    )
    return redirect("suppliers:detail", pk=record.supplier_id)
