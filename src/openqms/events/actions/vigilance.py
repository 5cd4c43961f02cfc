"""Vigilance's writers (UK MDR 2002 Part 4A): clock rules added as dated configuration,
incident reports drafted, edited and submitted to the MHRA (a signed step), and the
rule that a reportable complaint cannot close before its final report is submitted.

Rules only move forward: a new rule must be dated after the latest rule of its
category. A row slipped in between two existing rules would silently change which rule
applied to complaints already aware in that interval; a change of the law is recorded
as the law is made (a date after the rule it replaces), and may be dated in the past
when it is recorded late (decisions already signed keep the rule and deadline they
were given)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone

from openqms.core import audit, modules
from openqms.core.confidentiality import reveal
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.core.workflow import Transition, Workflow
from openqms.events import clocks, guards
from openqms.events.actions.common import (
    changed_fields,
    choice,
    count,
    date,
    link_sources,
    long_text,
    moment,
    require,
    require_performer,
    text,
)
from openqms.events.models import (
    REPORT_TEXT,
    REPORTABLE,
    Category,
    ClockRule,
    Complaint,
    IncidentReport,
    ReportabilityDecision,
    ReportState,
    ReportType,
)
from openqms.events.numbers import next_number
from openqms.events.pack import PackSection
from openqms.events.pdf_vigilance import report_pdf
from openqms.events.registry import CONFIGURE, REPORT, SUBMITTED_TO_MHRA

# --- clock rules --------------------------------------------------------------------------


@audit.writing()
def add_clock_rule(
    *, actor: User, category: str, days: Any, effective_from: Any, legal_reference: str
) -> ClockRule:
    require(actor, CONFIGURE, "change vigilance clock rules")
    category = choice(category, Category, "category")
    if category not in REPORTABLE:
        raise InvalidInput(
            "Only a reportable category has a clock.", fields={"category": "Not reportable."}
        )
    number = count(days, "days", limit=365)
    if number < 1:
        raise InvalidInput("The days must be at least 1.", fields={"days": "At least 1."})
    since = date(effective_from, "effective_from")
    assert since is not None  # required
    reference = text(legal_reference, "legal_reference", limit=300)
    latest = ClockRule.objects.filter(category=category).aggregate(d=Max("effective_from"))["d"]
    if latest is not None and since <= latest:
        raise InvalidInput(
            f"A new rule must take effect after the latest rule of its category "
            f"({latest:%d %b %Y}): rules are never back-dated between others.",
            fields={"effective_from": f"After {latest:%d %b %Y}."},
        )
    rule = ClockRule.objects.create(
        category=category,
        days=number,
        effective_from=since,
        legal_reference=reference,
        added_by=actor,
        added_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="events.clockrule.added",
        obj=rule,
        changes={
            "category": category,
            "days": number,
            "effective_from": since.isoformat(),
            "legal_reference": reference,
        },
    )
    return rule


# --- incident reports -----------------------------------------------------------------------

SHORT = {"device_name": 200, "device_model": 100, "device_class": 100, "gmdn_code": 20}
SHORT |= {"basic_udi_di": 200, "udi_di": 200, "serial": 100, "lot": 100}
SHORT |= {"software_version": 100}
EDITABLE = (*REPORT_TEXT, "patient_outcome", "incident_date", "title")


def _clean(fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    found: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "incident_date":
            found[name] = date(value, name, required=False)
            if found[name] and found[name] > timezone.localdate():
                raise InvalidInput(
                    "The incident date is in the future.", fields={name: "Not in the future."}
                )
        elif name == "title":
            found[name] = text(value, name)
        elif name in SHORT:
            found[name] = text(value, name, required=False, limit=SHORT[name])
        else:
            found[name] = long_text(value, name, required=name == "event_description")
    return found


def _decision_in_force(complaint: Complaint) -> ReportabilityDecision | None:
    return ReportabilityDecision.objects.filter(complaint=complaint, in_force=True).first()


def device_identification(complaint: Complaint) -> dict[str, str]:
    """What the device register says of the complaint's device, to start a draft."""
    device = complaint.device
    if device is None:
        return {"serial": complaint.serial, "lot": complaint.lot, "udi_di": complaint.udi}
    udis = {u.kind: u.code for u in device.udis.filter(removed_at__isnull=True)}
    return {
        "device_name": device.name,
        "device_model": complaint.model or device.model,
        "device_class": str(device.device_class),
        "gmdn_code": device.gmdn_code,
        "basic_udi_di": udis.get("basic", ""),
        "udi_di": complaint.udi or udis.get("di", ""),
        "serial": complaint.serial,
        "lot": complaint.lot,
    }


