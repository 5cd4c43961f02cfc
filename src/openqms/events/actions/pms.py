"""Post-market surveillance actions (UK MDR 2002 Part 4A): link a device's PMS plan,
schedule, prepare and complete (signed) its periodic reports, record MHRA requests for
PMS documents and their answers, and keep the bank holidays their deadline counts.
Each is the one writer of its change, with its audit event in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from openqms.core import audit
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.core.workflow import Transition, Workflow
from openqms.devices.models import Device
from openqms.documents.models import Document
from openqms.events import schedule, workdays
from openqms.events.actions.common import (
    date,
    link_sources,
    long_text,
    moment,
    require,
    require_performer,
    text,
)
from openqms.events.models import (
    BankHoliday,
    MhraRequest,
    MhraRequestState,
    PmsPlan,
    PmsReport,
    PmsReportState,
)
from openqms.events.numbers import next_number
from openqms.events.pack import PackSection
from openqms.events.registry import CONFIGURE, MANAGE, PMS_REPORT_COMPLETED, REPORT, SIGN

S = PmsReportState


def missing_content(report: PmsReport, actor: User | None) -> str | None:
    if report.document_id is None:
        return "Link the controlled document that is the report first."
    if not report.conclusions.strip():
        return "Write the report's conclusions first."
    return None


REPORTS = Workflow(
    model=PmsReport,
    states=PmsReportState,
    transitions=[
        Transition(
            "start",
            (S.SCHEDULED,),
            S.IN_PREPARATION,
            MANAGE,
            "events.pms_report.started",
            label="Start preparing the report",
        ),
        Transition(
            "complete",
            (S.IN_PREPARATION,),
            S.COMPLETED,
            SIGN,
            "events.pms_report.completed",
            label="Complete the report",
            signature=PMS_REPORT_COMPLETED,
            guards=(missing_content,),
            stamp="closed_at",
        ),
    ],
)


# --- PMS plans --------------------------------------------------------------------------


def current_plan(device: Device) -> PmsPlan | None:
    found = PmsPlan.objects.filter(device=device, replaced_at__isnull=True)
    return found.select_related("document").first()


@audit.writing()
def link_pms_plan(*, actor: User, device: Device, document: Document) -> PmsPlan:
    """Make `document` the device's PMS plan; the previous link is kept, ended."""
    require(actor, MANAGE, "link a device's PMS plan")
    now = timezone.now()
    previous = PmsPlan.objects.select_for_update().filter(device=device, replaced_at=None).first()
    if previous is not None and previous.document_id == document.pk:
        raise InvalidInput(
            f"{document} is already the PMS plan of {device}.",
            fields={"document": "Already the plan."},
        )
    if previous is not None:
        previous.replaced_at = now
        previous.save(update_fields=["replaced_at"])
    plan = PmsPlan.objects.create(device=device, document=document, linked_by=actor, linked_at=now)
    audit.record(
        actor=actor,
        action="events.pms_plan.linked",
        obj=device,
        changes={"pms_plan": [previous.document.number if previous else None, document.number]},
    )
    return plan


# --- Periodic reports ----------------------------------------------------------------------


@audit.writing()
def schedule_pms_report(
    *,
    actor: User,
    device: Device,
    start: object = None,
    sources: tuple[str, ...] = (),
) -> PmsReport:
    """Schedule the device's next periodic report (period and due date from its class).
    `start` may be given for a device's first report in OpenQMS only: the end of the
    period of its last report made before (on paper or in another system)."""
    require(actor, MANAGE, "schedule periodic PMS reports")
    Device.objects.select_for_update().filter(pk=device.pk).first()
    if PmsReport.objects.filter(device=device).exclude(state=S.COMPLETED).exists():
        raise TransitionNotAllowed(
            f"{device} already has a periodic report not yet completed; complete it first."
        )
    first = date(start, "start", required=False)
    if first is not None and PmsReport.objects.filter(device=device).exists():
        raise InvalidInput(
            "A start date is given only for a device's first report in OpenQMS; the next "
            "period starts where the last one ended.",
            fields={"start": "Only for the first report."},
        )
    if first is not None and first > timezone.localdate():
        raise InvalidInput("The start cannot be in the future.", fields={"start": "In the future."})
    period = schedule.next_period(device, start=first)
    label = "PSUR" if period.report_type == "psur" else "PMSR"
    report = PmsReport.objects.create(
        number=next_number("pms_report"),
        title=f"{label} of {device}, {period.start:%d %b %Y} – {period.end:%d %b %Y}",
        device=device,
        owner=actor,
        opened_by=actor,
        opened_at=timezone.now(),
        report_type=period.report_type,
        period_start=period.start,
        period_end=period.end,
        due_on=period.due_on,
    )
    audit.record(
        actor=actor,
        action="events.pms_report.scheduled",
        obj=report,
        changes={
            "report_type": [None, report.report_type],
            "period_start": [None, report.period_start.isoformat()],
            "period_end": [None, report.period_end.isoformat()],
            "due_on": [None, report.due_on.isoformat()],
        },
    )
    link_sources(actor=actor, record=report, sources=sources)
    return report


