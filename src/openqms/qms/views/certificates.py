"""Certificates: the list (expiring soonest first), a certificate's page with its PDF,
add, edit and withdraw. Every signed-in person reads them; keeping them needs
qms.certification:manage (the actions check it again)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqms.core import files
from openqms.core.access import has_permission, require_or_404
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, attempt_with_reason
from openqms.qms import access, reminders
from openqms.qms.actions import certificates as actions
from openqms.qms.forms.certificates import CertificateForm, initial_of
from openqms.qms.models import Certificate, DeviceFamily
from openqms.qms.registry import CERTIFICATION

PAGE_SIZE = 50


def certificate_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    access.require_reader(request.user)
    today = timezone.localdate()
    certificates = (
        access.visible_certificates(request.user)
        .select_related("body")
        .prefetch_related(Prefetch("families", DeviceFamily.objects.order_by("code")))
        # current ones first, the soonest expiry first (expired ones lead); then withdrawn
        .order_by(F("retired_at").asc(nulls_first=True), "expires_on", "pk")
    )
    page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(c, reminders.standing(c, today)) for c in page]
    context = {
        "page": page,
        "rows": rows,
        "can_manage": has_permission(request.user, CERTIFICATION),
    }
    return render(request, "qms/certificates.html", context)


def certificate_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    certificate = access.get_certificate_for_user(request.user, pk)
    context = {
        "certificate": certificate,
        "standing": reminders.standing(certificate, timezone.localdate()),
        "families": certificate.families.order_by("code"),
        "can_manage": has_permission(request.user, CERTIFICATION),
    }
    return render(request, "qms/certificate.html", context)


def _save(request: AuthenticatedHttpRequest, certificate: Certificate | None) -> HttpResponse:
    require_or_404(request.user, CERTIFICATION)
    form = CertificateForm(
        request.POST or None,
        request.FILES or None,
        certificate=certificate,
        initial=initial_of(certificate) if certificate else None,
    )
    if request.method == "POST" and form.is_valid():
        saved = _submit(request, form, certificate)
        if saved:
            return redirect("qms:certificate", pk=saved.pk)
    context = {"form": form, "certificate": certificate}
    return render(request, "qms/certificate_form.html", context)


def _submit(
    request: AuthenticatedHttpRequest, form: CertificateForm, certificate: Certificate | None
) -> Certificate | None:
    """Add or edit through the action; None (the form showing why) when refused."""
    data = form.certificate_data(form.cleaned_data["body"])
    data.new_body = form.cleaned_data["new_body"]
    data.new_body_kind = form.cleaned_data["new_body_kind"] or data.new_body_kind
    upload = form.cleaned_data["file"]
    if certificate is None:
        return attempt(
            request,
            form,
            lambda: actions.add_certificate(actor=request.user, data=data, file=upload),
            "Certificate added.",
        )
    return attempt(
        request,
        form,
        lambda: actions.edit_certificate(
            actor=request.user,
            certificate=certificate,
            data=data,
            file=upload,
            reason=form.cleaned_data["reason"],
        ),
        "Certificate saved; the change is in the audit trail.",
    )


def certificate_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _save(request, None)


def certificate_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    certificate = access.get_certificate_for_user(request.user, pk)
    if certificate.retired:
        raise Http404
    return _save(request, certificate)


@require_POST
def certificate_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    require_or_404(request.user, CERTIFICATION)
    certificate = access.get_certificate_for_user(request.user, pk)
    attempt_with_reason(
        request,
        lambda reason: actions.withdraw_certificate(
            actor=request.user, certificate=certificate, reason=reason
        ),
        f"Withdrew {certificate}; it is kept on record.",
    )
    return redirect("qms:certificate", pk=pk)


def certificate_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    certificate = access.get_certificate_for_user(request.user, pk)
    if certificate.file is None:
        raise Http404
    name = files.safe_name(f"{certificate.get_kind_display()} {certificate.number}.pdf")
    return FileResponse(files.open_stored(certificate.file), as_attachment=True, filename=name)


urlpatterns = [
    path("certificates/", certificate_list, name="certificates"),
    path("certificates/new/", certificate_add, name="certificate-add"),
    path("certificates/<int:pk>/", certificate_detail, name="certificate"),
    path("certificates/<int:pk>/edit/", certificate_edit, name="certificate-edit"),
    path("certificates/<int:pk>/withdraw/", certificate_withdraw, name="certificate-withdraw"),
    path("certificates/<int:pk>/file/", certificate_file, name="certificate-file"),
]
