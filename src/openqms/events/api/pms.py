"""Post-market surveillance over the API: PMS plans, periodic reports (completion signed
with the password in the body), MHRA requests and bank holidays. The same actions as
the pages; records through events.access (404 for missing and forbidden)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Query, Schema, Status

from openqms.core.errors import InvalidInput, NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.signatures import content_hash
from openqms.devices.models import Device
from openqms.documents.models import Document
from openqms.events import access
from openqms.events.actions import pms as actions
from openqms.events.api import router
from openqms.events.api.common import AUTH, SignatureIn, record_id
from openqms.events.models import BankHoliday, MhraRequest, PmsPlan, PmsReport
from openqms.events.registry import CONFIGURE

TAG = ["events: pms"]
PAGE_SIZE = 50
REPORTS = PmsReport.objects.select_related("device", "document")


class Paging(Schema):
    page: int = Field(1, ge=1, le=100_000)


class ReportQuery(Paging):
    device: int | None = record_id("A device's id")
    state: str = Field("", max_length=20)


class PlanIn(Schema):
    document: str = Field(max_length=50, description="The controlled document's number")


class PlanOut(Schema):
    device: int
    document: str
    linked_by: str
    linked_at: dt.datetime
    replaced_at: dt.datetime | None


class ReportOut(Schema):
    id: int
    number: str
    title: str
    device: int | None
    report_type: str
    state: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    document: str | None
    conclusions: str
    closed_at: dt.datetime | None
    content_sha256: str = Field(description="Send it back as content_hash when signing")


class DetailsIn(Schema):
    document: str = Field("", max_length=50)
    conclusions: str = Field("", max_length=10_000)


class RequestIn(Schema):
    title: str = Field(max_length=200)
    device: int | None = record_id("A device's id")
    received_at: str = Field(max_length=40, description="ISO date-time; naive = UK time")
    asked: str = Field(max_length=10_000)
    mhra_reference: str = Field("", max_length=100)


class AnswerIn(Schema):
    answered_at: str = Field(max_length=40)
    sent: str = Field(max_length=10_000)


class RequestOut(Schema):
    id: int
    number: str
    title: str
    device: int | None
    state: str
    received_at: dt.datetime
    asked: str
    mhra_reference: str
    deadline_at: dt.datetime
    answered_at: dt.datetime | None
    sent: str
    on_time: bool | None


class HolidayIO(Schema):
    date: dt.date
    name: str = Field(max_length=100)


def _report_out(r: PmsReport) -> dict[str, Any]:
    return {
        **{k: getattr(r, k) for k in ReportOut.model_fields if hasattr(r, k)},
        "device": r.device_id,
        "document": r.document.number if r.document else None,
        "content_sha256": content_hash(r.signature_content()),
    }


def _request_out(m: MhraRequest) -> dict[str, Any]:
    return {**{k: getattr(m, k) for k in RequestOut.model_fields}, "device": m.device_id}


def _device(request: AuthenticatedHttpRequest, pk: int | None) -> Device | None:
    if pk is None:
        return None
    found = Device.objects.visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise InvalidInput("There is no such device.", fields={"device": "Unknown."})
    return found


def _document(number: str) -> Document | None:
    if not number:
        return None
    found = Document.objects.filter(number=number).first()
    if found is None:
        raise InvalidInput(
            f"There is no controlled document {number}.", fields={"document": "Unknown."}
        )
    return found


@router.get("/pms/devices/{pk}/plans", response=list[PlanOut], tags=TAG, auth=AUTH)
def plans(request: AuthenticatedHttpRequest, pk: int):
    """The device's PMS plans, the one in force first (replaced_at null)."""
    access.require_reader(request.user)
    device = Device.objects.visible_to(request.user).filter(pk=pk).first()
    if device is None:
        raise NotFound()
    rows = PmsPlan.objects.filter(device=device).select_related("document", "linked_by")
    return [
        {
            "device": p.device_id,
            "document": p.document.number,
            "linked_by": p.linked_by.full_name,
            "linked_at": p.linked_at,
            "replaced_at": p.replaced_at,
        }
        for p in rows
    ]


@router.post("/pms/devices/{pk}/plans", response={201: PlanOut}, tags=TAG, auth=AUTH)
def plan_link(request: AuthenticatedHttpRequest, pk: int, body: PlanIn):
    access.require_reader(request.user)
    device = _device(request, pk)
    document = _document(body.document)
    if device is None or document is None:
        raise InvalidInput("Name the controlled document.", fields={"document": "Required."})
    p = actions.link_pms_plan(actor=request.user, device=device, document=document)
    out = {
        "device": p.device_id,
        "document": document.number,
        "linked_by": request.user.full_name,
        "linked_at": p.linked_at,
        "replaced_at": None,
    }
    return Status(201, out)


