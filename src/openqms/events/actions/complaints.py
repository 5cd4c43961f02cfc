"""Feedback, complaints and reportability decisions (ISO 13485 8.2.1, 8.2.2; UK MDR 2002
Part 4A): the only writers of Feedback, Complaint and ReportabilityDecision.

Classifying feedback as a complaint writes two events (the feedback classified, the
complaint opened); every other action writes one. The reportability decision and the
closure are signed through core's one signed step (core.signing.perform)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import has_permission
from openqms.core.errors import (
    DomainError,
    InvalidInput,
    NotFound,
    PermissionRefused,
    TransitionNotAllowed,
)
from openqms.core.links import key_of, link_records, links_of, unlink_record
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.core.signing import perform
from openqms.devices.models import Device
from openqms.events import guards
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
from openqms.events.clocks import clock_for
from openqms.events.errors import ClockRuleMissing
from openqms.events.models import (
    REPORTABLE,
    Category,
    Classification,
    Complaint,
    ComplaintState,
    Feedback,
    IncidentType,
    ReportabilityDecision,
    Source,
)
from openqms.events.numbers import next_number
from openqms.events.pack import PackSection
from openqms.events.registry import COMPLAINT_CLOSED, DECIDED, LOG, MANAGE, SIGN

CAPA_TYPE = "events.capa"
LINK_KINDS = ("related", "duplicate")
QUESTIONS = (
    "device_related",
    "death",
    "serious_deterioration",
    "public_health_threat",
    "unanticipated",
    "trend_candidate",
)


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
    return complaint


# -- complaint content ---------------------------------------------------------------------

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
    *, actor: User, complaint: Complaint, reason: str = "", **fields: Any
) -> Complaint:
    """Investigation, root cause, whether a CAPA is needed (and why), the reply and
    patient involvement: one audit event with each changed field old → new (health data
    masked in the trail for those without the grant). Nothing changed, nothing written."""
    require(actor, MANAGE, "edit complaints")
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


# -- the reportability decision ------------------------------------------------------------


def category_of(
    *,
    device_related: bool,
    death: bool,
    serious_deterioration: bool,
    public_health_threat: bool,
    unanticipated: bool,
) -> str:
    """UK MDR 2002 Part 4A: which clock a serious incident runs on. Not device-related
    (caused, contributed or suspected) or no serious outcome: not reportable."""
    if not device_related:
        return Category.NOT_REPORTABLE
    if public_health_threat:
        return Category.PUBLIC_HEALTH
    if death or (serious_deterioration and unanticipated):
        return Category.DEATH_OR_UNANTICIPATED
    if serious_deterioration:
        return Category.OTHER_SERIOUS
    return Category.NOT_REPORTABLE


def answers_of(given: Mapping[str, Any]) -> dict[str, bool]:
    return {q: flag(given.get(q), q) for q in QUESTIONS}


def in_force(complaint: Complaint) -> ReportabilityDecision | None:
    return complaint.decisions.filter(in_force=True).first()


def draft_decision(
    *, complaint: Complaint, actor: User, answers: Mapping[str, Any], rationale: str
) -> ReportabilityDecision:
    """The decision `actor` would sign now, unsaved: the category from the answers, the
    clock rule in force on the day of awareness and its deadline (none when not
    reportable), superseding the decision in force."""
    checked = answers_of(answers)
    rationale = long_text(rationale, "rationale", required=True)
    category = category_of(**{k: v for k, v in checked.items() if k != "trend_candidate"})
    rule, deadline_at = None, None
    if category in REPORTABLE:
        try:
            rule, deadline_at = clock_for(category, complaint.awareness_at)
        except ClockRuleMissing as missing:
            raise InvalidInput(missing.message, fields={"category": "No clock rule."}) from None
    return ReportabilityDecision(
        complaint=complaint,
        supersedes=in_force(complaint),
        category=category,
        rationale=rationale,
        rule=rule,
        deadline_at=deadline_at,
        decided_by=actor,
        decided_at=timezone.now(),
        in_force=False,  # set under the lock once the one it supersedes is out of force
        **checked,
    )


def decision_refusal(complaint: Complaint, actor: User) -> DomainError | None:
    if complaint.state != ComplaintState.OPEN:
        return TransitionNotAllowed(f"{complaint.number} is closed.")
    if not has_permission(actor, SIGN):
        return PermissionRefused("You need the permission to sign reportability decisions.")
    return None


def decide_reportability(
    *,
    actor: User,
    complaint: Complaint,
    answers: Mapping[str, Any],
    rationale: str,
    credentials: Credentials | None,
    comment: str = "",
) -> ReportabilityDecision:
    """The signed decision (meaning reportability_decided). A later decision supersedes
    the one in force in the same step: it goes out of force, never edited. The signer is
    shown the complaint (its content hash), and signs the decision built from it."""
    draft_decision(complaint=complaint, actor=actor, answers=answers, rationale=rationale)

    def change(locked: Complaint, made: ReportabilityDecision) -> ReportabilityDecision:
        old = made.supersedes
        if old is not None:
            old.in_force = False
            old.save(update_fields=["in_force"])
        made.in_force = True
        made.save(update_fields=["in_force"])
        audit.record(
            actor=actor,
            action="events.complaint.decided",
            obj=locked,
            changes={
                "category": [old.category if old else None, made.category],
                "deadline_at": [old.deadline_at if old else None, made.deadline_at],
                "rationale": [old.rationale if old else None, made.rationale],
                "decision": [old.pk if old else None, made.pk],
            },
            reason=comment,
        )
        return made

    return perform(
        actor=actor,
        record=complaint,
        check=lambda c: decision_refusal(c, actor),
        meaning=DECIDED,
        credentials=credentials,
        reason=comment,
        signed=lambda c: draft_decision(
            complaint=c, actor=actor, answers=answers, rationale=rationale
        ),
        shown=lambda c: c.signature_content(),
        change=change,
    )


# -- closure -------------------------------------------------------------------------------


def has_capa(complaint: Complaint) -> bool:
    me = key_of(complaint)
    for link in links_of([me]):
        other = (
            (link.to_type, link.to_id)
            if (link.from_type, link.from_id) == me
            else (
                link.from_type,
                link.from_id,
            )
        )
        if other[0] == CAPA_TYPE:
            return True
    return False


def close_problems(complaint: Complaint, note: str = "") -> list[str]:
    """What still keeps `complaint` from closing (empty: it may close)."""
    problems = []
    if not complaint.decisions.filter(in_force=True).exists():
        problems.append("Sign the reportability decision first.")
    if not complaint.investigation:
        problems.append("Record the investigation.")
    if not complaint.root_cause:
        problems.append("Record the root cause.")
    if complaint.capa_needed is None:
        problems.append("Say whether a CAPA is needed.")
    elif complaint.capa_needed and not has_capa(complaint):
        problems.append("A CAPA is needed: raise or link it first.")
    if not complaint.reply and not note:
        problems.append("Record the reply to the complainant, or say in the closure note why none.")
    rule = guards.refusal_of("complaint", "close", complaint)
    if rule:
        problems.append(rule)
    return problems


def close_refusal(complaint: Complaint, actor: User, note: str = "") -> DomainError | None:
    if complaint.state != ComplaintState.OPEN:
        return TransitionNotAllowed(f"{complaint.number} is closed already.")
    if not has_permission(actor, SIGN):
        return PermissionRefused("You need the permission to sign complaint closures.")
    problems = close_problems(complaint, note)
    if problems:
        return TransitionNotAllowed(" ".join(problems))
    return None


def close_complaint(
    *, actor: User, complaint: Complaint, closure_note: str, credentials: Credentials | None
) -> Complaint:
    """The QA lead's signed closure (meaning complaint_closed): the signature covers the
    complaint with its closure note."""
    note = long_text(closure_note, "closure_note")

    def noted(c: Complaint) -> Complaint:
        closing = copy.copy(c)
        closing.closure_note = note
        return closing

    def change(locked: Complaint, signed: Complaint) -> Complaint:
        now = timezone.now()
        locked.state, locked.closed_at, locked.closure_note = ComplaintState.CLOSED, now, note
        locked.save(update_fields=["state", "closed_at", "closure_note"])
        audit.record(
            actor=actor,
            action="events.complaint.closed",
            obj=locked,
            changes={
                "state": [ComplaintState.OPEN, ComplaintState.CLOSED],
                "closed_at": [None, now],
                "closure_note": [None, note],
            },
        )
        return locked

    return perform(
        actor=actor,
        record=complaint,
        check=lambda c: close_refusal(c, actor, note),
        meaning=COMPLAINT_CLOSED,
        credentials=credentials,
        signed=noted,
        shown=lambda c: c.signature_content(),
        change=change,
    )


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
