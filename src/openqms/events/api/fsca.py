"""FSCA endpoints (/api/v1/events/fscas…): the same actions as the pages; the closure
signed with the password in the body (core.api.SignatureIn) over the content hash the
FSCA's GET answers. Evidence files are attached from the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Query, Schema, Status

from openqms.core.api import SignatureIn, SignatureOut, signatures_out
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.signatures import content_hash
from openqms.events import access
from openqms.events.actions import fsca as actions
from openqms.events.api import router
from openqms.events.api.common import AUTH, record_id
from openqms.events.models import Fsca
from openqms.events.registry import MANAGE, REPORT


class FscaQuery(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)
    state: str = ""
    scope: str = ""
    device: int | None = record_id("A device's id")
    urgent: bool = False
    open: bool = False


class DeviceRowIn(Schema):
    device: int
    identifiers: str = Field(max_length=10_000)


class MarketIn(Schema):
    market: str
    country: str = Field("", max_length=100)
    units_affected: int = Field(ge=0)
    users_affected: int = Field(ge=0)


class FscaIn(Schema):
    title: str = Field(max_length=200)
    reason: str = Field(max_length=10_000)
    user_actions: str = Field(max_length=10_000)
    description: str = Field("", max_length=10_000)
    scope: str = "gb"
    other_market: str = Field("", max_length=100)
    urgent: bool = False
    urgency_justification: str = Field("", max_length=10_000)
    devices: list[DeviceRowIn] = []
    markets: list[MarketIn] = []
    sources: list[str] = Field([], description='Records it is raised from: "events.complaint:12"')


class FscaEdit(Schema):
    title: str | None = Field(None, max_length=200)
    reason: str | None = Field(None, max_length=10_000)
    user_actions: str | None = Field(None, max_length=10_000)
    description: str | None = Field(None, max_length=10_000)
    scope: str | None = None
    other_market: str | None = Field(None, max_length=100)
    urgent: bool | None = None
    urgency_justification: str | None = Field(None, max_length=10_000)


class MhraIn(Schema):
    notified_at: dt.datetime
    reference: str = Field(max_length=100)


class PartyIn(Schema):
    party: str
    told: str = Field(max_length=200)
    told_at: dt.datetime
    how: str = Field(max_length=200)
    reference: str = Field("", max_length=100)


class NoticeIn(Schema):
    document: int


class NoticeReviewIn(Schema):
    reviewed_on: dt.date
    outcome: str
    notes: str = Field("", max_length=10_000)


class StartIn(Schema):
    started_at: dt.datetime | None = None


class ReconcileIn(Schema):
    market: int
    reached_on: dt.date
    units_reached: int = Field(ge=0)
    note: str = Field("", max_length=10_000)


class CloseIn(SignatureIn):
    closure_justification: str = Field("", max_length=10_000)


class FscaSummary(Schema):
    id: int
    number: str
    title: str
    state: str
    scope: str
    urgent: bool
    notification_late: bool
    device_id: int | None
    mhra_notified_at: dt.datetime | None
    started_at: dt.datetime | None
    units_affected: int
    units_reached: int
    percent_reached: int
    opened_at: dt.datetime
    closed_at: dt.datetime | None


class FscaPage(Schema):
    items: list[FscaSummary]
    next_offset: int | None = Field(None, description="Pass as `offset` for the next page")


class MarketOut(Schema):
    id: int
    market: str
    country: str
    units_affected: int
    users_affected: int
    units_reached: int
    percent_reached: int


class DeviceRowOut(Schema):
    id: int
    device_id: int
    device: str
    identifiers: str


class PartyOut(Schema):
    id: int
    party: str
    told: str
    told_at: dt.datetime
    how: str
    reference: str
    file_name: str


class EntryOut(Schema):
    id: int
    market_id: int
    reached_on: dt.date
    units_reached: int
    note: str
    recorded_by: str


class FscaOut(FscaSummary):
    other_market: str
    reason: str
    description: str
    user_actions: str
    urgency_justification: str
    mhra_reference: str
    notice_id: int | None
    notice_revision: str | None
    notice_review_on: dt.date | None
    notice_review_outcome: str
    notice_review_notes: str
    closure_justification: str
    devices: list[DeviceRowOut]
    markets: list[MarketOut]
    told: list[PartyOut]
    gaps: list[str]
    reconciliation: list[EntryOut]
    content_hash: str = Field(description="Send it back when signing the closure")
    signatures: list[SignatureOut]


def _summary(f: Fsca, reached: int, affected: int) -> dict[str, Any]:
    return {
        "id": f.pk,
        "number": f.number,
        "title": f.title,
        "state": f.state,
        "scope": f.scope,
        "urgent": f.urgent,
        "notification_late": f.notification_late,
        "device_id": f.device_id,
        "mhra_notified_at": f.mhra_notified_at,
        "started_at": f.started_at,
        "units_affected": affected,
        "units_reached": reached,
        "percent_reached": actions.percent(reached, affected),
        "opened_at": f.opened_at,
        "closed_at": f.closed_at,
    }


def _full(f: Fsca) -> dict[str, Any]:
    markets, reached, affected = actions.reach(f)
    revision = actions.notice_revision(f)
    return _summary(f, reached, affected) | {
        "other_market": f.other_market,
        "reason": f.reason,
        "description": f.description,
        "user_actions": f.user_actions,
        "urgency_justification": f.urgency_justification,
        "mhra_reference": f.mhra_reference,
        "notice_id": f.notice_id,
        "notice_revision": revision.label if revision else None,
        "notice_review_on": f.notice_review_on,
        "notice_review_outcome": f.notice_review_outcome,
        "notice_review_notes": f.notice_review_notes,
        "closure_justification": f.closure_justification,
        "devices": [
            {
                "id": d.pk,
                "device_id": d.device_id,
                "device": str(d.device),
                "identifiers": d.identifiers,
            }
            for d in f.devices.select_related("device")
        ],
        "markets": [
            {
                "id": m.market.pk,
                "market": m.market.market,
                "country": m.market.country,
                "units_affected": m.affected,
                "users_affected": m.market.users_affected,
                "units_reached": m.reached,
                "percent_reached": m.percent,
            }
            for m in markets
        ],
        "told": list(f.notices.all()),
        "gaps": actions.gaps(f),
        "reconciliation": [
            {
                "id": e.pk,
                "market_id": e.market_id,
                "reached_on": e.reached_on,
                "units_reached": e.units_reached,
                "note": e.note,
                "recorded_by": e.recorded_by.full_name,
            }
            for e in f.reconciliations.select_related("recorded_by")
        ],
        "content_hash": content_hash(f.signature_content()),
        "signatures": signatures_out(f),
    }


def _get(request: AuthenticatedHttpRequest, pk: int, permission: str | None = None) -> Fsca:
    return access.get_for_user(request.user, Fsca.objects.all(), pk, permission=permission)


def _fresh(pk: int) -> dict[str, Any]:
    return _full(Fsca.objects.get(pk=pk))


@router.get("/fscas", response=FscaPage, auth=AUTH)
def fsca_list(request: AuthenticatedHttpRequest, q: Query[FscaQuery]):
    rows = actions.filtered(request.user, q.dict())
    found = list(rows[q.offset : q.offset + q.limit + 1])
    more = len(found) > q.limit
    items = [_summary(f, f.reached, f.affected) for f in found[: q.limit]]  # type: ignore[attr-defined]
    return {"items": items, "next_offset": q.offset + q.limit if more else None}


@router.post("/fscas", response={201: FscaOut}, auth=AUTH)
def fsca_create(request: AuthenticatedHttpRequest, body: FscaIn):
    data = body.dict()
    made = actions.open_fsca(
        actor=request.user,
        **{k: v for k, v in data.items() if k not in ("devices", "markets")},
        devices=[(d["device"], d["identifiers"]) for d in data["devices"]],
        markets=[
            (m["market"], m["country"], m["units_affected"], m["users_affected"])
            for m in data["markets"]
        ],
    )
    return Status(201, _fresh(made.pk))


@router.get("/fscas/{pk}", response=FscaOut, auth=AUTH)
def fsca_read(request: AuthenticatedHttpRequest, pk: int):
    return _full(_get(request, pk))


@router.patch("/fscas/{pk}", response=FscaOut, auth=AUTH)
def fsca_edit(request: AuthenticatedHttpRequest, pk: int, body: FscaEdit):
    fsca = _get(request, pk, MANAGE)
    fields = {k: v for k, v in body.dict().items() if v is not None}
    actions.edit_fsca(actor=request.user, fsca=fsca, **fields)
    return _fresh(pk)


@router.post("/fscas/{pk}/devices", response=FscaOut, auth=AUTH)
def fsca_add_device(request: AuthenticatedHttpRequest, pk: int, body: DeviceRowIn):
    fsca = _get(request, pk, MANAGE)
    actions.add_device(
        actor=request.user, fsca=fsca, device=body.device, identifiers=body.identifiers
    )
    return _fresh(pk)


@router.post("/fscas/{pk}/markets", response=FscaOut, auth=AUTH)
def fsca_market(request: AuthenticatedHttpRequest, pk: int, body: MarketIn):
    fsca = _get(request, pk, MANAGE)
    actions.set_market(actor=request.user, fsca=fsca, **body.dict())
    return _fresh(pk)


@router.post("/fscas/{pk}/mhra", response=FscaOut, auth=AUTH)
def fsca_mhra(request: AuthenticatedHttpRequest, pk: int, body: MhraIn):
    fsca = _get(request, pk, REPORT)
    actions.record_mhra_notification(
        actor=request.user, fsca=fsca, notified_at=body.notified_at, reference=body.reference
    )
    return _fresh(pk)


@router.post("/fscas/{pk}/told", response=FscaOut, auth=AUTH)
def fsca_party(request: AuthenticatedHttpRequest, pk: int, body: PartyIn):
    fsca = _get(request, pk, MANAGE)
    actions.record_party_told(actor=request.user, fsca=fsca, **body.dict())
    return _fresh(pk)


@router.put("/fscas/{pk}/notice", response=FscaOut, auth=AUTH)
def fsca_notice(request: AuthenticatedHttpRequest, pk: int, body: NoticeIn):
    fsca = _get(request, pk, MANAGE)
    actions.set_notice(actor=request.user, fsca=fsca, document=body.document)
    return _fresh(pk)


@router.post("/fscas/{pk}/notice/review", response=FscaOut, auth=AUTH)
def fsca_notice_review(request: AuthenticatedHttpRequest, pk: int, body: NoticeReviewIn):
    fsca = _get(request, pk, MANAGE)
    actions.record_notice_review(actor=request.user, fsca=fsca, **body.dict())
    return _fresh(pk)


@router.post("/fscas/{pk}/start", response=FscaOut, auth=AUTH)
def fsca_start(request: AuthenticatedHttpRequest, pk: int, body: StartIn):
    fsca = _get(request, pk, MANAGE)
    actions.start_fsca(actor=request.user, fsca=fsca, started_at=body.started_at)
    return _fresh(pk)


@router.post("/fscas/{pk}/reconciliation", response=FscaOut, auth=AUTH)
def fsca_reconcile(request: AuthenticatedHttpRequest, pk: int, body: ReconcileIn):
    fsca = _get(request, pk, MANAGE)
    actions.record_reconciliation(actor=request.user, fsca=fsca, **body.dict())
    return _fresh(pk)


@router.post("/fscas/{pk}/close", response=FscaOut, auth=AUTH)
def fsca_close(request: AuthenticatedHttpRequest, pk: int, body: CloseIn):
    fsca = _get(request, pk)
    actions.close_fsca(
        actor=request.user,
        fsca=fsca,
        credentials=body.credentials(),
        closure_justification=body.closure_justification,
        reason=body.reason,
    )
    return _fresh(pk)