def next_report_refusal(complaint: Complaint, report_type: str) -> str | None:
    """Why a report of `report_type` cannot be started for `complaint` now, or None."""
    decision = _decision_in_force(complaint)
    if decision is None or not decision.reportable:
        return "Only a complaint decided to be a reportable serious incident is reported."
    reports = list(complaint.incident_reports.values_list("report_type", flat=True))
    if ReportType.FINAL in reports:
        return "The final report ended this complaint's series of reports."
    if report_type == ReportType.INITIAL and ReportType.INITIAL in reports:
        return "This complaint already has its initial report; start a follow-up or final one."
    if report_type != ReportType.INITIAL and ReportType.INITIAL not in reports:
        return "The first report of a complaint is the initial report."
    return None


@audit.writing()
def draft_report(
    *,
    actor: User,
    complaint: Complaint,
    report_type: str,
    fields: Mapping[str, Any] | None = None,
    sources: Iterable[str] = (),
) -> IncidentReport:
    """Start an incident report of `complaint`, its device identification and incident
    taken from the complaint and the device register unless given in `fields`."""
    require(actor, REPORT, "record vigilance reports")
    report_type = choice(report_type, ReportType, "report_type")
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    refusal = next_report_refusal(complaint, report_type)
    if refusal:
        raise TransitionNotAllowed(refusal)
    start: dict[str, Any] = {
        "title": complaint.title,
        **device_identification(complaint),
        "event_description": complaint.what_happened,
        "patient_outcome": complaint.patient_outcome,
        "investigation": complaint.investigation,
        "root_cause": complaint.root_cause,
    }
    data = start | _clean(fields or {})
    if not data["event_description"]:
        raise InvalidInput("Describe the event.", fields={"event_description": "Required."})
    last = complaint.incident_reports.aggregate(n=Max("sequence"))["n"] or 0
    report = IncidentReport(
        complaint=complaint,
        report_type=report_type,
        sequence=last + 1,
        device=complaint.device,
        owner=actor,
        opened_by=actor,
        opened_at=timezone.now(),
        awareness_at=complaint.awareness_at,
        **data,
    )
    require_performer(actor, report)
    report.number = next_number(IncidentReport.KIND)
    report.save()
    audit.record(
        actor=actor,
        action="events.incident_report.drafted",
        obj=report,
        changes={
            "number": report.number,
            "complaint": complaint.number,
            "report_type": report_type,
            "sequence": report.sequence,
        },
    )
    link_sources(
        actor=actor,
        record=report,
        sources={f"events.complaint:{complaint.pk}", *sources},
        kind="reported",
    )
    modules.fire("events.record_opened", report)
    return report


def _locked_draft(report: IncidentReport) -> IncidentReport:
    locked = IncidentReport.objects.select_for_update().get(pk=report.pk)
    if locked.state != ReportState.DRAFT:
        raise TransitionNotAllowed("A submitted report is never changed; write a follow-up.")
    return locked


@audit.writing()
def edit_report(
    *, actor: User, report: IncidentReport, fields: Mapping[str, Any]
) -> IncidentReport:
    require(actor, REPORT, "record vigilance reports")
    new = _clean(fields)
    locked = _locked_draft(report)
    require_performer(actor, locked)
    changes = changed_fields(locked, new)
    if not changes:
        return locked
    if not locked.event_description:
        raise InvalidInput("Describe the event.", fields={"event_description": "Required."})
    locked.save(update_fields=list(changes))
    audit.record(actor=actor, action="events.incident_report.edited", obj=locked, changes=changes)
    return locked


