"""Assignments made by document control (a revision became effective), by hand, and the
daily compliance snapshot."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.text import clean_text
from openqms.documents.models import Document, Revision, RevisionState
from openqms.training import matrix
from openqms.training.actions.common import (
    close_assignments,
    create_assignments,
    live_holdings,
    people_requiring,
    rule_for,
)
from openqms.training.models import (
    Assignment,
    AssignmentState,
    ComplianceSnapshot,
    Requirement,
    RequirementKind,
)
from openqms.training.registry import MANAGE


def assign_for_revision(revision: Revision, actor: User | None) -> None:
    """Called by document control inside the transaction that makes `revision` effective.

    Open training on earlier revisions of the document is closed (a training on A does
    not count for B). Everyone whose job roles require the document is assigned the new
    revision, unless its approver decided it needs no retraining: then only those still
    training on the old revision move to the new one, with their due dates."""
    document = revision.document
    earlier = Assignment.objects.filter(document=document, state=AssignmentState.OPEN).exclude(
        revision=revision
    )
    # Who was still training on an earlier revision, and whether by hand (not by a role).
    carried = list(earlier.values_list("person_id", "due_date", "by_hand"))
    minor = not revision.retraining_needed
    close_assignments(
        actor=actor,
        assignments=earlier,
        step="supersede",
        reason=f"{revision} became effective" + (" (no retraining needed)" if minor else ""),
        obj=revision,
    )
    due = timezone.localdate() + dt.timedelta(days=rule_for(document.doc_type).due_days)
    if not minor:
        create_assignments(
            actor=actor,
            revision=revision,
            people=people_requiring(document),
            due_date=due,
            reason=f"{revision} became effective",
        )
    # Training still under way moves to the new revision: all of it for a minor change,
    # with its due date; otherwise the job roles decided above, and what was assigned by
    # hand (not by a job role) moves on by hand.
    carried = [(p, d if minor else due, h) for p, d, h in carried if minor or h]
    for when, by_hand in sorted({(d, h) for _, d, h in carried}):
        create_assignments(
            actor=actor,
            revision=revision,
            people=[p for p, d, h in carried if (d, h) == (when, by_hand)],
            due_date=when,
            reason=f"{revision} replaced the revision still being trained on",
            by_hand=by_hand,
        )


def assign_for_process_link(process: Any, document_ids: list[int], actor: User | None) -> None:
    """Called by the process register inside the transaction that links documents to
    `process`: whoever's job roles require the process is assigned each newly linked
    document's revision in force (a document not yet in force is assigned when it
    becomes effective, through `assign_for_revision`)."""
    roles = Requirement.objects.filter(
        kind=RequirementKind.PROCESS, process_id=process.pk, removed_at__isnull=True
    ).values("job_role_id")
    people = set(live_holdings().filter(job_role__in=roles).values_list("person_id", flat=True))
    if not people:
        return
    in_force = Revision.objects.filter(
        document_id__in=document_ids, state=RevisionState.EFFECTIVE
    ).select_related("document__doc_type")
    for revision in in_force.order_by("document__number"):
        due = timezone.localdate() + dt.timedelta(
            days=rule_for(revision.document.doc_type).due_days
        )
        create_assignments(
            actor=actor,
            revision=revision,
            people=people,
            due_date=due,
            reason=f"{revision.document.number} now serves process {process.code}",
        )


def close_for_withdrawn(document: Document, actor: User | None, reason: str) -> None:
    """Called by document control inside the transaction that withdraws `document`: its
    open training can never be completed, so it closes (kept, with the reason)."""
    close_assignments(
        actor=actor,
        assignments=Assignment.objects.filter(document=document),
        step="cancel",
        reason=f"{document.number} was withdrawn: {reason}",
        obj=document,
    )


@audit.writing()
def assign_training(
    *, actor: User, person: User, document: Document, due_date: dt.date, reason: str
) -> Assignment:
    """Assign one person the revision in force of a document, outside their job roles
    (a new starter's induction, a visitor's briefing…). Someone already trained on that
    revision is not assigned it again; an evaluation that finds training not effective is
    what reassigns it."""
    require(actor, MANAGE)
    reason = clean_text(reason, "reason", limit=300)
    if not person.is_active:
        raise InvalidInput(f"{person.full_name} is deactivated.", fields={"person": "Inactive."})
    if due_date < timezone.localdate():
        raise InvalidInput("The due date cannot be in the past.", fields={"due_date": "Past."})
    revision = (
        Revision.objects.select_for_update()
        .select_related("document__doc_type")
        .filter(document=document, state=RevisionState.EFFECTIVE)
        .first()
    )
    if revision is None:
        raise TransitionNotAllowed(f"{document.number} has no effective revision to train on.")
    created = create_assignments(
        actor=actor,
        revision=revision,
        people=[person.pk],
        due_date=due_date,
        reason=reason,
        by_hand=True,
    )
    if not created:
        raise TransitionNotAllowed(f"{person.full_name} already has training on {revision}.")
    return created[0]


def record_snapshot(day: dt.date | None = None) -> ComplianceSnapshot:
    """The matrix totals of a day (today by default), kept for the compliance chart."""
    built = matrix.build(as_of=day)
    totals = built.totals()
    snapshot, _ = ComplianceSnapshot.objects.update_or_create(
        day=built.day,
        defaults={
            "required": totals["required"],
            "current": totals[matrix.CURRENT],
            "overdue": totals[matrix.OVERDUE],
            "recorded_at": timezone.now(),
        },
    )
    return snapshot


def record_snapshot_text() -> str:
    snapshot = record_snapshot()
    return (
        f"{snapshot.current} of {snapshot.required} training requirements current "
        f"({snapshot.percent:.1f}%), {snapshot.overdue} overdue"
    )