def start_pms_report(*, actor: User, report: PmsReport) -> PmsReport:
    require_performer(actor, report)
    return REPORTS.apply(obj=report, name="start", actor=actor)


@audit.writing()
def record_pms_report_details(
    *, actor: User, report: PmsReport, document: Document | None, conclusions: str
) -> PmsReport:
    """While in preparation: the controlled document that is the report, and its
    conclusions (what the completion signature then covers)."""
    require(actor, MANAGE, "prepare periodic PMS reports")
    require_performer(actor, report)
    locked = PmsReport.objects.select_for_update().get(pk=report.pk)
    if locked.state != S.IN_PREPARATION:
        raise TransitionNotAllowed(
            f"Details are recorded while the report is in preparation; it is "
            f"{locked.get_state_display()}."
        )
    new = {"document_id": document.pk if document else None}
    new["conclusions"] = long_text(conclusions, "conclusions")  # type: ignore[assignment]
    changes = audit.diff({k: getattr(locked, k) for k in new}, new)
    if not changes:
        raise InvalidInput("Nothing changed.", fields={"conclusions": "Nothing changed."})
    for name, value in new.items():
        setattr(locked, name, value)
    locked.save(update_fields=["document", "conclusions"])
    audit.record(actor=actor, action="events.pms_report.edited", obj=locked, changes=changes)
    return locked


def complete_pms_report(
    *, actor: User, report: PmsReport, credentials: Credentials | None, reason: str = ""
) -> PmsReport:
    return REPORTS.apply(
        obj=report, name="complete", actor=actor, credentials=credentials, reason=reason
    )


def pack_section(device: Device, start: dt.date, end: dt.date) -> PackSection:
    """The periodic reports whose period ends within [start, end]."""
    reports = PmsReport.objects.filter(
        device=device, period_end__gte=start, period_end__lte=end
    ).order_by("period_start")
    rows = [
        (
            r.number,
            r.get_report_type_display(),
            r.period_start,
            r.period_end,
            r.due_on,
            r.get_state_display(),
            r.closed_at.date() if r.closed_at else "",
        )
        for r in reports
    ]
    done = sum(1 for r in rows if r[5] == S.COMPLETED.label)
    return PackSection(
        title="Periodic PMS reports",
        columns=("number", "type", "period start", "period end", "due", "state", "completed"),
        rows=rows,
        summary=f"{len(rows)} periodic report(s), {done} completed",
    )


# --- MHRA requests ---------------------------------------------------------------------------


@audit.writing()
def record_mhra_request(
    *,
    actor: User,
    device: Device | None,
    title: str,
    received_at: object,
    asked: str,
    mhra_reference: str = "",
) -> MhraRequest:
    """Record an MHRA request for PMS documents; its deadline is 3 working days."""
    require(actor, REPORT, "record MHRA requests")
    clean_title = text(title, "title")
    received = moment(received_at, "received_at")
    assert received is not None  # required
    if received > timezone.now():
        raise InvalidInput(
            "The request cannot be received in the future.",
            fields={"received_at": "In the future."},
        )
    request = MhraRequest.objects.create(
        number=next_number("mhra_request"),
        title=clean_title,
        device=device,
        owner=actor,
        opened_by=actor,
        opened_at=timezone.now(),
        received_at=received,
        asked=long_text(asked, "asked", required=True),
        mhra_reference=text(mhra_reference, "mhra_reference", required=False, limit=100),
        deadline_at=workdays.deadline(received),
    )
    audit.record(
        actor=actor,
        action="events.mhra_request.received",
        obj=request,
        changes={
            "received_at": [None, request.received_at.astimezone(dt.UTC).isoformat()],
            "deadline_at": [None, request.deadline_at.astimezone(dt.UTC).isoformat()],
        },
    )
    return request


