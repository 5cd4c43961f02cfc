"""Nonconformities' endpoints (/api/v1/events/nonconformities…): the same actions as the
pages; records found through events.access (404 for missing and forbidden); the
concession and the release signed with the password in the body (SignatureIn) and the
content hash read from GET."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Query, Schema, Status

from openqms.core.api import signatures_out
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.signatures import content_hash
from openqms.events import access
from openqms.events.actions import nonconformance as actions
from openqms.events.api import router
from openqms.events.api.common import AUTH, SignatureIn, record_id
from openqms.events.models import NcState, Nonconformity


class NcQuery(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)
    source: str = ""
    state: str = Field("", description="A state, or 'open' for every state but closed")
    supplier: int | None = record_id("A supplier's id")
    device: int | None = record_id("A device's id")


class NcIn(Schema):
    title: str = Field(max_length=200)
    source: str
    description: str = Field(max_length=10_000)
    requirement: str = Field(max_length=10_000)
    device: int | None = record_id("A device's id")
    supplier: int | None = record_id("A supplier's id")
    product: str = Field("", max_length=200)
    part: str = Field("", max_length=200)
    lot: str = Field("", max_length=100)
    serial: str = Field("", max_length=100)
    quantity: int | None = Field(None, ge=0, le=2**31 - 1)
    sources: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="The records it is raised from, e.g. ['events.complaint:12']",
    )


class ContainIn(Schema):
    containment: str = Field(max_length=10_000)
    contained_at: dt.datetime | None = None


class AssessIn(Schema):
    impact: str = Field(max_length=10_000)
    delivered_affected: bool


class DisposeIn(Schema):
    disposition: str
    note: str = Field("", max_length=10_000)
    justification: str = Field("", max_length=10_000)


class ReverifyIn(Schema):
    result: str = Field(max_length=10_000)
    passed: bool


class ReasonIn(Schema):
    reason: str = Field(max_length=2_000)


class NcOut(Schema):
    id: int
    number: str
    title: str
    state: str
    source: str
    supplier_id: int | None
    device_id: int | None
    product: str
    part: str
    lot: str
    serial: str
    quantity: int | None
    description: str
    requirement: str
    opened_by: str
    opened_at: dt.datetime
    containment: str
    contained_at: dt.datetime | None
    impact: str
    delivered_affected: bool | None
    disposition: str
    disposition_note: str
    concession_justification: str
    concession_at: dt.datetime | None
    reverification: str
    reverification_passed: bool | None
    raised_in_error: bool
    closed_at: dt.datetime | None


class NcDetail(NcOut):
    content_sha256: str = Field(description="Send it back as content_hash when signing")
    steps: list[str] = Field(description="The steps you may take now")
    signatures: list[dict[str, Any]]


class NcPage(Schema):
    items: list[NcOut]
    next_offset: int | None


def _row(nc: Nonconformity) -> dict[str, Any]:
    fields = {f: getattr(nc, f) for f in NcOut.model_fields if f != "opened_by"}
    return fields | {"opened_by": nc.opened_by.full_name}


def _detail(nc: Nonconformity, user: Any) -> dict[str, Any]:
    return _row(nc) | {
        "content_sha256": content_hash(nc.signature_content()),
        "steps": [t.name for t in actions.NC_FLOW.available(nc, user)],
        "signatures": signatures_out(nc),
    }


def _rows() -> Any:
    return Nonconformity.objects.select_related("opened_by")


def _get(request: AuthenticatedHttpRequest, pk: int) -> Nonconformity:
    return access.get_for_user(request.user, _rows(), pk)


@router.get("/nonconformities", response=NcPage, auth=AUTH)
def nc_list(request: AuthenticatedHttpRequest, q: Query[NcQuery]):
    found = access.visible(request.user, _rows())
    if q.source:
        found = found.filter(source=q.source)
    if q.state == "open":
        found = found.exclude(state=NcState.CLOSED)
    elif q.state:
        found = found.filter(state=q.state)
    if q.supplier is not None:
        found = found.filter(supplier_id=q.supplier)
    if q.device is not None:
        found = found.filter(device_id=q.device)
    page = list(found.order_by("-opened_at", "-pk")[q.offset : q.offset + q.limit + 1])
    more = len(page) > q.limit
    return {
        "items": [_row(nc) for nc in page[: q.limit]],
        "next_offset": q.offset + q.limit if more else None,
    }


@router.post("/nonconformities", response={201: NcDetail}, auth=AUTH)
def nc_create(request: AuthenticatedHttpRequest, body: NcIn):
    access.need(request.user, None)
    made = actions.raise_nonconformity(actor=request.user, **body.dict())
    return Status(201, _detail(_get(request, made.pk), request.user))


@router.get("/nonconformities/{pk}", response=NcDetail, auth=AUTH)
def nc_read(request: AuthenticatedHttpRequest, pk: int):
    return _detail(_get(request, pk), request.user)


@router.post("/nonconformities/{pk}/contain", response=NcDetail, auth=AUTH)
def nc_contain(request: AuthenticatedHttpRequest, pk: int, body: ContainIn):
    actions.contain_nonconformity(actor=request.user, nc=_get(request, pk), **body.dict())
    return _detail(_get(request, pk), request.user)


@router.post("/nonconformities/{pk}/assess", response=NcDetail, auth=AUTH)
def nc_assess(request: AuthenticatedHttpRequest, pk: int, body: AssessIn):
    actions.assess_nonconformity(actor=request.user, nc=_get(request, pk), **body.dict())
    return _detail(_get(request, pk), request.user)


@router.post("/nonconformities/{pk}/dispose", response=NcDetail, auth=AUTH)
def nc_dispose(request: AuthenticatedHttpRequest, pk: int, body: DisposeIn):
    actions.dispose_nonconformity(actor=request.user, nc=_get(request, pk), **body.dict())
    return _detail(_get(request, pk), request.user)


@router.post("/nonconformities/{pk}/reverify", response=NcDetail, auth=AUTH)
def nc_reverify(request: AuthenticatedHttpRequest, pk: int, body: ReverifyIn):
    actions.reverify_nonconformity(actor=request.user, nc=_get(request, pk), **body.dict())
    return _detail(_get(request, pk), request.user)


@router.post("/nonconformities/{pk}/concession", response=NcDetail, auth=AUTH)
def nc_concession(request: AuthenticatedHttpRequest, pk: int, body: SignatureIn):
    actions.authorise_concession(
        actor=request.user,
        nc=_get(request, pk),
        credentials=body.credentials(),
        reason=body.reason,
    )
    return _detail(_get(request, pk), request.user)


@router.post("/nonconformities/{pk}/release", response=NcDetail, auth=AUTH)
def nc_release(request: AuthenticatedHttpRequest, pk: int, body: SignatureIn):
    actions.release_nonconformity(
        actor=request.user,
        nc=_get(request, pk),
        credentials=body.credentials(),
        reason=body.reason,
    )
    return _detail(_get(request, pk), request.user)


@router.post("/nonconformities/{pk}/change-disposition", response=NcDetail, auth=AUTH)
def nc_change_disposition(request: AuthenticatedHttpRequest, pk: int, body: ReasonIn):
    actions.change_disposition(actor=request.user, nc=_get(request, pk), reason=body.reason)
    return _detail(_get(request, pk), request.user)


@router.post("/nonconformities/{pk}/close-in-error", response=NcDetail, auth=AUTH)
def nc_close_in_error(request: AuthenticatedHttpRequest, pk: int, body: SignatureIn):
    actions.close_in_error(
        actor=request.user,
        nc=_get(request, pk),
        credentials=body.credentials(),
        reason=body.reason,
    )
    return _detail(_get(request, pk), request.user)
