"""Job roles, what they require, and who holds them. Taking on a job role, or a new
requirement on a held one, assigns what the person is not yet current on; leaving one
closes open training nothing else requires, and keeps every record."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.text import clean_text
from openqms.documents.models import Document, DocumentType
from openqms.qms.models import Process
from openqms.training.actions.common import (
    assign_missing,
    close_assignments,
    documents_required_by,
    documents_required_of,
    live_holdings,
)
from openqms.training.models import (
    Assignment,
    Competency,
    Holding,
    JobRole,
    Requirement,
    RequirementKind,
)
from openqms.training.registry import MANAGE


@audit.writing()
def create_job_role(*, actor: User, name: str, description: str = "") -> JobRole:
    require(actor, MANAGE)
    name = clean_text(name, "name", limit=100)
    if JobRole.objects.filter(name__iexact=name).exists():
        raise InvalidInput(f"A job role “{name}” exists already.", fields={"name": "Taken."})
    role = JobRole.objects.create(
        name=name,
        description=clean_text(description, "description", required=False, limit=2000),
        created_at=timezone.now(),
    )
    audit.record(
        actor=actor, action="training.job_role.created", obj=role, changes={"name": [None, name]}
    )
    return role


@audit.writing()
def retire_job_role(*, actor: User, job_role: JobRole, reason: str) -> JobRole:
    require(actor, MANAGE)
    reason = clean_text(reason, "reason", limit=2000)
    job_role = JobRole.objects.select_for_update().get(pk=job_role.pk)
    if job_role.retired_at is not None:
        raise TransitionNotAllowed(f"“{job_role}” is already retired.")
    holders = job_role.holdings.filter(ended_on__isnull=True).count()
    if holders:
        raise TransitionNotAllowed(
            f"{holders} people still hold “{job_role}”; end their holdings first."
        )
    job_role.retired_at = timezone.now()
    job_role.save(update_fields=["retired_at"])
    audit.record(
        actor=actor,
        action="training.job_role.retired",
        obj=job_role,
        changes={"retired_at": [None, job_role.retired_at]},
        reason=reason,
    )
    return job_role


@audit.writing()
def add_requirement(
    *,
    actor: User,
    job_role: JobRole,
    kind: str,
    document: Document | None = None,
    doc_type: DocumentType | None = None,
    clause: str = "",
    process: Process | None = None,
    competency: Competency | None = None,
) -> Requirement:
    """A job role now requires this; its holders are assigned what they lack."""
    require(actor, MANAGE)
    job_role = JobRole.objects.select_for_update().get(pk=job_role.pk)
    if job_role.retired_at is not None:
        raise TransitionNotAllowed(f"“{job_role}” is retired.")
    target = _target(kind, document, doc_type, clause.strip(), process, competency)
    live = job_role.requirements.filter(removed_at__isnull=True, kind=kind, **target)
    if live.exists():
        raise InvalidInput(f"“{job_role}” already requires this.")
    requirement = Requirement.objects.create(
        job_role=job_role,
        kind=kind,
        added_at=timezone.now(),
        added_by=actor,
        **target,
    )
    audit.record(
        actor=actor,
        action="training.requirement.added",
        obj=job_role,
        changes={"requirement": [None, requirement.target_label()], "kind": kind},
    )
    holders = set(live_holdings().filter(job_role=job_role).values_list("person_id", flat=True))
    if kind != RequirementKind.COMPETENCY:
        assign_missing(
            actor=actor,
            people=holders,
            documents=documents_required_by([job_role.pk]) & _documents_of(requirement),
            start=timezone.localdate(),
            reason=f"“{job_role}” now requires {requirement.target_label()}",
        )
    return requirement


def _target(kind, document, doc_type, clause, process, competency) -> dict:
    fields = {"kind": "Choose what the job role requires."}
    if kind == RequirementKind.DOCUMENT and document is not None:
        if document.withdrawn_at is not None:
            raise InvalidInput(f"{document.number} is withdrawn.", fields={"document": "Gone."})
        return {"document": document}
    if kind == RequirementKind.DOC_TYPE and doc_type is not None:
        return {"doc_type": doc_type}
    if kind == RequirementKind.CLAUSE and clause:
        if len(clause) > 20:
            raise InvalidInput("A clause is at most 20 characters.", fields={"clause": "Long."})
        return {"clause": clause}
    if kind == RequirementKind.PROCESS and process is not None:
        if Process.objects.filter(pk=process.pk, retired_at__isnull=False).exists():
            raise InvalidInput(f"{process} is retired.", fields={"process": "Retired."})
        return {"process": process}
    if kind == RequirementKind.COMPETENCY and competency is not None:
        return {"competency": competency}
    if kind in RequirementKind.values:
        fields = {kind: "Required."}
    raise InvalidInput("Choose what the job role requires.", fields=fields)


def _documents_of(requirement: Requirement) -> set[int]:
    documents = Document.objects.filter(withdrawn_at__isnull=True)
    if requirement.kind == RequirementKind.DOCUMENT:
        return {requirement.document_id}  # type: ignore[arg-type]
    if requirement.kind == RequirementKind.DOC_TYPE:
        return set(documents.filter(doc_type=requirement.doc_type_id).values_list("pk", flat=True))
    if requirement.kind == RequirementKind.PROCESS:
        serving = documents.filter(qms_processes=requirement.process_id)
        return set(serving.values_list("pk", flat=True))
    return {
        pk
        for pk, clauses in documents.values_list("pk", "clauses")
        if requirement.clause in (clauses or [])
    }


@audit.writing()
def remove_requirement(*, actor: User, requirement: Requirement, reason: str) -> Requirement:
    """The requirement ends (kept, dated); open training nothing else requires closes."""
    require(actor, MANAGE)
    reason = clean_text(reason, "reason", limit=2000)
    requirement = Requirement.objects.select_for_update().get(pk=requirement.pk)
    if requirement.removed_at is not None:
        raise TransitionNotAllowed("This requirement was removed already.")
    requirement.removed_at, requirement.removed_by = timezone.now(), actor
    requirement.save(update_fields=["removed_at", "removed_by"])
    audit.record(
        actor=actor,
        action="training.requirement.removed",
        obj=requirement.job_role,
        changes={"requirement": [requirement.target_label(), None]},
        reason=reason,
    )
    holders = live_holdings().filter(job_role=requirement.job_role_id)
    for person in User.objects.filter(pk__in=holders.values("person_id")):
        _close_unrequired(actor, person, reason)
    return requirement


@audit.writing()
def take_job_role(
    *, actor: User, person: User, job_role: JobRole, started_on: dt.date | None = None
) -> Holding:
    """`person` holds `job_role` from `started_on`, and is assigned everything it
    requires that they are not current on (due counted from the start date)."""
    require(actor, MANAGE)
    started_on = started_on or timezone.localdate()
    if not person.is_active:
        raise InvalidInput(f"{person.full_name} is deactivated.", fields={"person": "Inactive."})
    job_role = JobRole.objects.select_for_update().get(pk=job_role.pk)
    if job_role.retired_at is not None:
        raise TransitionNotAllowed(f"“{job_role}” is retired.")
    try:
        with transaction.atomic():
            holding = Holding.objects.create(
                person=person, job_role=job_role, started_on=started_on, started_by=actor
            )
    except IntegrityError:
        raise TransitionNotAllowed(f"{person.full_name} already holds “{job_role}”.") from None
    audit.record(
        actor=actor,
        action="training.job_role.taken",
        obj=person,
        changes={"job_role": [None, job_role.name], "started_on": started_on},
    )
    assign_missing(
        actor=actor,
        people={person.pk},
        documents=documents_required_by([job_role.pk]),
        start=max(started_on, timezone.localdate()),
        reason=f"took on the job role “{job_role}”",
    )
    return holding


@audit.writing()
def leave_job_role(
    *, actor: User, holding: Holding, reason: str, ended_on: dt.date | None = None
) -> Holding:
    """The holding ends: no new training comes from it; records stay; open training that
    no other job role of theirs requires is closed."""
    require(actor, MANAGE)
    reason = clean_text(reason, "reason", limit=2000)
    holding = (
        Holding.objects.select_for_update().select_related("person", "job_role").get(pk=holding.pk)
    )
    if holding.ended_on is not None:
        raise TransitionNotAllowed(f"{holding} already ended on {holding.ended_on}.")
    ended_on = ended_on or timezone.localdate()
    if ended_on > timezone.localdate():
        # Open training is closed now, so the holding must end now too, not later.
        raise InvalidInput(
            "A job role ends today or on a past day; end it on the day.",
            fields={"ended_on": "In the future."},
        )
    if ended_on < holding.started_on:
        raise InvalidInput(
            "A job role cannot end before it started.", fields={"ended_on": "Before start."}
        )
    holding.ended_on, holding.ended_by, holding.end_reason = ended_on, actor, reason
    holding.save(update_fields=["ended_on", "ended_by", "end_reason"])
    audit.record(
        actor=actor,
        action="training.job_role.left",
        obj=holding.person,
        changes={"job_role": [holding.job_role.name, None], "ended_on": ended_on},
        reason=reason,
    )
    _close_unrequired(actor, holding.person, f"left the job role “{holding.job_role}”")
    return holding


def _close_unrequired(actor: User, person: User, reason: str) -> None:
    # Training assigned by hand was not asked by a job role, so it stays open.
    still = documents_required_of(person)
    close_assignments(
        actor=actor,
        assignments=Assignment.objects.filter(person=person, by_hand=False).exclude(
            document_id__in=still
        ),
        step="cancel",
        reason=f"No longer required: {reason}",
        obj=person,
    )