@router.get("/pms/reports", response=list[ReportOut], tags=TAG, auth=AUTH)
def report_list(request: AuthenticatedHttpRequest, q: Query[ReportQuery]):
    access.require_reader(request.user)
    rows = REPORTS.order_by("due_on", "pk")
    if q.device:
        rows = rows.filter(device_id=q.device)
    if q.state:
        rows = rows.filter(state=q.state)
    start = (q.page - 1) * PAGE_SIZE
    return [_report_out(r) for r in rows[start : start + PAGE_SIZE]]


@router.post("/pms/devices/{pk}/reports", response={201: ReportOut}, tags=TAG, auth=AUTH)
def report_schedule(request: AuthenticatedHttpRequest, pk: int):
    """Schedule the device's next periodic report (period and due date from its class)."""
    access.require_reader(request.user)
    device = _device(request, pk)
    assert device is not None
    return Status(201, _report_out(actions.schedule_pms_report(actor=request.user, device=device)))


@router.get("/pms/reports/{pk}", response=ReportOut, tags=TAG, auth=AUTH)
def report_read(request: AuthenticatedHttpRequest, pk: int):
    return _report_out(access.get_for_user(request.user, REPORTS, pk))


@router.post("/pms/reports/{pk}/start", response=ReportOut, tags=TAG, auth=AUTH)
def report_start(request: AuthenticatedHttpRequest, pk: int):
    report = access.get_for_user(request.user, REPORTS, pk)
    return _report_out(actions.start_pms_report(actor=request.user, report=report))


@router.put("/pms/reports/{pk}/details", response=ReportOut, tags=TAG, auth=AUTH)
def report_details(request: AuthenticatedHttpRequest, pk: int, body: DetailsIn):
    report = access.get_for_user(request.user, REPORTS, pk)
    done = actions.record_pms_report_details(
        actor=request.user,
        report=report,
        document=_document(body.document),
        conclusions=body.conclusions,
    )
    return _report_out(access.get_for_user(request.user, REPORTS, done.pk))


@router.post("/pms/reports/{pk}/complete", response=ReportOut, tags=TAG, auth=AUTH)
def report_complete(request: AuthenticatedHttpRequest, pk: int, body: SignatureIn):
    """The completion signature (meaning "Periodic PMS report completed")."""
    report = access.get_for_user(request.user, REPORTS, pk)
    actions.complete_pms_report(
        actor=request.user, report=report, credentials=body.credentials(), reason=body.reason
    )
    return _report_out(access.get_for_user(request.user, REPORTS, pk))


@router.get("/pms/requests", response=list[RequestOut], tags=TAG, auth=AUTH)
def request_list(request: AuthenticatedHttpRequest, q: Query[Paging]):
    access.require_reader(request.user)
    start = (q.page - 1) * PAGE_SIZE
    return [_request_out(m) for m in MhraRequest.objects.all()[start : start + PAGE_SIZE]]


@router.post("/pms/requests", response={201: RequestOut}, tags=TAG, auth=AUTH)
def request_create(request: AuthenticatedHttpRequest, body: RequestIn):
    access.require_reader(request.user)
    made = actions.record_mhra_request(
        actor=request.user,
        device=_device(request, body.device),
        title=body.title,
        received_at=body.received_at,
        asked=body.asked,
        mhra_reference=body.mhra_reference,
    )
    return Status(201, _request_out(made))


@router.get("/pms/requests/{pk}", response=RequestOut, tags=TAG, auth=AUTH)
def request_read(request: AuthenticatedHttpRequest, pk: int):
    return _request_out(access.get_for_user(request.user, MhraRequest.objects.all(), pk))


@router.post("/pms/requests/{pk}/answer", response=RequestOut, tags=TAG, auth=AUTH)
def request_answer(request: AuthenticatedHttpRequest, pk: int, body: AnswerIn):
    found = access.get_for_user(request.user, MhraRequest.objects.all(), pk)
    done = actions.answer_mhra_request(
        actor=request.user, request=found, answered_at=body.answered_at, sent=body.sent
    )
    return _request_out(done)


@router.get("/pms/holidays", response=list[HolidayIO], tags=TAG, auth=AUTH)
def holiday_list(request: AuthenticatedHttpRequest):
    access.require_reader(request.user)
    return list(BankHoliday.objects.all())


@router.post("/pms/holidays", response={201: HolidayIO}, tags=TAG, auth=AUTH)
def holiday_set(request: AuthenticatedHttpRequest, body: HolidayIO):
    access.need(request.user, CONFIGURE)
    return Status(201, actions.set_bank_holiday(actor=request.user, day=body.date, name=body.name))
