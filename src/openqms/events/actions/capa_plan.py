"""A CAPA's content and plan (ISO 13485 8.5.2 a)–e)): editing the problem, risk and
containment; the root-cause analysis; the plan's tasks (each round's), done with their
evidence by their owner; the verification of the implementation; the effectiveness
check's plan; the regulatory impact and the dated notices to the UK Responsible Person
and the approved body. One audit event per action; unsigned, gated by training."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import has_permission
from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.models import User
from openqms.events.actions.capa import locked, open_for_work, trained
from openqms.events.actions.common import (
    changed_fields,
    choice,
    date,
    flag,
    long_text,
    text,
)
from openqms.events.models import (
    Capa,
    CapaAction,
    CapaState,
    CapaType,
    CauseCategory,
    Party,
    RegulatoryNotice,
)
from openqms.events.registry import MANAGE

S = CapaState
EDIT = "change CAPAs"


def _level(value: Any, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value))
    except ValueError:
        number = 0
    if not 1 <= number <= 5:
        raise InvalidInput(
            f"The {field.replace('_', ' ')} is a level from 1 to 5.", fields={field: "1 to 5."}
        )
    return number


def _in(capa: Capa, states: Sequence[str], what: str) -> None:
    if capa.state not in states:
        raise TransitionNotAllowed(
            f"{what} cannot be done while {capa.number} is {capa.get_state_display()}."
        )


@audit.writing()
def edit_capa(
    *,
    actor: User,
    capa: Capa,
    title: str,
    capa_type: str,
    problem: str,
    risk_severity: Any = None,
    risk_probability: Any = None,
    risk_assessment: str = "",
    containment: str = "",
) -> Capa:
    """The problem statement, the risk assessment and the containment."""
    capa = locked(capa)
    open_for_work(capa, actor, MANAGE, EDIT)
    new = {
        "title": text(title, "title"),
        "capa_type": choice(capa_type, CapaType, "capa_type"),
        "problem": long_text(problem, "problem", required=True),
        "risk_severity": _level(risk_severity, "risk_severity"),
        "risk_probability": _level(risk_probability, "risk_probability"),
        "risk_assessment": long_text(risk_assessment, "risk_assessment"),
        "containment": long_text(containment, "containment"),
    }
    changes = changed_fields(capa, new)
    if changes:
        capa.save(update_fields=list(changes))
        audit.record(actor=actor, action="events.capa.edited", obj=capa, changes=changes)
    return capa


@audit.writing()
def record_analysis(
    *, actor: User, capa: Capa, whys: Sequence[str], categories: Sequence[str], root_cause: str
) -> Capa:
    """The root-cause analysis: the five whys in order (at least one), the cause
    categories, and the root cause statement. Recorded again while investigating or
    in a new plan round."""
    capa = locked(capa)
    open_for_work(capa, actor, MANAGE, EDIT)
    _in(capa, (S.OPEN, S.INVESTIGATING, S.IMPLEMENTING), "The root-cause analysis")
    answers = [long_text(w, f"why_{i}", limit=2000) for i, w in enumerate(whys, 1)]
    answers = [a for a in answers if a]
    if not answers:
        raise InvalidInput("Answer at least the first why.", fields={"why_1": "Required."})
    if len(answers) > 5:
        raise InvalidInput("Five whys at most.", fields={"why_6": "Five at most."})
    chosen = [choice(c, CauseCategory, "cause_categories") for c in categories]
    if not chosen:
        raise InvalidInput(
            "Choose at least one cause category.", fields={"cause_categories": "Required."}
        )
    order = list(CauseCategory.values)
    new = {
        "whys": answers,
        "cause_categories": sorted(set(chosen), key=order.index),
        "root_cause": long_text(root_cause, "root_cause", required=True),
    }
    changes = changed_fields(capa, new)
    if changes:
        capa.save(update_fields=list(changes))
        audit.record(actor=actor, action="events.capa.analysed", obj=capa, changes=changes)
    return capa


@audit.writing()
def add_action(
    *, actor: User, capa: Capa, description: str, owner: User | None, due: Any
) -> CapaAction:
    """A task of the current plan round, with its owner and due date (My tasks)."""
    capa = locked(capa)
    open_for_work(capa, actor, MANAGE, EDIT)
    _in(capa, (S.OPEN, S.INVESTIGATING, S.IMPLEMENTING), "Planning an action")
    description = long_text(description, "description", required=True, limit=2000)
    if owner is None or not owner.is_active:
        raise InvalidInput("Choose who does this action.", fields={"owner": "Required."})
    when = date(due, "due")
    assert when is not None  # required
    task = CapaAction.objects.create(
        capa=capa,
        round=capa.round,
        description=description,
        owner=owner,
        due=when,
        added_by=actor,
        added_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="events.capa.action_added",
        obj=capa,
        changes={
            "action": [None, task.pk],
            "round": [None, task.round],
            "description": [None, description],
            "owner": [None, owner.username],
            "due": [None, when.isoformat()],
        },
    )
    return task


@audit.writing()
def complete_action(*, actor: User, action: CapaAction, evidence: str) -> CapaAction:
    """The action's owner (or a CAPA handler) marks it done, with the evidence."""
    task = CapaAction.objects.select_for_update().select_related("capa").get(pk=action.pk)
    capa = task.capa
    if task.owner_id != actor.pk and not has_permission(actor, MANAGE):
        raise PermissionRefused("Only the action's owner or a CAPA handler marks it done.")
    if task.done_at is not None:
        raise TransitionNotAllowed("This action is done already.")
    if task.round != capa.round:
        raise TransitionNotAllowed("This action belongs to an earlier plan round.")
    _in(capa, (S.INVESTIGATING, S.IMPLEMENTING), "Completing an action")
    refusal = trained(capa, actor)
    if refusal:
        raise TransitionNotAllowed(refusal)
    task.evidence = long_text(evidence, "evidence", required=True)
    task.done_at, task.done_by = timezone.now(), actor
    task.save(update_fields=["evidence", "done_at", "done_by"])
    audit.record(
        actor=actor,
        action="events.capa.action_done",
        obj=capa,
        changes={"action": task.pk, "done": [False, True], "evidence": [None, task.evidence]},
    )
    return task


