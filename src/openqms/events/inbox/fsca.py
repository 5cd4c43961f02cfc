"""What FSCAs put in My tasks: for those who report to the MHRA, a GB FSCA waiting for
its MHRA notification before it may start, and an urgent one whose late notification
is not yet recorded; for those who handle FSCAs, reconciliation still open; for those
who sign, FSCAs fully reconciled and ready to close."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.events.actions.fsca import percent, with_reach
from openqms.events.models import Fsca, FscaState, Scope
from openqms.events.registry import FSCA_CLOSED, MANAGE, REPORT, SIGN


def fsca_tasks(user: User) -> list[Task]:
    tasks: list[Task] = []
    if has_permission(user, REPORT):
        waiting = Fsca.objects.filter(
            scope=Scope.GB, mhra_notified_at__isnull=True, state=FscaState.PLANNED
        )
        for f in waiting:
            tasks.append(
                Task(
                    "FSCAs",
                    f"Tell the MHRA of {f.number} before it starts"
                    + (" (urgent: it may start first)" if f.urgent else ""),
                    reverse("events:fsca", args=[f.pk]),
                )
            )
        late = Fsca.objects.filter(
            scope=Scope.GB, mhra_notified_at__isnull=True, state=FscaState.IN_PROGRESS
        )
        for f in late:
            tasks.append(
                Task(
                    "FSCAs",
                    f"Record the late MHRA notification of urgent {f.number}",
                    reverse("events:fsca", args=[f.pk]),
                    due=timezone.localdate(f.started_at) if f.started_at else None,
                )
            )
    if has_permission(user, MANAGE) or has_permission(user, SIGN):
        running = with_reach(Fsca.objects.filter(state=FscaState.IN_PROGRESS))
        for f in running:
            reached, affected = f.reached, f.affected  # type: ignore[attr-defined]
            if reached < affected and has_permission(user, MANAGE):
                tasks.append(
                    Task(
                        "FSCAs",
                        f"Reconcile {f.number}: {percent(reached, affected)}% of units reached",
                        reverse("events:fsca", args=[f.pk]),
                    )
                )
            elif reached >= affected and has_permission(user, SIGN):
                tasks.append(
                    Task(
                        "FSCAs",
                        f"Sign the closure of {f.number}: every unit reached",
                        reverse("events:fsca", args=[f.pk]),
                        signs=f,
                        meaning=FSCA_CLOSED,
                    )
                )
    return tasks
