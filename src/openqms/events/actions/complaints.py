"""Feedback, complaints and reportability decisions (ISO 13485 8.2.1, 8.2.2; UK MDR 2002
Part 4A): the only writers of Feedback, Complaint and ReportabilityDecision.

Classifying feedback as a complaint writes two events (the feedback classified, the
complaint opened); every other action writes one. The reportability decision and the
closure are signed through core's one signed step (core.signing.perform), in
complaint_signing.py, re-exported here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from openqms.core import audit, modules
from openqms.core.confidentiality import may_see
from openqms.core.errors import (
    InvalidInput,
    NotFound,
    PermissionRefused,
    TransitionNotAllowed,
)
from openqms.core.links import key_of, link_records, links_of, unlink_record
from openqms.core.models import User
from openqms.devices.models import Device
from openqms.events.actions.common import (
    changed_fields,
    choice,
    flag,
    long_text,
    moment,
    require,
    require_performer,
    text,
)
from openqms.events.actions.complaint_signing import (
    CAPA_TYPE,
    QUESTIONS,
    answers_of,
    category_of,
    close_complaint,
    close_problems,
    close_refusal,
    decide_reportability,
    decision_refusal,
    draft_decision,
    has_capa,
    in_force,
)
from openqms.events.models import (
    Classification,
    Complaint,
    ComplaintState,
    Feedback,
    IncidentType,
    Source,
)
from openqms.events.numbers import next_number
from openqms.events.pack import PackSection
from openqms.events.registry import LOG, MANAGE

# The signed steps live in complaint_signing.py; callers import them from here.
__all__ = [
    "CAPA_TYPE",
    "QUESTIONS",
    "answers_of",
    "category_of",
    "close_complaint",
    "close_problems",
    "close_refusal",
    "decide_reportability",
    "decision_refusal",
    "draft_decision",
    "has_capa",
    "in_force",
]

LINK_KINDS = ("related", "duplicate")


# -- feedback ------------------------------------------------------------------------------


def _device(value: Any, *, required: bool) -> Device | None:
    if value in (None, ""):
        if required:
            raise InvalidInput("Choose the device.", fields={"device": "Required."})
        return None
    if isinstance(value, Device):
        return value
    try:
        found = Device.objects.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise InvalidInput("There is no such device.", fields={"device": "Unknown device."})
    return found


@audit.writing()
def log_feedback(
    *,
    actor: User,
    title: str,
    source: str,
    received_at: Any,
    description: str,
    reporter: str = "",
    reporter_contact: str = "",
    device: Any = None,
) -> Feedback:
    """ISO 13485 8.2.1: anyone in the QMS logs feedback from any source, as received."""
    require(actor, LOG, "log feedback")
    data = {
        "title": text(title, "title"),
        "source": choice(source, Source, "source"),
        "received_at": moment(received_at, "received_at", not_future=True),
        "description": long_text(description, "description", required=True),
        "reporter": text(reporter, "reporter", required=False),
        "reporter_contact": text(reporter_contact, "reporter_contact", required=False, limit=300),
        "device": _device(device, required=False),
    }
    now = timezone.now()
    feedback = Feedback.objects.create(
        number=next_number("feedback"), owner=actor, opened_by=actor, opened_at=now, **data
    )
    audit.record(
        actor=actor,
        action="events.feedback.logged",
        obj=feedback,
        changes={
            "number": [None, feedback.number],
            "title": [None, feedback.title],
            "source": [None, feedback.source],
            "received_at": [None, feedback.received_at],
            "description": [None, feedback.description],
            "reporter": [None, feedback.reporter],
            "device": [None, str(feedback.device) if feedback.device else None],
        },
    )
    return feedback


def _locked_feedback(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().get(pk=feedback.pk)


@audit.writing()
def classify_not_complaint(*, actor: User, feedback: Feedback, reason: str) -> Feedback:
    """Feedback that alleges no deficiency of a device is not a complaint; the reason is
    kept (an auditor samples these too)."""
    require(actor, MANAGE, "classify feedback")
    feedback = _locked_feedback(feedback)
    reason = long_text(reason, "reason", required=True)
    if feedback.classification != Classification.PENDING:
        raise TransitionNotAllowed(f"{feedback.number} is classified already.")
    require_performer(actor, feedback)
    now = timezone.now()
    old = feedback.classification
    feedback.classification = Classification.NOT_COMPLAINT
    feedback.classification_reason = reason
    feedback.classified_by, feedback.classified_at, feedback.closed_at = actor, now, now
    feedback.save()
    audit.record(
        actor=actor,
        action="events.feedback.classified",
        obj=feedback,
        changes={"classification": [old, Classification.NOT_COMPLAINT]},
        reason=reason,
    )
    return feedback


@audit.writing()
def classify_complaint(
    *,
    actor: User,
    feedback: Feedback,
    device: Any,
    what_happened: str,
    awareness_at: Any = None,
    incident_type: str = IncidentType.NONE,
    model: str = "",
    lot: str = "",
    serial: str = "",
    udi: str = "",
    reason: str = "",
) -> Complaint:
    """Feedback classified as a complaint opens the complaint. Awareness (the start of
    every vigilance clock) is asked for; it defaults to when the feedback was received.
    Feedback once judged not a complaint may be reclassified, with the reason."""
    require(actor, MANAGE, "classify feedback")
    feedback = _locked_feedback(feedback)
    if feedback.classification == Classification.COMPLAINT:
        raise TransitionNotAllowed(f"{feedback.number} is a complaint already.")
    reclassified = feedback.classification == Classification.NOT_COMPLAINT
    reason = long_text(reason, "reason", required=reclassified)
    awareness = moment(awareness_at, "awareness_at", required=False, not_future=True)
    awareness = awareness or feedback.received_at
    if awareness < feedback.received_at - dt.timedelta(days=365 * 10):
        raise InvalidInput("The awareness date is implausible.", fields={"awareness_at": "Check."})
    data = {
        "device": _device(device, required=True),
        "what_happened": long_text(what_happened, "what_happened", required=True),
        "incident_type": choice(incident_type or IncidentType.NONE, IncidentType, "incident_type"),
        "model": text(model, "model", required=False, limit=100),
        "lot": text(lot, "lot", required=False, limit=100),
        "serial": text(serial, "serial", required=False, limit=100),
        "udi": text(udi, "udi", required=False),
    }
    require_performer(actor, feedback)
    now = timezone.now()
    old = feedback.classification
    feedback.classification = Classification.COMPLAINT
    feedback.classification_reason = reason
    feedback.classified_by, feedback.classified_at, feedback.closed_at = actor, now, now
    feedback.save()
    audit.record(
        actor=actor,
        action="events.feedback.classified",
        obj=feedback,
        changes={"classification": [old, Classification.COMPLAINT]},
        reason=reason,
    )
    complaint = Complaint.objects.create(
        number=next_number("complaint"),
        title=feedback.title,
        owner=actor,
        opened_by=actor,
        opened_at=now,
        feedback=feedback,
        source=feedback.source,
        reporter=feedback.reporter,
        received_at=feedback.received_at,
        awareness_at=awareness,
        **data,
    )
    audit.record(
        actor=actor,
        action="events.complaint.opened",
        obj=complaint,
        changes={
            "number": [None, complaint.number],
            "feedback": [None, feedback.number],
            "device": [None, str(complaint.device)],
            "awareness_at": [None, awareness],
            "what_happened": [None, complaint.what_happened],
            "incident_type": [None, complaint.incident_type],
            "model": [None, complaint.model],
            "lot": [None, complaint.lot],
            "serial": [None, complaint.serial],
            "udi": [None, complaint.udi],
        },
    )
    modules.fire("events.record_opened", complaint)
    return complaint


# -- complaint content ---------------------------------------------------------------------

HEALTH_FIELDS = ("patient_details", "patient_outcome")
EDITABLE = (
    "model",
    "lot",
    "serial",
    "udi",
    "incident_type",
    "patient_involved",
    "patient_details",
    "patient_outcome",
    "investigation",
    "root_cause",
    "capa_needed",
    "capa_reason",
    "reply",
    "replied_at",
)


def _capa_needed(value: Any) -> bool | None:
    if value in (None, "", "unknown"):
        return None
    return flag(value, "capa_needed")


def _edits(complaint: Complaint, given: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(given) - set(EDITABLE)
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidInput(f"“{name}” cannot be edited.", fields={name: "Not editable."})
    cleaners = {
        "model": lambda v: text(v, "model", required=False, limit=100),
        "lot": lambda v: text(v, "lot", required=False, limit=100),
        "serial": lambda v: text(v, "serial", required=False, limit=100),
        "udi": lambda v: text(v, "udi", required=False),
        "incident_type": lambda v: choice(v, IncidentType, "incident_type"),
        "patient_involved": lambda v: flag(v, "patient_involved"),
        "capa_needed": _capa_needed,
        "replied_at": lambda v: moment(v, "replied_at", required=False, not_future=True),
    }
    new = {
        name: cleaners.get(name, lambda v, n=name: long_text(v, n))(value)
        for name, value in given.items()
    }
    merged = {f: new.get(f, getattr(complaint, f)) for f in EDITABLE}
    if merged["capa_needed"] is not None and not merged["capa_reason"]:
        raise InvalidInput(
            "Say why a CAPA is or is not needed.", fields={"capa_reason": "Required."}
        )
    if merged["replied_at"] and not merged["reply"]:
        raise InvalidInput("Give the reply sent.", fields={"reply": "Required with its date."})
    return new


@audit.writing()
def edit_complaint(
    *,
    actor: User,
    complaint: Complaint,
    reason: str = "",
    fields: Mapping[str, Any] | None = None,
    **more: Any,
) -> Complaint:
    """Investigation, root cause, whether a CAPA is needed (and why), the reply and
    patient involvement: one audit event with each changed field old → new (health data
    masked in the trail for those without the grant). Nothing changed, nothing written.
    The changes come as `fields` (a dict: the API's, any name refused unless editable)
    or as keywords. Only a holder of the health-data grant changes health data."""
    require(actor, MANAGE, "edit complaints")
    fields = {**(fields or {}), **more}
    hidden = sorted(set(fields) & set(HEALTH_FIELDS))
    if hidden and not may_see(actor):
        raise PermissionRefused(
            f"You need the permission to read health data to change “{hidden[0]}”."
        )
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if complaint.state != ComplaintState.OPEN:
        raise TransitionNotAllowed(f"{complaint.number} is closed; it cannot be edited.")
    new = _edits(complaint, fields)
    require_performer(actor, complaint)
    changes = changed_fields(complaint, new)
    if not changes:
        return complaint
    complaint.save(update_fields=list(changes))
    audit.record(
        actor=actor,
        action="events.complaint.edited",
        obj=complaint,
        changes=changes,
        reason=long_text(reason, "reason", limit=1000),
    )
    return complaint


def _complaint_by_number(number: str) -> Complaint:
    found = Complaint.objects.filter(number=str(number or "").strip().upper()).first()
    if found is None:
        raise InvalidInput(
            f"There is no complaint numbered “{number}”.", fields={"number": "Unknown complaint."}
        )
    return found


@audit.writing()
def link_complaint(
    *, actor: User, complaint: Complaint, number: str, kind: str, note: str = ""
) -> Complaint:
    """A related complaint, or the complaint this one duplicates (core link; audited)."""
    require(actor, MANAGE, "link complaints")
    if kind not in LINK_KINDS:
        raise InvalidInput("Choose related or duplicate.", fields={"kind": "Related or duplicate."})
    other = _complaint_by_number(number)
    if other.pk == complaint.pk:
        raise InvalidInput("A complaint cannot be linked to itself.", fields={"number": "Itself."})
    require_performer(actor, complaint)
    made = link_records(
        actor=actor,
        source=complaint,
        target=other,
        kind=kind,
        note=text(note, "note", required=False),
    )
    if made is None:
        raise InvalidInput(
            f"{other.number} is linked already.", fields={"number": "Linked already."}
        )
    return other


@audit.writing()
def unlink_complaint(*, actor: User, complaint: Complaint, link_id: int, reason: str) -> None:
    require(actor, MANAGE, "unlink complaints")
    reason = long_text(reason, "reason", required=True, limit=1000)
    mine = [link for link in links_of([key_of(complaint)]) if link.pk == link_id]
    if not mine or mine[0].kind not in LINK_KINDS:
        raise NotFound()
    require_performer(actor, complaint)
    unlink_record(actor=actor, link_id=link_id, reason=reason)


# -- the PMS data pack ---------------------------------------------------------------------


def pack_section(device: Any, start: dt.date, end: dt.date) -> PackSection:
    """The period's complaints of `device`, with no health data (a pack leaves the QMS)."""
    rows = list(
        Complaint.objects.filter(
            device=device, awareness_at__date__gte=start, awareness_at__date__lte=end
        )
        .prefetch_related("decisions")
        .order_by("awareness_at", "pk")
    )
    table = []
    reportable = 0
    for c in rows:
        decision = next((d for d in c.decisions.all() if d.in_force), None)
        if decision is not None and decision.reportable:
            reportable += 1
        table.append(
            [
                c.number,
                c.awareness_at.date().isoformat(),
                c.title,
                c.get_incident_type_display(),
                decision.get_category_display() if decision else "not decided",
                c.get_state_display(),
            ]
        )
    return PackSection(
        title="Complaints",
        columns=["Number", "Awareness", "Title", "Incident type", "Reportability", "State"],
        rows=table,
        summary=f"{len(rows)} complaints, {reportable} reportable",
    )
