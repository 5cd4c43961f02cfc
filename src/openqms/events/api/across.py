"""Endpoints across every kind of quality record: the links of a record (both ways, named
as the caller may see them), typed links added and removed, and the procedure each kind
follows. The same actions as the pages."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model
from ninja import Field, Query, Schema, Status

from openqms.core.errors import NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.links import linked
from openqms.documents.models import Document
from openqms.events import access
from openqms.events.actions import across as actions
from openqms.events.api import router
from openqms.events.api.common import AUTH, MAX_ID
from openqms.events.kinds import KINDS
from openqms.events.models import EventProcedure


class RecordQuery(Schema):
    kind: str = Field(max_length=30)
    id: int = Field(ge=1, le=MAX_ID)
    offset: int = Field(0, ge=0, le=10**6)
    limit: int = Field(50, ge=1, le=200)


class LinkOut(Schema):
    id: int
    says: str
    label: str
    url: str
    readable: bool
    note: str
    record: str  # "type:id", empty for a record the caller cannot open


class LinkPage(Schema):
    count: int
    results: list[LinkOut]


class LinkIn(Schema):
    kind: str = Field(max_length=30, description="the kind of the record linked from")
    id: int = Field(ge=1, le=MAX_ID)
    reference: str = Field(max_length=120, description="e.g. CMP-2026-0003, SOP-001 rev B")
    link_kind: str = Field("related", max_length=20)
    note: str = Field("", max_length=300)


class UnlinkIn(Schema):
    kind: str = Field(max_length=30)
    id: int = Field(ge=1, le=MAX_ID)
    reason: str = Field(max_length=500)


class ProcedureOut(Schema):
    kind: str
    document: str | None
    set_by: str | None
    set_at: str | None


class ProcedureIn(Schema):
    document: str | None = Field(None, max_length=30, description="a document number")


def _record(request: AuthenticatedHttpRequest, code: str, pk: int) -> Model:
    kind = KINDS.get(code)
    if kind is None:
        raise NotFound()
    try:
        model = apps.get_model(kind.model)
    except LookupError:
        raise NotFound() from None
    return access.get_for_user(request.user, model._default_manager.all(), pk)


def _out(found: list) -> list[dict]:
    return [
        {
            "id": x.link_id,
            "says": x.says,
            "label": x.label,
            "url": x.url,
            "readable": x.readable,
            "note": x.note,
            "record": f"{x.key[0]}:{x.key[1]}" if x.readable else "",
        }
        for x in found
    ]


@router.get("/links", response=LinkPage, auth=AUTH)
def link_list(request: AuthenticatedHttpRequest, q: Query[RecordQuery]):
    record = _record(request, q.kind, q.id)
    found = _out(linked(request.user, record))
    return {"count": len(found), "results": found[q.offset : q.offset + q.limit]}


@router.post("/links", response={201: LinkOut}, auth=AUTH)
def link_create(request: AuthenticatedHttpRequest, body: LinkIn):
    record = _record(request, body.kind, body.id)
    made = actions.link_record(
        actor=request.user,
        record=record,
        reference=body.reference,
        kind=body.link_kind,
        note=body.note,
    )
    shown = [x for x in _out(linked(request.user, record)) if x["id"] == made.pk]
    return Status(201, shown[0])


@router.post("/links/{link_id}/remove", response=LinkPage, auth=AUTH)
def link_remove(request: AuthenticatedHttpRequest, link_id: int, body: UnlinkIn):
    record = _record(request, body.kind, body.id)
    actions.remove_link(actor=request.user, record=record, link_id=link_id, reason=body.reason)
    found = _out(linked(request.user, record))
    return {"count": len(found), "results": found}


def _procedure_out(code: str, row: EventProcedure | None) -> dict:
    document = row.document if row is not None else None
    set_by = row.set_by if row is not None else None
    set_at = row.set_at if row is not None else None
    return {
        "kind": code,
        "document": document.number if document is not None else None,
        "set_by": set_by.full_name if set_by is not None else None,
        "set_at": set_at.isoformat() if set_at is not None else None,
    }


def _procedures() -> list[dict]:
    rows = {p.kind: p for p in EventProcedure.objects.select_related("document", "set_by")}
    return [_procedure_out(code, rows.get(code)) for code in KINDS]


@router.get("/procedures", response=list[ProcedureOut], auth=AUTH)
def procedure_list(request: AuthenticatedHttpRequest):
    return _procedures()


@router.put("/procedures/{kind}", response=list[ProcedureOut], auth=AUTH)
def procedure_set(request: AuthenticatedHttpRequest, kind: str, body: ProcedureIn):
    document = None
    if body.document:
        document = Document.objects.filter(number=body.document).first()
        if document is None:
            raise NotFound()
    actions.set_procedure(actor=request.user, kind=kind, document=document)
    return _procedures()