@audit.writing()
def answer_mhra_request(
    *, actor: User, request: MhraRequest, answered_at: object, sent: str
) -> MhraRequest:
    """Record when the documents went to the MHRA and what was sent; on time is kept."""
    require(actor, REPORT, "answer MHRA requests")
    require_performer(actor, request)
    locked = MhraRequest.objects.select_for_update().get(pk=request.pk)
    if locked.state != MhraRequestState.OPEN:
        raise TransitionNotAllowed("This request is already answered.")
    answered = moment(answered_at, "answered_at")
    assert answered is not None
    if answered < locked.received_at or answered > timezone.now():
        raise InvalidInput(
            "The answer must be sent after the request was received and not in the future.",
            fields={"answered_at": "Between receipt and now."},
        )
    locked.sent = long_text(sent, "sent", required=True)
    locked.answered_at = answered
    locked.on_time = answered < locked.deadline_at
    locked.state = MhraRequestState.ANSWERED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["sent", "answered_at", "on_time", "state", "closed_at"])
    audit.record(
        actor=actor,
        action="events.mhra_request.answered",
        obj=locked,
        changes={
            "state": [MhraRequestState.OPEN, MhraRequestState.ANSWERED],
            "answered_at": [None, answered.astimezone(dt.UTC).isoformat()],
            "on_time": [None, locked.on_time],
        },
    )
    return locked


# --- Bank holidays ------------------------------------------------------------------------------


@audit.writing()
def set_bank_holiday(*, actor: User, day: object, name: str) -> BankHoliday:
    """Add a bank holiday, or rename the one on that day."""
    require(actor, CONFIGURE, "change the bank holidays")
    when = date(day, "date")
    assert when is not None
    clean = text(name, "name", limit=100)
    found = BankHoliday.objects.select_for_update().filter(date=when).first()
    if found is not None and found.name == clean:
        raise InvalidInput("That holiday is already there.", fields={"name": "Nothing changed."})
    old = found.name if found else None
    holiday, _ = BankHoliday.objects.update_or_create(
        date=when, defaults={"name": clean, "changed_by": actor, "changed_at": timezone.now()}
    )
    audit.record(
        actor=actor,
        action="events.holiday.set",
        obj=holiday,
        changes={"date": when.isoformat(), "name": [old, clean]},
    )
    return holiday


@audit.writing()
def remove_bank_holiday(*, actor: User, holiday: BankHoliday, reason: str) -> None:
    require(actor, CONFIGURE, "change the bank holidays")
    why = long_text(reason, "reason", required=True)
    audit.record(
        actor=actor,
        action="events.holiday.removed",
        obj=holiday,
        changes={"date": holiday.date.isoformat(), "name": [holiday.name, None]},
        reason=why,
    )
    BankHoliday.objects.filter(pk=holiday.pk).delete()


@audit.writing()
def seed_bank_holidays(*, actor: User | None, years: range) -> int:
    """Add the England and Wales bank holidays of `years` not there yet (rows edited by
    hand are left as they are); one audit event listing the days added."""
    if actor is not None:
        require(actor, CONFIGURE, "change the bank holidays")
    have = set(BankHoliday.objects.values_list("date", flat=True))
    new = [(day, name) for day, name in workdays.official(years) if day not in have]
    BankHoliday.objects.bulk_create(
        BankHoliday(date=day, name=name[:100], changed_by=actor, changed_at=timezone.now())
        for day, name in new
    )
    if new:
        audit.record(
            actor=actor,
            action="events.holiday.seeded",
            object_type="events.bankholiday",
            changes={"added": [day.isoformat() for day, _ in new], "years": list(years)},
        )
    return len(new)
