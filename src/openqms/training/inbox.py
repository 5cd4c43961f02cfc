"""What training puts in people's “My tasks”: their own training, sessions to sign,
evaluations waiting, and (for managers) their people's overdue training.

Only tasks on revisions in force: a session on a superseded revision can no longer be
signed, and evaluating training on one checks nothing anyone still works to (its open
training was closed when it was superseded)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.documents.models import RevisionState
from openqms.training.lifecycle import awaiting_evaluation, steps_for_many
from openqms.training.models import Assignment, AssignmentState, TrainingSession
from openqms.training.registry import EVALUATE

SIGN_WITHIN = dt.timedelta(days=7)  # for a trainer to sign the session they gave


def _steppable(assignments, user: User, *names: str) -> list[Assignment]:
    """The assignments on which the lifecycle table lets `user` take one of `names` now
    (asked for all of them at once, in a fixed number of queries)."""
    rows = list(assignments)
    steps = steps_for_many(rows, user)
    return [a for a in rows if set(names) & set(steps[a.pk])]


def training_tasks(user: User) -> list[Task]:
    mine = _steppable(
        Assignment.objects.filter(person=user, state=AssignmentState.OPEN)
        .select_related("person", "document", "revision__document")
        .order_by("due_date"),
        user,
        "quiz",
        "sign",
    )
    tasks = [
        Task(
            "Training",
            f"Train on {a.revision}: {a.revision.document.title}",
            reverse("training:assignment", args=[a.pk]),
            due=a.due_date,
        )
        for a in mine
    ]
    for session in TrainingSession.objects.filter(
        trainer=user, signed_at__isnull=True, revision__state=RevisionState.EFFECTIVE
    ).select_related("revision__document"):
        tasks.append(
            Task(
                "Training session",
                f"Sign the session you gave on {session.revision}",
                reverse("training:session", args=[session.pk]),
                # A week from when it was recorded: a session recorded after the day
                # it was held is not overdue the moment it is recorded.
                due=timezone.localdate(session.recorded_at) + SIGN_WITHIN,
            )
        )
    overdue = (
        Assignment.objects.filter(
            person__employee__manager=user,
            person__is_active=True,
            state=AssignmentState.OPEN,
            due_date__lt=timezone.localdate(),
        )
        .select_related("person", "revision__document")
        .order_by("due_date")
    )
    for a in overdue:
        tasks.append(
            Task(
                "Overdue training (your team)",
                f"{a.person.full_name} is overdue on {a.revision}",
                reverse("training:person", args=[a.person.username]),
                due=a.due_date,
            )
        )
    # Completed training waiting for its effectiveness check, where the table lets this
    # person evaluate it (the permission, never their own, not evaluated yet).
    if not has_permission(user, EVALUATE):
        return tasks  # the table would refuse every row: spare the query
    waiting = (
        awaiting_evaluation()
        .filter(revision__state=RevisionState.EFFECTIVE)
        .select_related("person", "document", "revision__document")
        .order_by("completed_at")[:50]
    )
    for a in _steppable(waiting, user, "evaluate", "evaluate_not_effective"):
        tasks.append(
            Task(
                "Training effectiveness",
                f"Evaluate {a.person.full_name}'s training on {a.revision}",
                reverse("training:assignment", args=[a.pk]),
            )
        )
    return tasks
