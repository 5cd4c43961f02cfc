"""A revision's outputs: the controlled PDF, its original files, and the redline between
two revisions.

Revisions reach these views only through documents.access (the same 404 for missing and
forbidden); files are attached and removed only through documents.actions.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateformat import format as format_date
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from openqms.core import files
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.core.views.common import attempt, form_problems
from openqms.documents import access, actions, originals, redline
from openqms.documents.forms import AttachmentForm, CompareForm, ReplaceFileForm
from openqms.documents.models import Attachment, Revision, RevisionState
from openqms.documents.pdf import render_revision
from openqms.documents.views.documents import _document, _editable, _revision

# Browsers show a PDF in their own viewer, which the pages' policy (object-src 'none')
# can block; the PDF runs none of our scripts, so its response allows the viewer only.
PDF_POLICY = "default-src 'none'; object-src 'self'; frame-ancestors 'none'"
# A PDF original shown in the browser: only ever as a PDF (never sniffed as anything
# else) and sandboxed, so a crafted file runs nothing with this site's rights.
ORIGINAL_POLICY = f"sandbox; {PDF_POLICY}"
NOT_YOURS = "Only the author changes a draft's files, and only while it is a draft."
META_LABELS = {
    "label": "Revision",
    "state": "State",
    "change_summary": "Change summary",
    "change_reason": "Change reason",
    "effective_date": "Effective date",
}


def pdf_response(revision: Revision, *, printed_by: User | None) -> HttpResponse:
    """On screen, the controlled copy (inline); to print, a download that says it is
    uncontrolled once printed, by whom and when (4.2.4 d: the relevant version at the
    point of use; paper cannot be kept current)."""
    pdf = render_revision(revision, printed_by=printed_by)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{revision.document.number}-{revision.label}.pdf"
    response["Content-Disposition"] = content_disposition_header(printed_by is not None, name)  # type: ignore[assignment]
    response["Content-Security-Policy"] = PDF_POLICY
    response["Cache-Control"] = "no-store"  # a kept copy would not follow a new revision
    return response


def file_response(attachment: Attachment) -> FileResponse:
    """The stored bytes, streamed, always as a download under the attachment's name."""
    data = files.open_stored(attachment.stored_file)
    return FileResponse(data, as_attachment=True, filename=attachment.name)


def inline_response(attachment: Attachment) -> FileResponse:
    """A PDF original to read in the browser, inline; only when its bytes are a PDF (a
    file merely named .pdf is a download of plain bytes, like every other type)."""
    data = files.open_stored(attachment.stored_file)
    head = data.read(5)
    data.seek(0)
    if originals.kind(attachment.name, head) != "pdf":
        return FileResponse(
            data,
            as_attachment=True,
            filename=attachment.name,
            content_type="application/octet-stream",
        )
    response = FileResponse(data, filename=attachment.name, content_type="application/pdf")
    response["Content-Security-Policy"] = ORIGINAL_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _attachment(revision: Revision, name: str) -> Attachment:
    attachment = revision.attachments.select_related("stored_file").filter(name=name).first()
    if attachment is None:
        raise Http404
    return attachment


def _back(request: AuthenticatedHttpRequest, revision: Revision) -> HttpResponse:
    """Back to the editor while the draft is the reader's to edit, else to the revision."""
    where = "documents:edit" if _editable(revision, request.user) else "documents:revision"
    return redirect(where, number=revision.document.number, label=revision.label)


def revision_pdf(request: AuthenticatedHttpRequest, number: str, label: str) -> HttpResponse:
    revision = _revision(request, number, label)
    printing = request.GET.get("print") == "1"
    return pdf_response(revision, printed_by=request.user if printing else None)


def attachment_download(
    request: AuthenticatedHttpRequest, number: str, label: str, name: str
) -> FileResponse:
    return file_response(_attachment(_revision(request, number, label), name))


def attachment_view(
    request: AuthenticatedHttpRequest, number: str, label: str, name: str
) -> FileResponse:
    return inline_response(_attachment(_revision(request, number, label), name))


@require_POST
def attachment_add(request: AuthenticatedHttpRequest, number: str, label: str) -> HttpResponse:
    revision = _revision(request, number, label)
    form = AttachmentForm(request.POST, request.FILES)
    if not _editable(revision, request.user):
        # Refused here, before attach_file puts the bytes in the file store.
        messages.error(request, NOT_YOURS)
    elif not form.is_valid():
        messages.error(request, f"Nothing was attached. {form_problems(form)}")
    else:
        upload = form.cleaned_data["file"]
        attempt(
            request,
            None,
            lambda: actions.attach_file(
                actor=request.user, revision=revision, name=upload.name, content=upload
            ),
            f"Attached “{files.safe_name(upload.name)}”; it is signed with the revision.",
        )
    return _back(request, revision)


@require_POST
def attachment_remove(
    request: AuthenticatedHttpRequest, number: str, label: str, name: str
) -> HttpResponse:
    revision = _revision(request, number, label)
    attachment = _attachment(revision, name)
    attempt(
        request,
        None,
        lambda: actions.remove_attachment(actor=request.user, attachment=attachment),
        f"Removed “{attachment.name}”.",
    )
    return _back(request, revision)


@require_POST
def attachment_replace(
    request: AuthenticatedHttpRequest, number: str, label: str, name: str
) -> HttpResponse:
    revision = _revision(request, number, label)
    attachment = _attachment(revision, name)
    form = ReplaceFileForm(request.POST, request.FILES)
    if not _editable(revision, request.user):
        messages.error(request, NOT_YOURS)  # before replace_attachment stores the bytes
    elif not form.is_valid():
        messages.error(request, f"Nothing was replaced. {form_problems(form)}")
    else:
        attempt(
            request,
            None,
            lambda: actions.replace_attachment(
                actor=request.user, attachment=attachment, content=form.cleaned_data["file"]
            ),
            f"Replaced “{attachment.name}”; the redline shows the change.",
        )
    return _back(request, revision)


def _label(field: str) -> str:
    return META_LABELS.get(field) or field[:1].upper() + field[1:]  # "file Flow.pdf"


def _shown(field: str, value: object) -> str:
    if value is None or value == "":
        return "—"
    if field == "state":
        return RevisionState(value).label  # type: ignore[call-overload]
    if isinstance(value, dt.date):
        return format_date(value, "j M Y")
    return str(value)


def _pair(labels: list[str]) -> dict[str, str] | None:
    """With nothing asked, the newest revision against the one before it."""
    return {"old": labels[-2], "new": labels[-1]} if len(labels) > 1 else None


def revision_compare(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    document = _document(request, number)
    visible = access.visible_revisions(request.user).filter(document=document)
    revisions = {r.label: r for r in visible.order_by("sequence")}
    labels = list(revisions)
    asked = "old" in request.GET or "new" in request.GET
    form = CompareForm(request.GET if asked else _pair(labels), labels=labels)
    result, changes = None, []
    if form.is_bound and form.is_valid():
        old, new = revisions[form.cleaned_data["old"]], revisions[form.cleaned_data["new"]]
        result = redline.compare(old, new)
        changes = [(_label(f), _shown(f, a), _shown(f, b)) for f, a, b in result.metadata]
    context = {"document": document, "form": form, "redline": result, "changes": changes}
    return render(request, "documents/compare.html", context | {"enough": len(labels) > 1})
