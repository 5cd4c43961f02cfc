"""Certificates over the API: list (soonest expiry first), read, add, edit, withdraw,
and the certificate's PDF (download, or a new one uploaded). The same actions as the
pages, so both audit alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Prefetch
from django.http import FileResponse
from django.utils import timezone
from ninja import File, Query, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from openqms.core import files
from openqms.core.api import MEMBERS
from openqms.core.errors import InvalidInput, NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.qms import access, reminders
from openqms.qms.actions import certificates as actions
from openqms.qms.actions.certificates import CertificateData
from openqms.qms.api import router
from openqms.qms.models import ApprovedBody, BodyKind, Certificate, CertificateKind, DeviceFamily

NO_NUL = r"^[^\x00]*$"


READERS = MEMBERS  # anyone holding a role; 404 for someone with none


class CertificateIn(Schema):
    kind: CertificateKind
    number: str = Field(max_length=100, pattern=NO_NUL)
    body_id: int | None = Field(None, description="The issuing body; or name it in new_body")
    new_body: str = Field("", max_length=200, pattern=NO_NUL)
    new_body_kind: BodyKind = BodyKind.UK_APPROVED
    scope_text: str = Field(max_length=5000, pattern=NO_NUL)
    families: list[str] = Field([], max_length=200, description="Device family codes")
    issued_on: dt.date
    expires_on: dt.date
    next_surveillance: dt.date | None = None
    recertification_due: dt.date | None = None


class CertificateEditIn(CertificateIn):
    reason: str = Field("", max_length=1000, pattern=NO_NUL)


class ReasonIn(Schema):
    reason: str = Field(max_length=1000, pattern=NO_NUL)


class CertificateOut(Schema):
    id: int
    kind: str
    number: str
    body: str
    body_id: int
    scope_text: str
    families: list[str]
    issued_on: dt.date
    expires_on: dt.date
    next_surveillance: dt.date | None
    recertification_due: dt.date | None
    state: str = Field(description="valid, expires in N days, expired or withdrawn")
    withdrawn: bool
    withdraw_reason: str
    file_sha256: str | None


class CertificatePage(Schema):
    items: list[CertificateOut]
    next_offset: int | None = Field(None, description="Pass as `offset` for the next page")


class PageQuery(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)


def _out(c: Certificate, today: dt.date) -> dict[str, Any]:
    return {
        "id": c.pk,
        "kind": c.kind,
        "number": c.number,
        "body": str(c.body),
        "body_id": c.body_id,
        "scope_text": c.scope_text,
        "families": [f.code for f in c.families.all()],
        "issued_on": c.issued_on,
        "expires_on": c.expires_on,
        "next_surveillance": c.next_surveillance,
        "recertification_due": c.recertification_due,
        "state": reminders.standing(c, today).words,
        "withdrawn": c.retired,
        "withdraw_reason": c.retire_reason,
        "file_sha256": c.file.sha256 if c.file else None,
    }


def _read(request: AuthenticatedHttpRequest, pk: int) -> Certificate:
    certificate = access.get_certificate_for_user(request.user, pk)
    return _with_relations().get(pk=certificate.pk)


def _with_relations():
    families = Prefetch("families", DeviceFamily.objects.order_by("code"))
    return Certificate.objects.select_related("body", "file").prefetch_related(families)


def _data(body: CertificateIn) -> CertificateData:
    chosen = None
    if body.body_id is not None:
        chosen = ApprovedBody.objects.filter(pk=body.body_id).first()
        if chosen is None:
            raise InvalidInput("No such body.", fields={"body_id": "Unknown body."})
    elif not body.new_body.strip():
        raise InvalidInput(
            "Give the issuing body: body_id, or its name in new_body.",
            fields={"body_id": "Required."},
        )
    codes = sorted(set(body.families))
    families = list(DeviceFamily.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {f.code for f in families})
    if unknown:
        raise InvalidInput(
            f"Unknown device families: {', '.join(unknown)}.", fields={"families": "Unknown."}
        )
    return CertificateData(
        kind=body.kind,
        number=body.number,
        body=chosen,
        scope_text=body.scope_text,
        issued_on=body.issued_on,
        expires_on=body.expires_on,
        next_surveillance=body.next_surveillance,
        recertification_due=body.recertification_due,
        families=families,
        new_body=body.new_body,
        new_body_kind=body.new_body_kind,
    )


@router.get("/certificates", response=CertificatePage, auth=READERS)
def certificate_list(request: AuthenticatedHttpRequest, q: Query[PageQuery]):
    """Certificates: current ones first, the soonest expiry first; then withdrawn ones."""
    access.require_reader(request.user)
    visible = access.visible_certificates(request.user)
    chosen = _with_relations().filter(pk__in=visible.values("pk"))
    ordered = chosen.order_by(F("retired_at").asc(nulls_first=True), "expires_on", "pk")
    rows = list(ordered[q.offset : q.offset + q.limit + 1])
    today = timezone.localdate()
    return {
        "items": [_out(c, today) for c in rows[: q.limit]],
        "next_offset": q.offset + q.limit if len(rows) > q.limit else None,
    }


@router.get("/certificates/{pk}", response=CertificateOut, auth=READERS)
def certificate_read(request: AuthenticatedHttpRequest, pk: int):
    return _out(_read(request, pk), timezone.localdate())


@router.post("/certificates", response={201: CertificateOut}, auth=READERS)
def certificate_add(request: AuthenticatedHttpRequest, body: CertificateIn):
    """Add a certificate (qms.certification:manage); upload its PDF with …/file."""
    certificate = actions.add_certificate(actor=request.user, data=_data(body))
    return Status(201, _out(_read(request, certificate.pk), timezone.localdate()))


@router.put("/certificates/{pk}", response=CertificateOut, auth=READERS)
def certificate_edit(request: AuthenticatedHttpRequest, pk: int, body: CertificateEditIn):
    """Replace what the certificate says; old and new values go to the audit trail."""
    certificate = _read(request, pk)
    actions.edit_certificate(
        actor=request.user, certificate=certificate, data=_data(body), reason=body.reason
    )
    return _out(_read(request, pk), timezone.localdate())


@router.post("/certificates/{pk}/withdraw", response=CertificateOut, auth=READERS)
def certificate_withdraw(request: AuthenticatedHttpRequest, pk: int, body: ReasonIn):
    certificate = _read(request, pk)
    actions.withdraw_certificate(actor=request.user, certificate=certificate, reason=body.reason)
    return _out(_read(request, pk), timezone.localdate())


def _binary(description: str) -> dict[str, Any]:
    schema = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {200: {"description": description, "content": {"application/pdf": schema}}}
    }


@router.get("/certificates/{pk}/file", openapi_extra=_binary("The certificate's PDF"), auth=READERS)
def certificate_file(request: AuthenticatedHttpRequest, pk: int):
    certificate = _read(request, pk)
    if certificate.file is None:
        raise NotFound()
    name = files.safe_name(f"{certificate.get_kind_display()} {certificate.number}.pdf")
    return FileResponse(files.open_stored(certificate.file), as_attachment=True, filename=name)


@router.post("/certificates/{pk}/file", response=CertificateOut, auth=READERS)
def certificate_upload(
    request: AuthenticatedHttpRequest, pk: int, file: File[UploadedFile], reason: str = ""
):
    """Keep the certificate's PDF (multipart field `file`); a new one replaces the old in
    the record, and the trail keeps both SHA-256s."""
    c = _read(request, pk)
    data = CertificateData(
        kind=c.kind,
        number=c.number,
        body=c.body,
        scope_text=c.scope_text,
        issued_on=c.issued_on,
        expires_on=c.expires_on,
        next_surveillance=c.next_surveillance,
        recertification_due=c.recertification_due,
        families=list(c.families.all()),
    )
    actions.edit_certificate(actor=request.user, certificate=c, data=data, file=file, reason=reason)
    return _out(_read(request, pk), timezone.localdate())
