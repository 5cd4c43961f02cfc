"""Device families' pages in the register and their medical device files (ISO 13485
4.2.3): the list of files with their completeness, a family's models and file, the
file's changes, and its export as one PDF or a ZIP of controlled copies."""

from __future__ import annotations

from django.db.models import Count
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission, require_member
from openqms.core.errors import NotFound
from openqms.core.forms import ReasonForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt_posted, attempt_with_reason
from openqms.devices import access, actions
from openqms.devices.contents import file_of
from openqms.devices.forms import FileDocumentForm, NotApplicableForm
from openqms.devices.models import FileEntry, FileSection, FileSectionMark
from openqms.devices.pdf import export_pdf, export_zip
from openqms.devices.registry import MANAGE
from openqms.documents import access as documents_access
from openqms.qms.models import DeviceFamily


def file_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every family's file: how many sections are complete (a few queries in all)."""
    require_member(request.user)
    families = list(
        DeviceFamily.objects.annotate(models=Count("devices", distinct=True)).order_by(
            "retired_at", "code"
        )
    )
    sections = FileSection.objects.count()
    marked = dict(
        FileSectionMark.objects.filter(removed_at=None)
        .values("family")
        .annotate(n=Count("pk"))
        .values_list("family", "n")
    )
    in_force = dict(
        FileEntry.objects.filter(removed_at=None, document__in_force=True)
        .values("family")
        .annotate(n=Count("section", distinct=True))
        .values_list("family", "n")
    )
    rows = [(f, min(sections, marked.get(f.pk, 0) + in_force.get(f.pk, 0))) for f in families]
    return render(request, "devices/files.html", {"rows": rows, "sections": sections})


def family_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    family = access.get_family_for_user(request.user, code)
    devices = (
        access.visible_devices(request.user).filter(family=family).select_related("device_class")
    )
    context = {
        "family": family,
        "devices": devices,
        "file": file_of(family, request.user),
        "manages": has_permission(request.user, MANAGE) and not family.retired,
        "document_form": FileDocumentForm(auto_id="doc-%s"),
        "na_form": NotApplicableForm(auto_id=False),
        "reason_form": ReasonForm(auto_id=False),
    }
    return render(request, "devices/family.html", context)


@require_POST
def file_document_add(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    family = access.get_family_for_user(request.user, code)
    attempt_posted(
        request,
        FileDocumentForm(request.POST),
        lambda data: actions.add_file_document(
            actor=request.user,
            family=family,
            section=data["section"],
            document=access.get_document_to_file(request.user, data["document"]),
        ),
        "Document added to the file.",
    )
    return redirect("devices:family", code=family.code)


@require_POST
def file_document_remove(request: AuthenticatedHttpRequest, code: str, pk: int) -> HttpResponse:
    family = access.get_family_for_user(request.user, code)
    entry = access.get_entry(family, pk)
    attempt_with_reason(
        request,
        lambda reason: actions.remove_file_document(actor=request.user, entry=entry, reason=reason),
        "Document removed from the file.",
    )
    return redirect("devices:family", code=family.code)


@require_POST
def section_not_applicable(
    request: AuthenticatedHttpRequest, code: str, section: str
) -> HttpResponse:
    family = access.get_family_for_user(request.user, code)
    row = access.get_section(section)
    attempt_posted(
        request,
        NotApplicableForm(request.POST),
        lambda data: actions.mark_not_applicable(
            actor=request.user, family=family, section=row, **data
        ),
        "Section marked not applicable.",
    )
    return redirect("devices:family", code=family.code)


@require_POST
def section_applicable(request: AuthenticatedHttpRequest, code: str, section: str) -> HttpResponse:
    family = access.get_family_for_user(request.user, code)
    row = access.get_section(section)
    attempt_with_reason(
        request,
        lambda reason: actions.mark_applicable(
            actor=request.user, family=family, section=row, reason=reason
        ),
        "Section applies again.",
    )
    return redirect("devices:family", code=family.code)


def file_export(request: AuthenticatedHttpRequest, code: str, fmt: str) -> FileResponse:
    """The file with its documents' text: for who may read documents (404 otherwise)."""
    family = access.get_family_for_user(request.user, code)
    documents_access.require_reader(request.user)
    if fmt == "pdf":
        stream, kind = export_pdf(family, request.user), "application/pdf"
    elif fmt == "zip":
        stream, kind = export_zip(family, request.user), "application/zip"
    else:
        raise NotFound()
    name = f"{family.code}-medical-device-file.{fmt}"
    return FileResponse(stream, as_attachment=True, filename=name, content_type=kind)
