"""What nonconformities put in My tasks: for those who handle them (MANAGE), the next
unsigned step of each open one (containment, assessment, disposition, re-verification);
for those who sign (SIGN), concessions to authorise (never one they raised or disposed
of) and releases to sign. A fixed number of queries, however many records."""

from __future__ import annotations

from django.db.models import Q

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.events.models import Disposition, NcState, Nonconformity
from openqms.events.registry import MANAGE, NC_CONCESSION, NC_RELEASED, SIGN

KIND = "Nonconformities"
NEXT = {
    NcState.RAISED: "Record the containment of",
    NcState.CONTAINED: "Assess the impact of",
    NcState.ASSESSED: "Decide the disposition of",
}


def _needs_reverification() -> Q:
    return Q(state=NcState.DISPOSED, disposition=Disposition.REWORK) & ~Q(
        reverification_passed=True
    )


def nonconformity_tasks(user: User) -> list[Task]:
    tasks: list[Task] = []
    if has_permission(user, MANAGE):
        waiting = Nonconformity.objects.filter(
            Q(state__in=list(NEXT)) | _needs_reverification()
        ).order_by("opened_at", "pk")
        for nc in waiting:
            verb = NEXT.get(nc.state, "Record the re-verification of")  # type: ignore[call-overload]
            tasks.append(Task(KIND, f"{verb} {nc}", nc.get_absolute_url()))
    if has_permission(user, SIGN):
        disposed = Nonconformity.objects.filter(state=NcState.DISPOSED).order_by("opened_at", "pk")
        for nc in disposed:
            if nc.disposition == Disposition.USE_AS_IS and nc.concession_at is None:
                if user.pk in (nc.opened_by_id, nc.disposed_by_id):
                    continue
                title, meaning = f"Authorise the concession for {nc}", NC_CONCESSION
            elif nc.disposition == Disposition.REWORK and not nc.reverification_passed:
                continue
            else:
                title, meaning = f"Sign the release of {nc}", NC_RELEASED
            tasks.append(
                Task(
                    "Nonconformities to sign",
                    title,
                    nc.get_absolute_url(),
                    signs=nc,
                    meaning=meaning,
                )
            )
    return tasks
