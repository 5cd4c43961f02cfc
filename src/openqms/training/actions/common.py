"""What the training actions share: the rule of a type, who needs which document, and
the one place assignments are created and closed (in bulk, one audit event a batch)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db.models import Q, QuerySet
from django.utils import timezone

from openqms.core import audit
from openqms.core.errors import TransitionNotAllowed
from openqms.core.models import User
from openqms.core.signing import bulk_step
from openqms.documents.models import Document, DocumentType, Revision, RevisionState
from openqms.training import notify
from openqms.training.lifecycle import ASSIGNMENT
from openqms.training.matrix import baselines
from openqms.training.models import (
    Assignment,
    AssignmentState,
    Holding,
    Requirement,
    RequirementKind,
    TrainingRule,
)

DEFAULT_RULE = TrainingRule(due_days=30, gate=False, effectiveness_check=False)


def rule_for(doc_type: DocumentType) -> TrainingRule:
    return TrainingRule.objects.filter(doc_type=doc_type).first() or DEFAULT_RULE


def live_holdings() -> QuerySet[Holding]:
    """Holdings not ended (including those starting later), of active people and roles."""
    return Holding.objects.filter(
        ended_on__isnull=True, person__is_active=True, job_role__retired_at__isnull=True
    )


def requirements_for(document: Document) -> QuerySet[Requirement]:
    """The live requirements that name this document, its type, a clause it is tagged
    with or a process it serves."""
    matches = (
        Q(kind=RequirementKind.DOCUMENT, document=document)
        | Q(kind=RequirementKind.DOC_TYPE, doc_type_id=document.doc_type_id)
        | Q(kind=RequirementKind.PROCESS, process__documents=document)
    )
    if document.clauses:
        matches |= Q(kind=RequirementKind.CLAUSE, clause__in=document.clauses)
    return Requirement.objects.filter(matches, removed_at__isnull=True)


def people_requiring(document: Document) -> set[int]:
    roles = requirements_for(document).values("job_role_id")
    return set(live_holdings().filter(job_role__in=roles).values_list("person_id", flat=True))


def documents_required_by(role_ids: Iterable[int]) -> set[int]:
    """Documents with a revision in force that these job roles require."""
    reqs = Requirement.objects.filter(job_role_id__in=list(role_ids), removed_at__isnull=True)
    matches = Q(pk__in=[])
    clauses = []
    for kind, doc_id, type_id, clause, process_id in reqs.values_list(
        "kind", "document_id", "doc_type_id", "clause", "process_id"
    ):
        if kind == RequirementKind.DOCUMENT:
            matches |= Q(pk=doc_id)
        elif kind == RequirementKind.DOC_TYPE:
            matches |= Q(doc_type_id=type_id)
        elif kind == RequirementKind.CLAUSE:
            clauses.append(clause)
        elif kind == RequirementKind.PROCESS:
            matches |= Q(qms_processes=process_id)
    in_force = Document.objects.filter(revisions__state=RevisionState.EFFECTIVE)
    found = set(in_force.filter(matches).values_list("pk", flat=True).distinct())
    if clauses:
        for pk, served in in_force.values_list("pk", "clauses"):
            if set(served or []) & set(clauses):
                found.add(pk)
    return found


def documents_required_of(person: User) -> set[int]:
    return documents_required_by(
        live_holdings().filter(person=person).values_list("job_role_id", flat=True)
    )


def create_assignments(
    *,
    actor: User | None,
    revision: Revision,
    people: Iterable[int],
    due_date: dt.date,
    reason: str,
    by_hand: bool = False,
    notify_people: bool = True,
) -> list[Assignment]:
    """Open assignments on `revision` for those of `people` without a live one (exactly
    once each), with one audit event naming them all."""
    wanted = set(people)
    if not wanted:
        return []
    have = set(
        Assignment.objects.filter(
            revision=revision, state__in=[AssignmentState.OPEN, AssignmentState.COMPLETED]
        ).values_list("person_id", flat=True)
    )
    new = sorted(wanted - have)
    if not new:
        return []
    rule = rule_for(revision.document.doc_type)
    now = timezone.now()
    # A job role given at the same moment may have assigned someone already: the database
    # keeps one live assignment per person and revision, and a conflict is skipped rather
    # than failing the approval; what was created here is read back for the audit event.
    Assignment.objects.bulk_create(
        [
            Assignment(
                person_id=person_id,
                document_id=revision.document_id,
                revision=revision,
                reason=reason[:300],
                by_hand=by_hand,
                assigned_at=now,
                due_date=due_date,
                needs_evaluation=rule.effectiveness_check,
            )
            for person_id in new
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    created = list(
        Assignment.objects.filter(
            revision=revision, person_id__in=new, assigned_at=now, state=AssignmentState.OPEN
        ).order_by("person_id")
    )
    if not created:
        return []
    mine = {a.person_id for a in created}
    people_rows = list(User.objects.filter(pk__in=mine).order_by("username"))
    audit.record(
        actor=actor,
        action="training.assignment.created",
        obj=revision,
        changes={
            "document": revision.document.number,
            "revision": revision.label,
            "due_date": due_date,
            "people": [p.username for p in people_rows],
        },
        reason=reason,
    )
    if notify_people:
        notify.assigned(people_rows, str(revision), due_date, reason)
    return created


def close_assignments(
    *, actor: User | None, assignments: QuerySet[Assignment], step: str, reason: str, obj
) -> int:
    """Close open assignments by the table's `supersede` or `cancel` step, as core's bulk
    step inside the caller's transaction: the rows locked in key order, one audit event
    naming everyone."""
    t = ASSIGNMENT.get(step)

    def close(rows: Sequence[Assignment]) -> int:
        if not rows:
            return 0
        closed = Assignment.objects.filter(pk__in=[a.pk for a in rows])
        # Named in the event as listed (by due date), read without locking the people.
        names = [
            f"{user}: {number} rev {label}"
            for user, number, label in closed.order_by("due_date", "pk").values_list(
                "person__username", "revision__document__number", "revision__label"
            )
        ]
        closed.update(state=t.target, closed_at=timezone.now(), closed_reason=reason[:300])
        audit.record(
            actor=actor,
            action=t.event,
            obj=obj,
            changes={"state": [AssignmentState.OPEN, t.target], "assignments": names},
            reason=reason,
        )
        return len(rows)

    # Only the assignment rows are locked (not the people or revisions they name).
    return bulk_step(
        actor=actor,
        queryset=assignments.filter(state__in=t.sources).only("pk", "state"),
        # Only what the table lets this step close (the queryset already asks the same).
        check=lambda a: None if a.state in t.sources else TransitionNotAllowed(t.label),
        change=close,
        within=True,
    )


def assign_missing(
    *,
    actor: User | None,
    people: set[int],
    documents: set[int],
    start: dt.date,
    reason: str,
) -> int:
    """For each document's revision in force, assign it to those of `people` who are
    neither current on it nor already assigned it."""
    if not people or not documents:
        return 0
    in_force = Revision.objects.filter(
        document_id__in=documents, state=RevisionState.EFFECTIVE
    ).select_related("document__doc_type")
    base = baselines(None, documents)
    best: dict[tuple[int, int], int] = {}
    for p, d, seq in Assignment.objects.filter(
        person_id__in=people, document_id__in=documents, state=AssignmentState.COMPLETED
    ).values_list("person_id", "document_id", "revision__sequence"):
        best[(p, d)] = max(best.get((p, d), 0), seq)
    pending = set(
        Assignment.objects.filter(
            person_id__in=people, document_id__in=documents, state=AssignmentState.OPEN
        ).values_list("person_id", "document_id")
    )
    count = 0
    for revision in in_force:
        doc_id = revision.document_id
        baseline = base.get(doc_id, revision.sequence)
        who = {
            p for p in people if (p, doc_id) not in pending and best.get((p, doc_id), 0) < baseline
        }
        due = start + dt.timedelta(days=rule_for(revision.document.doc_type).due_days)
        count += len(
            create_assignments(
                actor=actor, revision=revision, people=who, due_date=due, reason=reason
            )
        )
    return count
