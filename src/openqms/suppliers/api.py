"""Supplier control's endpoints: every record listed and read by everyone signed in,
changed through `suppliers.actions` (which check the permission), found through
`suppliers.access` (404 for missing and forbidden); the decision signed with the
password in the body (core.api.SignatureIn)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from ninja import Field, Query, Router, Schema, Status

from openqms.core.api import MEMBERS, SignatureIn, SignatureOut, signatures_out
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.signatures import content_hash
from openqms.suppliers import access, actions
from openqms.suppliers.models import (
    Criterion,
    Decision,
    Evaluation,
    OutsourcedProcess,
    ReevaluationInterval,
)
from openqms.suppliers.registry import MANAGE

# Someone with no rights meets the same 404 on every supplier endpoint (core.api.MEMBERS).
router = Router(tags=["suppliers"], auth=MEMBERS)


class Page(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)


class SupplierQuery(Page):
    status: str = ""
    criticality: str = ""
    retired: bool = False


class SupplierIn(Schema):
    name: str = Field(max_length=200)
    supplies: str = Field(max_length=10_000)
    category: str
    criticality: str
    criticality_rationale: str = Field(max_length=10_000)
    address: str = Field("", max_length=10_000)
    contact_name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=50)


class SupplierEdit(Schema):
    name: str | None = Field(None, max_length=200)
    supplies: str | None = Field(None, max_length=10_000)
    category: str | None = None
    criticality: str | None = None
    criticality_rationale: str | None = Field(None, max_length=10_000)
    address: str | None = Field(None, max_length=10_000)
    contact_name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=50)
    reason: str = Field("", max_length=1000)


class ReasonIn(Schema):
    reason: str = Field(max_length=1000)


class RescheduleIn(Schema):
    next_evaluation: dt.date
    reason: str = Field(max_length=1000)


class IntervalIn(Schema):
    months: int


class IntervalOut(Schema):
    criticality: str
    months: int


class CriterionOut(Schema):
    code: str
    name: str
    description: str
    order: int
    active: bool


class SupplierOut(Schema):
    id: int
    name: str
    supplies: str
    category: str
    criticality: str
    criticality_rationale: str
    address: str
    contact_name: str
    email: str
    phone: str
    status: str
    conditions: str
    decided_on: dt.date | None
    next_evaluation: dt.date | None
    created_at: dt.datetime
    retired_at: dt.datetime | None
    retire_reason: str


class SupplierPage(Schema):
    items: list[SupplierOut]
    next_offset: int | None = Field(None, description="Pass as `offset` for the next page")


class ScoreIn(Schema):
    score: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=10_000)


class EvaluationIn(Schema):
    scores: dict[str, ScoreIn] = Field(description="{criterion code: score and comment}")
    recommendation: str
    summary: str = Field("", max_length=10_000)


class ScoreOut(Schema):
    criterion: str
    name: str
    score: int
    comment: str


class DecisionOut(Schema):
    decision: str
    conditions: str
    reason: str
    decided_by: str
    decided_on: dt.date
    next_evaluation: dt.date | None
    signatures: list[SignatureOut]


class EvaluationOut(Schema):
    id: int
    supplier_id: int
    evaluator: str
    evaluated_at: dt.datetime
    state: str
    recommendation: str
    summary: str
    scores: list[ScoreOut]
    content_hash: str = Field(description="Send it back when signing the decision")
    decision: DecisionOut | None


class DecisionIn(SignatureIn):
    decision: str
    conditions: str = Field("", max_length=10_000)
    decision_reason: str = Field("", max_length=10_000)


class CertificateIn(Schema):
    kind: str
    number: str = Field(max_length=100)
    issuer: str = Field(max_length=200)
    expires_on: dt.date
    title: str = Field("", max_length=200)


class CertificateOut(Schema):
    id: int
    supplier_id: int
    kind: str
    title: str
    number: str
    issuer: str
    expires_on: dt.date
    file_name: str
    retired_at: dt.datetime | None
    retire_reason: str


class PerformanceIn(Schema):
    period_start: dt.date
    period_end: dt.date
    deliveries_on_time: int = Field(0, ge=0)
    deliveries_total: int = Field(0, ge=0)
    lots_received: int = Field(0, ge=0)
    lots_rejected: int = Field(0, ge=0)
    notes: str = Field("", max_length=10_000)
    source: str = "manual"


class PerformanceOut(Schema):
    id: int
    supplier_id: int
    period_start: dt.date
    period_end: dt.date
    deliveries_on_time: int
    deliveries_total: int
    lots_received: int
    lots_rejected: int
    on_time_rate: int | None
    rejection_rate: int | None
    notes: str
    source: str
    withdrawn_at: dt.datetime | None
    withdraw_reason: str


class OutsourcedIn(Schema):
    partner: int
    title: str = Field(max_length=200)
    process: int | None = None
    agreement: int | None = None
    agreement_review_on: dt.date | None = None
    agreement_expires_on: dt.date | None = None
    partner_certificate: int | None = None
    contacts_ours: str = Field("", max_length=10_000)
    contacts_partner: str = Field("", max_length=10_000)
    exchange: str = Field("", max_length=10_000)


class ActivityIn(Schema):
    activity: str = Field(max_length=200)
    governed_by: str
    notes: str = Field("", max_length=10_000)


class DutyIn(Schema):
    what: str
    days: int
    direction: str
    description: str = Field("", max_length=200)


class ActivityOut(Schema):
    id: int
    activity: str
    governed_by: str
    notes: str


class DutyOut(Schema):
    id: int
    what: str
    description: str
    days: int
    direction: str


class OutsourcedOut(Schema):
    id: int
    partner_id: int
    title: str
    process_id: int | None
    agreement_id: int | None
    agreement_number: str | None
    agreement_in_force: bool
    agreement_review_on: dt.date | None
    agreement_expires_on: dt.date | None
    partner_certificate_id: int | None
    contacts_ours: str
    contacts_partner: str
    exchange: str
    activities: list[ActivityOut]
    duties: list[DutyOut]
    retired_at: dt.datetime | None
    retire_reason: str


# -- how records are shown ---------------------------------------------------------------


def _evaluation(e: Evaluation) -> dict[str, Any]:
    decision = Decision.objects.filter(evaluation=e).select_related("decided_by").first()
    return {
        "id": e.pk,
        "supplier_id": e.supplier_id,
        "evaluator": e.evaluator.full_name,
        "evaluated_at": e.evaluated_at,
        "state": e.state,
        "recommendation": e.recommendation,
        "summary": e.summary,
        "scores": [
            {
                "criterion": s.criterion.code,
                "name": s.criterion.name,
                "score": s.score,
                "comment": s.comment,
            }
            for s in e.scores.select_related("criterion")
        ],
        "content_hash": content_hash(e.signature_content()),
        "decision": None
        if decision is None
        else {
            "decision": decision.decision,
            "conditions": decision.conditions,
            "reason": decision.reason,
            "decided_by": decision.decided_by.full_name,
            "decided_on": decision.decided_on,
            "next_evaluation": decision.next_evaluation,
            "signatures": signatures_out(decision),
        },
    }


def _outsourced(o: OutsourcedProcess) -> dict[str, Any]:
    doc = o.agreement
    return {
        **{f: getattr(o, f) for f in OutsourcedOut.model_fields if hasattr(o, f)},
        "agreement_number": doc.number if doc else None,
        "agreement_in_force": bool(doc and doc.in_force and doc.withdrawn_at is None),
        "activities": [a for a in o.activities.all() if a.removed_at is None],
        "duties": [d for d in o.duties.all() if d.removed_at is None],
    }


def _outsourced_rows() -> QuerySet[OutsourcedProcess]:
    return OutsourcedProcess.objects.select_related("agreement").prefetch_related(
        Prefetch("activities"), Prefetch("duties")
    )


# -- suppliers ---------------------------------------------------------------------------


@router.get("/suppliers", response=SupplierPage)
def supplier_list(request: AuthenticatedHttpRequest, q: Query[SupplierQuery]):
    rows = access.visible_suppliers(request.user)
    if not q.retired:
        rows = rows.filter(retired_at__isnull=True)
    if q.status:
        rows = rows.filter(status=q.status)
    if q.criticality:
        rows = rows.filter(criticality=q.criticality)
    found = list(rows.order_by("name", "pk")[q.offset : q.offset + q.limit + 1])
    more = len(found) > q.limit
    return {"items": found[: q.limit], "next_offset": q.offset + q.limit if more else None}


@router.post("/suppliers", response={201: SupplierOut})
def supplier_create(request: AuthenticatedHttpRequest, body: SupplierIn):
    return Status(201, actions.create_supplier(actor=request.user, **body.dict()))


@router.get("/suppliers/{pk}", response=SupplierOut)
def supplier_read(request: AuthenticatedHttpRequest, pk: int):
    return access.get_supplier_for_user(request.user, pk)


@router.patch("/suppliers/{pk}", response=SupplierOut)
def supplier_edit(request: AuthenticatedHttpRequest, pk: int, body: SupplierEdit):
    supplier = access.get_supplier_for_user(request.user, pk, need=MANAGE)
    fields = {k: v for k, v in body.dict().items() if v is not None}
    return actions.edit_supplier(actor=request.user, supplier=supplier, **fields)


@router.post("/suppliers/{pk}/retire", response=SupplierOut)
def supplier_retire(request: AuthenticatedHttpRequest, pk: int, body: ReasonIn):
    supplier = access.get_supplier_for_user(request.user, pk, need=MANAGE)
    return actions.retire_supplier(actor=request.user, supplier=supplier, reason=body.reason)


@router.post("/suppliers/{pk}/reschedule", response=SupplierOut)
def supplier_reschedule(request: AuthenticatedHttpRequest, pk: int, body: RescheduleIn):
    supplier = access.get_supplier_for_user(request.user, pk, need=MANAGE)
    return actions.reschedule_evaluation(
        actor=request.user,
        supplier=supplier,
        next_evaluation=body.next_evaluation,
        reason=body.reason,
    )


# -- configuration -----------------------------------------------------------------------


@router.get("/criteria", response=list[CriterionOut])
def criterion_list(request: AuthenticatedHttpRequest):
    return list(Criterion.objects.all())


@router.get("/intervals", response=list[IntervalOut])
def interval_list(request: AuthenticatedHttpRequest):
    return list(ReevaluationInterval.objects.order_by("months"))


@router.put("/intervals/{criticality}", response=IntervalOut)
def interval_set(request: AuthenticatedHttpRequest, criticality: str, body: IntervalIn):
    return actions.set_interval(actor=request.user, criticality=criticality, months=body.months)


# -- evaluations -------------------------------------------------------------------------


@router.get("/suppliers/{pk}/evaluations", response=list[EvaluationOut])
def evaluation_list(request: AuthenticatedHttpRequest, pk: int):
    supplier = access.get_supplier_for_user(request.user, pk)
    return [_evaluation(e) for e in supplier.evaluations.select_related("evaluator", "supplier")]


@router.post("/suppliers/{pk}/evaluations", response={201: EvaluationOut})
def evaluation_create(request: AuthenticatedHttpRequest, pk: int, body: EvaluationIn):
    supplier = access.get_supplier_for_user(request.user, pk, need=MANAGE)
    made = actions.record_evaluation(
        actor=request.user,
        supplier=supplier,
        scores={k: (v.score, v.comment) for k, v in body.scores.items()},
        recommendation=body.recommendation,
        summary=body.summary,
    )
    return Status(201, _evaluation(made))


@router.get("/evaluations/{pk}", response=EvaluationOut)
def evaluation_read(request: AuthenticatedHttpRequest, pk: int):
    return _evaluation(access.get_evaluation_for_user(request.user, pk))


@router.post("/evaluations/{pk}/decide", response=EvaluationOut)
def evaluation_decide(request: AuthenticatedHttpRequest, pk: int, body: DecisionIn):
    evaluation = access.get_evaluation_for_user(request.user, pk)
    actions.decide_evaluation(
        actor=request.user,
        evaluation=evaluation,
        decision=body.decision,
        conditions=body.conditions,
        reason=body.decision_reason,
        comment=body.reason,
        credentials=body.credentials(),
    )
    return _evaluation(access.get_evaluation_for_user(request.user, pk))


@router.post("/evaluations/{pk}/withdraw", response=EvaluationOut)
def evaluation_withdraw(request: AuthenticatedHttpRequest, pk: int, body: ReasonIn):
    evaluation = access.get_evaluation_for_user(request.user, pk, need=MANAGE)
    actions.withdraw_evaluation(actor=request.user, evaluation=evaluation, reason=body.reason)
    return _evaluation(access.get_evaluation_for_user(request.user, pk))


# -- certificates and performance --------------------------------------------------------


@router.get("/suppliers/{pk}/certificates", response=list[CertificateOut])
def certificate_list(request: AuthenticatedHttpRequest, pk: int):
    return list(access.get_supplier_for_user(request.user, pk).certificates.all())


@router.post("/suppliers/{pk}/certificates", response={201: CertificateOut})
def certificate_create(request: AuthenticatedHttpRequest, pk: int, body: CertificateIn):
    supplier = access.get_supplier_for_user(request.user, pk, need=MANAGE)
    return Status(
        201, actions.add_certificate(actor=request.user, supplier=supplier, **body.dict())
    )


@router.get("/certificates/{pk}", response=CertificateOut)
def certificate_read(request: AuthenticatedHttpRequest, pk: int):
    return access.get_certificate_for_user(request.user, pk)


@router.post("/certificates/{pk}/retire", response=CertificateOut)
def certificate_retire(request: AuthenticatedHttpRequest, pk: int, body: ReasonIn):
    cert = access.get_certificate_for_user(request.user, pk, need=MANAGE)
    return actions.retire_certificate(actor=request.user, certificate=cert, reason=body.reason)


@router.get("/suppliers/{pk}/performance", response=list[PerformanceOut])
def performance_list(request: AuthenticatedHttpRequest, pk: int):
    return list(access.get_supplier_for_user(request.user, pk).performance.all())


@router.post("/suppliers/{pk}/performance", response={201: PerformanceOut})
def performance_create(request: AuthenticatedHttpRequest, pk: int, body: PerformanceIn):
    supplier = access.get_supplier_for_user(request.user, pk, need=MANAGE)
    return Status(
        201, actions.record_performance(actor=request.user, supplier=supplier, **body.dict())
    )


@router.get("/performance/{pk}", response=PerformanceOut)
def performance_read(request: AuthenticatedHttpRequest, pk: int):
    return access.get_performance_for_user(request.user, pk)


@router.post("/performance/{pk}/withdraw", response=PerformanceOut)
def performance_withdraw(request: AuthenticatedHttpRequest, pk: int, body: ReasonIn):
    record = access.get_performance_for_user(request.user, pk, need=MANAGE)
    return actions.withdraw_performance(actor=request.user, record=record, reason=body.reason)


# -- outsourced processes ----------------------------------------------------------------


@router.get("/outsourced", response=list[OutsourcedOut])
def outsourced_list(request: AuthenticatedHttpRequest, q: Query[Page]):
    rows = _outsourced_rows().filter(pk__in=access.visible_outsourced(request.user).values("pk"))
    return [_outsourced(o) for o in rows.order_by("title", "pk")[q.offset : q.offset + q.limit]]


@router.post("/outsourced", response={201: OutsourcedOut})
def outsourced_create(request: AuthenticatedHttpRequest, body: OutsourcedIn):
    made = actions.create_outsourced_process(actor=request.user, **body.dict())
    return Status(201, _outsourced(_outsourced_rows().get(pk=made.pk)))


@router.get("/outsourced/{pk}", response=OutsourcedOut)
def outsourced_read(request: AuthenticatedHttpRequest, pk: int):
    found = access.get_outsourced_for_user(request.user, pk)
    return _outsourced(_outsourced_rows().get(pk=found.pk))


@router.patch("/outsourced/{pk}", response=OutsourcedOut)
def outsourced_edit(request: AuthenticatedHttpRequest, pk: int, body: OutsourcedIn):
    found = access.get_outsourced_for_user(request.user, pk, need=MANAGE)
    actions.edit_outsourced_process(actor=request.user, outsourced=found, **body.dict())
    return _outsourced(_outsourced_rows().get(pk=found.pk))


@router.post("/outsourced/{pk}/retire", response=OutsourcedOut)
def outsourced_retire(request: AuthenticatedHttpRequest, pk: int, body: ReasonIn):
    found = access.get_outsourced_for_user(request.user, pk, need=MANAGE)
    actions.retire_outsourced_process(actor=request.user, outsourced=found, reason=body.reason)
    return _outsourced(_outsourced_rows().get(pk=found.pk))


@router.post("/outsourced/{pk}/activities", response={201: ActivityOut})
def activity_create(request: AuthenticatedHttpRequest, pk: int, body: ActivityIn):
    found = access.get_outsourced_for_user(request.user, pk, need=MANAGE)
    return Status(201, actions.add_activity(actor=request.user, outsourced=found, **body.dict()))


@router.post("/outsourced/{pk}/duties", response={201: DutyOut})
def duty_create(request: AuthenticatedHttpRequest, pk: int, body: DutyIn):
    found = access.get_outsourced_for_user(request.user, pk, need=MANAGE)
    return Status(201, actions.add_duty(actor=request.user, outsourced=found, **body.dict()))


@router.post("/outsourced/{pk}/{kind}/{row}/remove", response=OutsourcedOut)
def row_remove(request: AuthenticatedHttpRequest, pk: int, kind: str, row: int, body: ReasonIn):
    found = access.get_outsourced_for_user(request.user, pk, need=MANAGE)
    actions.remove_interface_row(
        actor=request.user, outsourced=found, kind=kind, pk=row, reason=body.reason
    )
    return _outsourced(_outsourced_rows().get(pk=found.pk))
