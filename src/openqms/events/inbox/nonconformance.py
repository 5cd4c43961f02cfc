"""What nonconformities put in My tasks: for those who handle them (MANAGE), the next
unsigned step of each open one (containment, assessment, disposition, re-verification);
for those who sign (SIGN), the concessions to authorise and releases to sign that the
workflow table offers them (its guards: segregation, re-verification; and the training
gate). The MANAGE tasks take a fixed number of queries; the signing tasks ask the
training gate per disposed nonconformity (few at a time)."""

from __future__ import annotations

from django.db.models import Q

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.events.actions.nonconformance import NC_FLOW
from openqms.events.models import Disposition, NcState, Nonconformity
from openqms.events.registry import MANAGE, NC_CONCESSION, NC_RELEASED, SIGN

KIND = "Nonconformities"
SIGNED = {
    "authorise_concession": ("Authorise the concession for", NC_CONCESSION),
    "release": ("Sign the release of", NC_RELEASED),
}
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
        # The table decides (state, permission, guards, segregation, training): a task is
        # offered exactly when the record's page would offer the signed step.
        disposed = Nonconformity.objects.filter(state=NcState.DISPOSED).order_by("opened_at", "pk")
        for nc in disposed:
            offered = {t.name for t in NC_FLOW.available(nc, user)}
            for step, (title, meaning) in SIGNED.items():
                if step in offered:
                    tasks.append(
                        Task(
                            "Nonconformities to sign",
                            f"{title} {nc}",
                            nc.get_absolute_url(),
                            signs=nc,
                            meaning=meaning,
                        )
                    )
    return tasks
