"""Vigilance endpoints (/api/v1/events/…): clock rules, running clocks, incident reports
(draft, edit, due date, submission signed as in the page, the JSON export). Same
actions as the pages; health data only through core.confidentiality."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Query, Schema
from ninja.responses import Status

from openqms.core.api import SignatureIn, SignatureOut, signatures_out
from openqms.core.confidentiality import reveal
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.signatures import content_hash
from openqms.events import access, clocks
from openqms.events.actions import vigilance as actions
from openqms.events.api import router
from openqms.events.api.common import AUTH, record_id
from openqms.events.models import ClockRule, Complaint, IncidentReport
from openqms.events.registry import REPORT


class ClockRuleIn(Schema):
    category: str
    days: int
    effective_from: dt.date
    legal_reference: str = Field(max_length=300)


class ClockRuleOut(Schema):
    id: int
    category: str
    days: int
    effective_from: dt.date
    legal_reference: str


class ClockOut(Schema):
    complaint: str
    complaint_id: int
    title: str
    category: str
    rule: str
    deadline_at: dt.datetime
    seconds_left: int
    overdue: bool
    initial_report: str | None


class ClocksOut(Schema):
    clocks: list[ClockOut]
    on_time: int = Field(description="Initial reports submitted on time")
    submitted: int = Field(description="Initial reports submitted")


class Page(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)
    state: str = ""
    report_type: str = ""
    complaint: int | None = record_id("A complaint's id")


class ReportFields(Schema):
    title: str | None = None
    device_name: str | None = None
    device_model: str | None = None
    device_class: str | None = None
    gmdn_code: str | None = None
    basic_udi_di: str | None = None
    udi_di: str | None = None
    serial: str | None = None
    lot: str | None = None
    software_version: str | None = None
    event_description: str | None = None
    incident_date: dt.date | None = None
    patient_outcome: str | None = None
    investigation: str | None = None
    root_cause: str | None = None
    actions_taken: str | None = None
    actions_planned: str | None = None
    manufacturer_comments: str | None = None


class ReportIn(ReportFields):
    complaint: int
    report_type: str


class DueIn(Schema):
    due_at: dt.datetime | None = None
    reason: str = Field("", max_length=1000)


class SubmitIn(SignatureIn):
    mhra_reference: str = Field(max_length=100)
    submitted_at: dt.datetime


class ReportRow(Schema):
    id: int
    number: str
    title: str
    complaint: str
    report_type: str
    sequence: int
    state: str
    mhra_reference: str
    submitted_at: dt.datetime | None
    on_time: bool | None


class ReportPage(Schema):
    items: list[ReportRow]
    next_offset: int | None = Field(None, description="Pass as `offset` for the next page")


class ReportOut(Schema):
    id: int
    report: dict[str, Any] = Field(description="The structured export (stable keys)")
    content_sha256: str = Field(description="Send it back as content_hash when submitting")
    signatures: list[SignatureOut]


def _row(r: IncidentReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "number": r.number,
        "title": r.title,
        "complaint": r.complaint.number,
        "report_type": r.report_type,
        "sequence": r.sequence,
        "state": r.state,
        "mhra_reference": r.mhra_reference,
        "submitted_at": r.submitted_at,
        "on_time": r.on_time,
    }


def _report(request: AuthenticatedHttpRequest, pk: int, permission: str | None = None):
    rows = IncidentReport.objects.select_related("complaint", "submitted_by")
    return access.get_for_user(request.user, rows, pk, permission=permission)


def _out(request: AuthenticatedHttpRequest, report: IncidentReport) -> dict[str, Any]:
    data = actions.report_json(report, None)
    data["incident"]["patient_outcome"] = reveal(request.user, report)["patient_outcome"]
    return {
        "id": report.pk,
        "report": data,
        "content_sha256": content_hash(report.signature_content()),
        "signatures": signatures_out(report),
    }


def _fields(body: ReportFields) -> dict[str, Any]:
    return {k: v for k, v in body.dict().items() if v is not None and k in actions.EDITABLE}


@router.get("/clock-rules", response=list[ClockRuleOut], auth=AUTH, tags=["vigilance"])
def rule_list(request: AuthenticatedHttpRequest):
    access.require_reader(request.user)
    return list(ClockRule.objects.order_by("category", "-effective_from"))


@router.post("/clock-rules", response={201: ClockRuleOut}, auth=AUTH, tags=["vigilance"])
def rule_add(request: AuthenticatedHttpRequest, body: ClockRuleIn):
    access.require_reader(request.user)
    return Status(201, actions.add_clock_rule(actor=request.user, **body.dict()))


@router.get("/vigilance/clocks", response=ClocksOut, auth=AUTH, tags=["vigilance"])
def clock_list(request: AuthenticatedHttpRequest):
    access.require_reader(request.user)
    now = timezone.now()
    on_time, submitted = clocks.on_time_rate()
    found = [
        {
            "complaint": c.complaint.number,
            "complaint_id": c.complaint.pk,
            "title": c.complaint.title,
            "category": c.decision.category,
            "rule": str(c.decision.rule),
            "deadline_at": c.deadline,
            "seconds_left": int(c.left(now).total_seconds()),
            "overdue": c.overdue(now),
            "initial_report": c.initial.number if c.initial else None,
        }
        for c in clocks.open_clocks()
    ]
    return {"clocks": found, "on_time": on_time, "submitted": submitted}


@router.get("/incident-reports", response=ReportPage, auth=AUTH, tags=["vigilance"])
def report_list(request: AuthenticatedHttpRequest, q: Query[Page]):
    rows = access.visible(request.user, IncidentReport.objects.select_related("complaint"))
    access.require_reader(request.user)
    if q.state:
        rows = rows.filter(state=q.state)
    if q.report_type:
        rows = rows.filter(report_type=q.report_type)
    if q.complaint:
        rows = rows.filter(complaint_id=q.complaint)
    found = list(rows.order_by("-opened_at", "-pk")[q.offset : q.offset + q.limit + 1])
    more = len(found) > q.limit
    return {
        "items": [_row(r) for r in found[: q.limit]],
        "next_offset": q.offset + q.limit if more else None,
    }


@router.post("/incident-reports", response={201: ReportOut}, auth=AUTH, tags=["vigilance"])
def report_create(request: AuthenticatedHttpRequest, body: ReportIn):
    access.need(request.user, REPORT)
    complaint = access.get_for_user(request.user, Complaint.objects.all(), body.complaint)
    made = actions.draft_report(
        actor=request.user,
        complaint=complaint,
        report_type=body.report_type,
        fields=_fields(body),
    )
    return Status(201, _out(request, _report(request, made.pk)))


@router.get("/incident-reports/{pk}", response=ReportOut, auth=AUTH, tags=["vigilance"])
def report_read(request: AuthenticatedHttpRequest, pk: int):
    return _out(request, _report(request, pk))


@router.patch("/incident-reports/{pk}", response=ReportOut, auth=AUTH, tags=["vigilance"])
def report_edit(request: AuthenticatedHttpRequest, pk: int, body: ReportFields):
    report = _report(request, pk, REPORT)
    actions.edit_report(actor=request.user, report=report, fields=_fields(body))
    return _out(request, _report(request, pk))


@router.post("/incident-reports/{pk}/due", response=ReportOut, auth=AUTH, tags=["vigilance"])
def report_due(request: AuthenticatedHttpRequest, pk: int, body: DueIn):
    report = _report(request, pk, REPORT)
    actions.set_report_due(
        actor=request.user, report=report, due_at=body.due_at, reason=body.reason
    )
    return _out(request, _report(request, pk))


@router.post("/incident-reports/{pk}/submit", response=ReportOut, auth=AUTH, tags=["vigilance"])
def report_submit(request: AuthenticatedHttpRequest, pk: int, body: SubmitIn):
    report = _report(request, pk, REPORT)
    actions.submit_report(
        actor=request.user,
        report=report,
        mhra_reference=body.mhra_reference,
        submitted_at=body.submitted_at,
        credentials=body.credentials(),
        comment=body.reason,
    )
    return _out(request, _report(request, pk))


@router.get("/incident-reports/{pk}/export", response=dict[str, Any], auth=AUTH, tags=["vigilance"])
def report_export(request: AuthenticatedHttpRequest, pk: int):
    report = _report(request, pk)
    return _out(request, report)["report"]
