"""Medical device files: read a family's file, add and remove documents, mark sections
not applicable and applicable again."""

from __future__ import annotations

from ninja import Status

from openqms.core.http import AuthenticatedHttpRequest
from openqms.devices import access, actions
from openqms.devices.api.common import file_out, one, router
from openqms.devices.api.schemas import FileDocumentIn, FileOut, NotApplicableIn, ReasonIn
from openqms.devices.contents import file_of
from openqms.devices.models import FileSection


@router.get("/files/{code}", response=FileOut)
def file_detail(request: AuthenticatedHttpRequest, code: str):
    return file_out(file_of(access.get_family_for_user(request.user, code), request.user))


@router.post("/files/{code}/documents", response={201: FileOut})
def file_document_add(request: AuthenticatedHttpRequest, code: str, body: FileDocumentIn):
    family = access.get_family_for_user(request.user, code)
    actions.add_file_document(
        actor=request.user,
        family=family,
        section=one(FileSection.objects, "section", code=body.section),
        document=access.get_document_to_file(request.user, body.document),
    )
    return Status(201, file_out(file_of(family, request.user)))


@router.post("/files/{code}/documents/{entry_id}/remove", response=FileOut)
def file_document_remove(
    request: AuthenticatedHttpRequest, code: str, entry_id: int, body: ReasonIn
):
    family = access.get_family_for_user(request.user, code)
    entry = access.get_entry(family, entry_id)
    actions.remove_file_document(actor=request.user, entry=entry, reason=body.reason)
    return file_out(file_of(family, request.user))


@router.post("/files/{code}/sections/{section}/not-applicable", response=FileOut)
def section_not_applicable(
    request: AuthenticatedHttpRequest, code: str, section: str, body: NotApplicableIn
):
    family = access.get_family_for_user(request.user, code)
    actions.mark_not_applicable(
        actor=request.user,
        family=family,
        section=access.get_section(section),
        justification=body.justification,
    )
    return file_out(file_of(family, request.user))


@router.post("/files/{code}/sections/{section}/applies", response=FileOut)
def section_applicable(request: AuthenticatedHttpRequest, code: str, section: str, body: ReasonIn):
    family = access.get_family_for_user(request.user, code)
    actions.mark_applicable(
        actor=request.user, family=family, section=access.get_section(section), reason=body.reason
    )
    return file_out(file_of(family, request.user))