@audit.writing()
def set_report_due(
    *, actor: User, report: IncidentReport, due_at: Any, reason: str = ""
) -> IncidentReport:
    """The date a follow-up or final report is due (agreed with the MHRA); empty clears it."""
    require(actor, REPORT, "set vigilance due dates")
    due = moment(due_at, "due_at", required=False)
    locked = _locked_draft(report)
    if locked.report_type == ReportType.INITIAL:
        raise TransitionNotAllowed(
            "An initial report is due by its reportability decision's deadline."
        )
    require_performer(actor, locked)
    changes = changed_fields(locked, {"due_at": due})
    if not changes:
        return locked
    locked.save(update_fields=["due_at"])
    audit.record(
        actor=actor,
        action="events.incident_report.due_set",
        obj=locked,
        changes=changes,
        reason=reason.strip(),
    )
    return locked


def _series_open(report: IncidentReport, actor: User | None) -> str | None:
    final = IncidentReport.objects.filter(
        complaint_id=report.complaint_id,
        report_type=ReportType.FINAL,
        state=ReportState.SUBMITTED,
    )
    if report.report_type != ReportType.FINAL and final.exists():
        return "The final report ended this complaint's series; this one cannot be submitted."
    return None


SUBMISSION = Workflow(
    model=IncidentReport,
    states=ReportState,
    transitions=[
        Transition(
            "submit",
            sources=(ReportState.DRAFT,),
            target=ReportState.SUBMITTED,
            permission=REPORT,
            signature=SUBMITTED_TO_MHRA,
            event="events.incident_report.submitted",
            label="Record the submission to the MHRA",
            guards=(_series_open,),
        )
    ],
)


def deadline_of(report: IncidentReport) -> dt.datetime | None:
    """What the report's timeliness is judged by: an initial report, the deadline of the
    decision in force; a follow-up or final report, its due date (None: not judged)."""
    if report.report_type != ReportType.INITIAL:
        return report.due_at
    decision = _decision_in_force(report.complaint)
    return decision.deadline_at if decision is not None and decision.reportable else None


def is_on_time(submitted_at: dt.datetime, deadline: dt.datetime | None) -> bool | None:
    """Before the deadline instant (UK midnight ending the last day): a report sent at
    23:59:59 of the last day is on time, one sent at 00:00:00 the next day is late."""
    return None if deadline is None else submitted_at < deadline


def submit_report(
    *,
    actor: User,
    report: IncidentReport,
    mhra_reference: str,
    submitted_at: Any,
    credentials: Credentials | None,
    comment: str = "",
) -> IncidentReport:
    """Record that `report` went to the MHRA (signed "submitted to the MHRA")."""
    # As stored now (the caller's copy may predate a due date just set).
    report = IncidentReport.objects.select_related("complaint").get(pk=report.pk)
    reference = text(mhra_reference, "mhra_reference", limit=100)
    sent = moment(submitted_at, "submitted_at", not_future=True)
    assert sent is not None
    if sent < report.awareness_at:
        raise InvalidInput(
            "The submission cannot be before the manufacturer became aware.",
            fields={"submitted_at": "After the awareness date-time."},
        )
    deadline = deadline_of(report)
    updates = {
        "mhra_reference": reference,
        "submitted_at": sent,
        "submitted_by": actor,
        "deadline_at": deadline,
        "on_time": is_on_time(sent, deadline),
    }
    return SUBMISSION.apply(
        obj=report,
        name="submit",
        actor=actor,
        reason=comment,
        credentials=credentials,
        updates=updates,
        sign_updates=True,  # the signature covers the MHRA reference and date sent
    )


# --- the rule vigilance puts on closing a complaint -----------------------------------------


def close_refusal(complaint: Any) -> str | None:
    """A reportable complaint closes only after its final report went to the MHRA."""
    decision = _decision_in_force(complaint)
    if decision is None or not decision.reportable:
        return None
    final = IncidentReport.objects.filter(
        complaint_id=complaint.pk, report_type=ReportType.FINAL, state=ReportState.SUBMITTED
    )
    if final.exists():
        return None
    return "This complaint is a reportable serious incident: submit its final report first."


