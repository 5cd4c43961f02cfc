"""Feedback and complaint endpoints (/api/v1/events/feedback…, /complaints…): the same
actions as the pages. Health data (patient details and outcome) comes only through
core.confidentiality: hidden for callers without core.health_data:read, the read
recorded for those with it. A signature sends back the complaint's content_sha256."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from ninja import Field, Query, Schema, Status

from openqms.core.api import SignatureIn, SignatureOut, signatures_out
from openqms.core.confidentiality import resolver
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.signatures import content_hash
from openqms.events import access
from openqms.events.actions import complaints as actions
from openqms.events.api import router
from openqms.events.api.common import AUTH, record_id
from openqms.events.models import REPORTABLE, Complaint, Feedback, ReportabilityDecision
from openqms.events.registry import MANAGE

TAG = ["events: complaints"]


class Page(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)


class FeedbackQuery(Page):
    classification: str = ""
    source: str = ""
    device: int | None = record_id("A device's id")
    q: str = Field("", max_length=100)


class FeedbackIn(Schema):
    title: str = Field(max_length=200)
    source: str
    received_at: str = Field(description="Date and time; without an offset, local time")
    description: str = Field(max_length=10_000)
    reporter: str = Field("", max_length=200)
    reporter_contact: str = Field("", max_length=300)
    device: int | None = record_id("A device's id")


class FeedbackOut(Schema):
    id: int
    number: str
    title: str
    source: str
    received_at: dt.datetime
    reporter: str
    description: str
    device_id: int | None
    classification: str
    classification_reason: str
    classified_at: dt.datetime | None
    complaint_id: int | None = None


class FeedbackPage(Schema):
    items: list[FeedbackOut]
    next_offset: int | None = None


class ClassifyIn(Schema):
    complaint: bool = Field(description="true: a complaint; false: not a complaint")
    reason: str = Field("", max_length=10_000)
    device: int | None = record_id("A device's id")
    awareness_at: str = ""
    what_happened: str = Field("", max_length=10_000)
    incident_type: str = "none"
    model: str = Field("", max_length=100)
    lot: str = Field("", max_length=100)
    serial: str = Field("", max_length=100)
    udi: str = Field("", max_length=200)


class DecisionOut(Schema):
    id: int
    category: str
    device_related: bool
    death: bool
    serious_deterioration: bool
    public_health_threat: bool
    unanticipated: bool
    trend_candidate: bool
    rationale: str
    deadline_at: dt.datetime | None
    decided_by: str
    decided_at: dt.datetime
    in_force: bool
    supersedes_id: int | None
    signatures: list[SignatureOut]


class ComplaintRow(Schema):
    id: int
    number: str
    title: str
    state: str
    device_id: int | None
    awareness_at: dt.datetime
    category: str | None
    deadline_at: dt.datetime | None


class ComplaintOut(ComplaintRow):
    feedback_id: int
    source: str
    reporter: str
    received_at: dt.datetime
    model: str
    lot: str
    serial: str
    udi: str
    what_happened: str
    incident_type: str
    patient_involved: bool
    patient_details: str
    patient_outcome: str
    investigation: str
    root_cause: str
    capa_needed: bool | None
    capa_reason: str
    reply: str
    replied_at: dt.datetime | None
    closure_note: str
    closed_at: dt.datetime | None
    content_sha256: str = Field(description="Send it back as content_hash when signing")
    decisions: list[DecisionOut]
    signatures: list[SignatureOut]

    resolve_patient_details = staticmethod(resolver("patient_details"))
    resolve_patient_outcome = staticmethod(resolver("patient_outcome"))


class ComplaintPage(Schema):
    items: list[ComplaintRow]
    next_offset: int | None = None


class ComplaintQuery(Page):
    state: str = ""
    device: int | None = record_id("A device's id")
    reportable: bool | None = None


class EditIn(Schema):
    reason: str = Field("", max_length=1000)
    fields: dict[str, Any] = Field(description="Fields to change: " + ", ".join(actions.EDITABLE))


class DecideIn(SignatureIn):
    device_related: bool
    death: bool
    serious_deterioration: bool
    public_health_threat: bool
    unanticipated: bool
    trend_candidate: bool
    rationale: str = Field(max_length=10_000)


class CloseIn(SignatureIn):
    closure_note: str = Field("", max_length=10_000)


class LinkIn(Schema):
    number: str = Field(max_length=30)
    kind: str = Field(description="related or duplicate")
    note: str = Field("", max_length=200)


def _feedback(f: Feedback) -> dict[str, Any]:
    complaint = getattr(f, "complaint", None) if f.classification == "complaint" else None
    return vars(f) | {"complaint_id": complaint.pk if complaint else None}


def _complaints() -> QuerySet[Complaint]:
    current = ReportabilityDecision.objects.filter(in_force=True)
    return Complaint.objects.prefetch_related(
        Prefetch("decisions", queryset=current, to_attr="current")
    )


def _row(c: Complaint) -> Complaint:
    d = c.current[0] if getattr(c, "current", None) else None  # type: ignore[attr-defined]
    c.category = d.category if d else None  # type: ignore[attr-defined]
    c.deadline_at = d.deadline_at if d else None  # type: ignore[attr-defined]
    return c


def _complaint(pk: int) -> Complaint:
    c = _row(_complaints().get(pk=pk))
    c.content_sha256 = content_hash(c.signature_content())  # type: ignore[attr-defined]
    c.signatures = signatures_out(c) if c.closed_at else []  # type: ignore[attr-defined]
    c.decisions_out = [  # type: ignore[attr-defined]
        vars(d) | {"decided_by": d.decided_by.full_name, "signatures": signatures_out(d)}
        for d in c.decisions.select_related("decided_by")
    ]
    return c


class _Out(ComplaintOut):
    @staticmethod
    def resolve_decisions(obj: Any) -> list:
        return obj.decisions_out


@router.get("/feedback", response=FeedbackPage, tags=TAG, auth=AUTH)
def feedback_list(request: AuthenticatedHttpRequest, q: Query[FeedbackQuery]):
    rows = access.visible(request.user, Feedback.objects.select_related("complaint"))
    for field in ("classification", "source"):
        if getattr(q, field):
            rows = rows.filter(**{field: getattr(q, field)})
    if q.device:
        rows = rows.filter(device_id=q.device)
    if q.q:
        rows = rows.filter(title__icontains=q.q) | rows.filter(description__icontains=q.q)
    found = list(rows.order_by("-received_at", "-pk")[q.offset : q.offset + q.limit + 1])
    more = len(found) > q.limit
    return {
        "items": [_feedback(f) for f in found[: q.limit]],
        "next_offset": q.offset + q.limit if more else None,
    }


@router.post("/feedback", response={201: FeedbackOut}, tags=TAG, auth=AUTH)
def feedback_log(request: AuthenticatedHttpRequest, body: FeedbackIn):
    access.require_reader(request.user)
    return Status(201, _feedback(actions.log_feedback(actor=request.user, **body.dict())))


@router.get("/feedback/{pk}", response=FeedbackOut, tags=TAG, auth=AUTH)
def feedback_read(request: AuthenticatedHttpRequest, pk: int):
    return _feedback(access.get_for_user(request.user, Feedback.objects.all(), pk))


@router.post("/feedback/{pk}/classify", response=FeedbackOut, tags=TAG, auth=AUTH)
def feedback_classify(request: AuthenticatedHttpRequest, pk: int, body: ClassifyIn):
    feedback = access.get_for_user(request.user, Feedback.objects.all(), pk, permission=MANAGE)
    data = body.dict()
    if data.pop("complaint"):
        actions.classify_complaint(actor=request.user, feedback=feedback, **data)
    else:
        actions.classify_not_complaint(actor=request.user, feedback=feedback, reason=body.reason)
    return _feedback(Feedback.objects.get(pk=pk))


@router.get("/complaints", response=ComplaintPage, tags=TAG, auth=AUTH)
def complaint_list(request: AuthenticatedHttpRequest, q: Query[ComplaintQuery]):
    rows = access.visible(request.user, _complaints())
    if q.state:
        rows = rows.filter(state=q.state)
    if q.device:
        rows = rows.filter(device_id=q.device)
    if q.reportable is not None:
        wanted = {"decisions__in_force": True, "decisions__category__in": REPORTABLE}
        rows = rows.filter(**wanted) if q.reportable else rows.exclude(pk__in=rows.filter(**wanted))
    found = list(rows.order_by("-awareness_at", "-pk")[q.offset : q.offset + q.limit + 1])
    more = len(found) > q.limit
    return {
        "items": [_row(c) for c in found[: q.limit]],
        "next_offset": q.offset + q.limit if more else None,
    }


def _read(request: AuthenticatedHttpRequest, pk: int, permission: str | None = None) -> Complaint:
    return access.get_for_user(request.user, Complaint.objects.all(), pk, permission=permission)


@router.get("/complaints/{pk}", response=_Out, tags=TAG, auth=AUTH)
def complaint_read(request: AuthenticatedHttpRequest, pk: int):
    return _complaint(_read(request, pk).pk)


@router.patch("/complaints/{pk}", response=_Out, tags=TAG, auth=AUTH)
def complaint_edit(request: AuthenticatedHttpRequest, pk: int, body: EditIn):
    complaint = _read(request, pk, MANAGE)
    actions.edit_complaint(
        actor=request.user, complaint=complaint, reason=body.reason, fields=body.fields
    )
    return _complaint(pk)


@router.post("/complaints/{pk}/decide", response=_Out, tags=TAG, auth=AUTH)
def complaint_decide(request: AuthenticatedHttpRequest, pk: int, body: DecideIn):
    """The signed reportability decision: send the complaint's content_sha256 back."""
    answers = body.dict()
    actions.decide_reportability(
        actor=request.user,
        complaint=_read(request, pk),
        answers=answers,
        rationale=body.rationale,
        comment=body.reason,
        credentials=body.credentials(),
    )
    return _complaint(pk)


@router.post("/complaints/{pk}/close", response=_Out, tags=TAG, auth=AUTH)
def complaint_close(request: AuthenticatedHttpRequest, pk: int, body: CloseIn):
    """The QA lead's signed closure: send the complaint's content_sha256 back."""
    actions.close_complaint(
        actor=request.user,
        complaint=_read(request, pk),
        closure_note=body.closure_note,
        credentials=body.credentials(),
    )
    return _complaint(pk)


@router.post("/complaints/{pk}/links", response=_Out, tags=TAG, auth=AUTH)
def complaint_link(request: AuthenticatedHttpRequest, pk: int, body: LinkIn):
    actions.link_complaint(actor=request.user, complaint=_read(request, pk, MANAGE), **body.dict())
    return _complaint(pk)