@audit.writing()
def record_verification(*, actor: User, capa: Capa, checked: str) -> Capa:
    """Who verified the implementation, when, and what was checked (8.5.2 e))."""
    capa = locked(capa)
    open_for_work(capa, actor, MANAGE, EDIT)
    _in(capa, (S.VERIFYING,), "Verifying the implementation")
    new = {
        "verification": long_text(checked, "verification", required=True),
        "verified_by": actor,
        "verified_at": timezone.now(),
    }
    changes = changed_fields(capa, new)
    capa.save(update_fields=list(new))
    changes["verified_by"] = [None, actor.username]
    audit.record(actor=actor, action="events.capa.verified", obj=capa, changes=changes)
    return capa


@audit.writing()
def plan_effectiveness(*, actor: User, capa: Capa, criteria: str, due: Any) -> Capa:
    """The effectiveness check's criteria and due date (8.5.2 f))."""
    capa = locked(capa)
    open_for_work(capa, actor, MANAGE, EDIT)
    _in(
        capa,
        (S.OPEN, S.INVESTIGATING, S.IMPLEMENTING, S.VERIFYING),
        "Planning the effectiveness check",
    )
    new = {
        "effectiveness_criteria": long_text(criteria, "criteria", required=True),
        "effectiveness_due": date(due, "due"),
    }
    changes = changed_fields(capa, new)
    if changes:
        capa.save(update_fields=list(changes))
        audit.record(actor=actor, action="events.capa.check_planned", obj=capa, changes=changes)
    return capa


@audit.writing()
def assess_regulatory_impact(
    *, actor: User, capa: Capa, touches_safety: Any, assessment: str
) -> Capa:
    """Does the CAPA touch safety or performance? If so, the UK Responsible Person and
    the approved body must be told before it closes."""
    capa = locked(capa)
    open_for_work(capa, actor, MANAGE, EDIT)
    new = {
        "touches_safety": flag(touches_safety, "touches_safety"),
        "regulatory_assessment": long_text(assessment, "assessment", required=True),
    }
    changes = changed_fields(capa, new)
    if changes:
        capa.save(update_fields=list(changes))
        audit.record(actor=actor, action="events.capa.impact_assessed", obj=capa, changes=changes)
    return capa


@audit.writing()
def record_notice(
    *, actor: User, capa: Capa, party: str, told_on: Any, evidence: str
) -> RegulatoryNotice:
    """Dated evidence that the UK Responsible Person or the approved body was told."""
    capa = locked(capa)
    open_for_work(capa, actor, MANAGE, EDIT)
    party = choice(party, Party, "party")
    when = date(told_on, "told_on")
    assert when is not None
    if when > timezone.localdate():
        raise InvalidInput("The date told is in the future.", fields={"told_on": "Not future."})
    notice = RegulatoryNotice.objects.create(
        capa=capa,
        party=party,
        told_on=when,
        evidence=long_text(evidence, "evidence", required=True),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="events.capa.notified",
        obj=capa,
        changes={
            "party": [None, party],
            "told_on": [None, when.isoformat()],
            "evidence": [None, notice.evidence],
        },
    )
    return notice