def close_allowed(complaints: QuerySet) -> QuerySet:
    """close_refusal as a filter (one query for a list): not reportable, or its final
    report submitted."""
    reportable = ReportabilityDecision.objects.filter(
        complaint=OuterRef("pk"), in_force=True, category__in=REPORTABLE
    )
    final = IncidentReport.objects.filter(
        complaint=OuterRef("pk"), report_type=ReportType.FINAL, state=ReportState.SUBMITTED
    )
    return complaints.filter(~Exists(reportable) | Exists(final))


guards.register("complaint", "close", close_refusal, narrow=close_allowed)


# --- exports: the report as JSON and PDF ----------------------------------------------------

JSON_VERSION = 1


def report_json(report: IncidentReport, viewer: User | None) -> dict[str, Any]:
    """The report as structured data with stable keys (`schema` names the version); the
    patient outcome only for a viewer granted health data (else the hidden marker)."""
    # The read of the outcome is recorded (core.confidentiality; ISO 13485 4.2.5).
    outcome = reveal(viewer, report, ["patient_outcome"])["patient_outcome"]
    return {
        "schema": f"openqms.incident_report/{JSON_VERSION}",
        "number": report.number,
        "report_type": report.report_type,
        "sequence": report.sequence,
        "state": report.state,
        "complaint": report.complaint.number,
        "device": {
            "name": report.device_name,
            "model": report.device_model,
            "class": report.device_class,
            "gmdn_code": report.gmdn_code,
            "basic_udi_di": report.basic_udi_di,
            "udi_di": report.udi_di,
            "serial": report.serial,
            "lot": report.lot,
            "software_version": report.software_version,
        },
        "incident": {
            "description": report.event_description,
            "date": report.incident_date.isoformat() if report.incident_date else None,
            "awareness_at": report.awareness_at.isoformat(),
            "patient_outcome": outcome,
        },
        "investigation": {
            "findings": report.investigation,
            "root_cause": report.root_cause,
            "actions_taken": report.actions_taken,
            "actions_planned": report.actions_planned,
        },
        "manufacturer_comments": report.manufacturer_comments,
        "submission": {
            "mhra_reference": report.mhra_reference,
            "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
            "submitted_by": report.submitted_by.full_name if report.submitted_by else None,
            "deadline_at": report.deadline_at.isoformat() if report.deadline_at else None,
            "on_time": report.on_time,
        },
    }


def report_json_bytes(report: IncidentReport, viewer: User | None) -> bytes:
    return json.dumps(report_json(report, viewer), indent=2, ensure_ascii=False).encode()


# --- the PMS pack's section ---------------------------------------------------------------------


def pack_section(device: Any, start: dt.date, end: dt.date) -> PackSection:
    """Incident reports of `device` opened in the period, each with its PDF and JSON (no
    health data: a pack leaves the QMS)."""
    from_ = dt.datetime.combine(start, dt.time(0), tzinfo=clocks.UK)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=clocks.UK)
    reports = list(
        IncidentReport.objects.filter(device=device, opened_at__gte=from_, opened_at__lt=until)
        .select_related("complaint", "submitted_by", "owner", "device")
        .order_by("opened_at", "pk")
    )
    files: list[tuple[str, bytes]] = []
    for r in reports:
        files.append((f"incident-reports/{r.number}.json", report_json_bytes(r, None)))
        files.append((f"incident-reports/{r.number}.pdf", report_pdf(r, None)))
    late = sum(1 for r in reports if r.on_time is False)
    return PackSection(
        title="Incident reports",
        columns=("Number", "Complaint", "Type", "State", "MHRA reference", "Submitted", "On time"),
        rows=[
            (
                r.number,
                r.complaint.number,
                r.get_report_type_display(),
                r.get_state_display(),
                r.mhra_reference,
                r.submitted_at.isoformat() if r.submitted_at else "",
                {True: "yes", False: "no", None: ""}[r.on_time],
            )
            for r in reports
        ],
        summary=f"{len(reports)} incident report(s), {late} late",
        files=files,
    )
