"""Retention API (ISO 13485 4.2.5): rules per record class, legal holds and signed
dispositions, for holders of core.retention:manage (404 for anyone else). Mounted under
core's router at /retention; every change goes through core.actions.retention."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema, Status

from openqms.core import access, retention
from openqms.core.actions import retention as actions
from openqms.core.api import ReasonIn, SignatureIn, SignatureOut, signatures_out
from openqms.core.errors import InvalidInput, NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import RecordDisposition, RecordHold
from openqms.core.modules import RecordClass
from openqms.core.registry import RETENTION_MANAGE
from openqms.core.signatures import content_hash

router = Router(tags=["retention"])


class RuleOut(Schema):
    record_class: str
    label: str
    object_type: str
    years: int = Field(description="0: kept for ever")
    counted_from: str
    regulation: str
    regulation_minimum: int
    minimum_years: int = Field(description="The floor: the class's or the regulation's")
    confidentiality: str
    stored: bool = Field(description="False: the module's proposal, never changed")
    text: str


# Fields the action checks have defaults, so who may not manage retention gets the same
# 404 whatever the body (the body is read before the endpoint runs).
class RuleIn(Schema):
    years: int | None = Field(None, ge=0, le=actions.MAX_YEARS, description="Required")
    counted_from: str = Field("", max_length=20, description="closed, end_of_support, last_placed")
    regulation: str = Field("", max_length=200)
    minimum_years: int = Field(0, ge=0, le=actions.MAX_YEARS)
    reason: str = Field(min_length=1, max_length=4000)


class HoldIn(Schema):
    record_class: str = Field("", max_length=150)
    object_id: str = Field("", max_length=100)
    reason: str = Field(min_length=1, max_length=4000)


class HoldOut(Schema):
    id: int
    record_class: str
    object_type: str
    object_id: str
    reason: str
    placed_by: str
    placed_at: dt.datetime
    released_by: str | None
    released_at: dt.datetime | None
    release_reason: str


class DisposeIn(SignatureIn):
    record_class: str = Field("", max_length=150)
    object_id: str = Field("", max_length=100)
    reason: str = Field(min_length=1, max_length=4000)


class DispositionOut(Schema):
    id: int
    record_class: str
    object_type: str
    object_id: str
    label: str
    reason: str
    retention_ended: dt.date
    disposed_by: str
    disposed_at: dt.datetime


class DisposedOut(DispositionOut):
    signatures: list[SignatureOut]


class RecordOut(Schema):
    record_class: str
    object_id: str
    label: str
    rule: str
    retention_ends: dt.date | None = Field(description="None: kept (in use, for ever, device)")
    disposal_refused: str = Field(description="Why it cannot be disposed of now; empty if it can")
    content_hash: str = Field(description="What a disposal signs now (send it back)")
    holds: list[HoldOut]


def _manager(request: AuthenticatedHttpRequest) -> None:
    if not access.has_permission(request.user, RETENTION_MANAGE):
        raise NotFound()


def _class(code: str) -> RecordClass:
    try:
        return retention.record_class(code)
    except LookupError:
        raise NotFound() from None


def _rule_out(rule: retention.Rule) -> dict:
    cls = rule.record_class
    return {
        "record_class": cls.code,
        "label": cls.label,
        "object_type": cls.object_type,
        "years": rule.years,
        "counted_from": rule.counted_from,
        "regulation": rule.regulation,
        "regulation_minimum": rule.regulation_minimum,
        "minimum_years": rule.minimum_years,
        "confidentiality": cls.confidentiality,
        "stored": rule.stored,
        "text": rule.text,
    }


def _hold_out(hold: RecordHold) -> dict:
    return {
        "id": hold.pk,
        "record_class": hold.record_class,
        "object_type": hold.object_type,
        "object_id": hold.object_id,
        "reason": hold.reason,
        "placed_by": hold.placed_by.full_name,
        "placed_at": hold.placed_at,
        "released_by": hold.released_by.full_name if hold.released_by else None,
        "released_at": hold.released_at,
        "release_reason": hold.release_reason,
    }


def _disposition_out(d: RecordDisposition) -> dict:
    return {
        "id": d.pk,
        "record_class": d.record_class,
        "object_type": d.object_type,
        "object_id": d.object_id,
        "label": d.label,
        "reason": d.reason,
        "retention_ended": d.retention_ended,
        "disposed_by": d.disposed_by.full_name,
        "disposed_at": d.disposed_at,
    }


@router.get("/rules", response=list[RuleOut])
def rule_list(request: AuthenticatedHttpRequest):
    _manager(request)
    return [_rule_out(rule) for rule in retention.rules()]


@router.get("/rules/{code}", response=RuleOut)
def rule_detail(request: AuthenticatedHttpRequest, code: str):
    _manager(request)
    return _rule_out(retention.rule(_class(code)))


@router.put("/rules/{code}", response=RuleOut)
def rule_edit(request: AuthenticatedHttpRequest, code: str, body: RuleIn):
    _manager(request)
    cls = _class(code)
    if body.years is None:
        raise InvalidInput("Give the years (0: kept for ever).", fields={"years": "Required."})
    actions.set_retention_rule(
        actor=request.user, code=code, **(body.dict() | {"years": body.years})
    )
    return _rule_out(retention.rule(cls))


@router.get("/holds", response=list[HoldOut])
def hold_list(
    request: AuthenticatedHttpRequest,
    active: bool = Query(True),
    offset: int = Query(0, ge=0, le=10**9),
    limit: int = Query(100, ge=1, le=500),
):
    _manager(request)
    holds = RecordHold.objects.select_related("placed_by", "released_by")
    if active:
        holds = holds.filter(released_at__isnull=True)
    return [_hold_out(h) for h in holds[offset : offset + limit]]


@router.post("/holds", response={201: HoldOut})
def hold_place(request: AuthenticatedHttpRequest, body: HoldIn):
    _manager(request)
    hold = actions.place_hold(
        actor=request.user, code=body.record_class, object_id=body.object_id, reason=body.reason
    )
    return Status(201, _hold_out(hold))


@router.post("/holds/{hold_id}/release", response=HoldOut)
def hold_release(request: AuthenticatedHttpRequest, hold_id: int, body: ReasonIn):
    _manager(request)
    hold = RecordHold.objects.filter(pk=hold_id).first()
    if hold is None:
        raise NotFound()
    return _hold_out(actions.release_hold(actor=request.user, hold=hold, reason=body.reason))


@router.get("/records/{code}/{object_id}", response=RecordOut)
def record_detail(request: AuthenticatedHttpRequest, code: str, object_id: str):
    """One record's retention end, holds, and the content hash a disposal signs."""
    _manager(request)
    cls = _class(code)
    record_id = str(actions.get_record(cls, object_id).pk)
    refusal = actions.disposal_refusal(cls, record_id, request.user)
    holds = RecordHold.objects.filter(object_type=cls.object_type, object_id=record_id)
    return {
        "record_class": cls.code,
        "object_id": record_id,
        "label": actions.label_of(cls, record_id, request.user),
        "rule": retention.rule(cls).text,
        "retention_ends": actions.retention_end(cls, record_id),
        "disposal_refused": refusal.message if refusal else "",
        "content_hash": content_hash(actions.disposal_content(cls, record_id, request.user)),
        "holds": [_hold_out(h) for h in holds.select_related("placed_by", "released_by")],
    }


@router.get("/dispositions", response=list[DispositionOut])
def disposition_list(
    request: AuthenticatedHttpRequest,
    offset: int = Query(0, ge=0, le=10**9),
    limit: int = Query(100, ge=1, le=500),
):
    _manager(request)
    rows = RecordDisposition.objects.select_related("disposed_by")[offset : offset + limit]
    return [_disposition_out(d) for d in rows]


@router.post("/dispositions", response={201: DisposedOut})
def disposition_create(request: AuthenticatedHttpRequest, body: DisposeIn):
    _manager(request)
    disposition = actions.dispose_record(
        actor=request.user,
        code=body.record_class,
        object_id=body.object_id,
        reason=body.reason,
        credentials=body.credentials(),
    )
    return Status(201, {**_disposition_out(disposition), "signatures": signatures_out(disposition)})
