"""Signed steps on a complaint (UK MDR 2002 Part 4A; ISO 13485 8.2.2): the guided
reportability decision (create-and-sign; a later one supersedes the one in force) and
the QA lead's closure, both through core's one signed step (core.signing.perform).
Re-exported by events.actions.complaints."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import has_permission
from openqms.core.errors import DomainError, InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.links import key_of, links_of
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.core.signing import perform
from openqms.events import guards
from openqms.events.actions.common import flag, long_text
from openqms.events.clocks import clock_for
from openqms.events.errors import ClockRuleMissing
from openqms.events.models import (
    REPORTABLE,
    Category,
    Complaint,
    ComplaintState,
    ReportabilityDecision,
)
from openqms.events.registry import COMPLAINT_CLOSED, DECIDE, DECIDED, SIGN

CAPA_TYPE = "events.capa"
QUESTIONS = (
    "device_related",
    "death",
    "serious_deterioration",
    "public_health_threat",
    "unanticipated",
    "trend_candidate",
)


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
    """Each question answered yes or no, explicitly: a missing answer is never "no"."""
    missing = [q for q in QUESTIONS if given.get(q) is None or str(given.get(q)).strip() == ""]
    if missing:
        named = ", ".join(q.replace("_", " ") for q in missing)
        raise InvalidInput(
            f"Answer every reportability question with yes or no; not answered: {named}.",
            fields={q: "Answer yes or no." for q in missing},
        )
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
    if not (has_permission(actor, SIGN) and has_permission(actor, DECIDE)):
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
    if not (has_permission(actor, SIGN) and has_permission(actor, DECIDE)):
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
