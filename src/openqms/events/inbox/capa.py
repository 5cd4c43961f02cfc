"""What CAPAs put in My tasks: your actions of a plan round; for the owner, the next
step of their CAPAs; for those who sign, effectiveness results to sign (not on CAPAs they
own) and CAPAs verified effective to close."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.events.models import Capa, CapaAction, CapaState, Result
from openqms.events.registry import CAPA_CLOSED, CAPA_EFFECTIVENESS, MANAGE, SIGN

S = CapaState
NEXT = {
    S.OPEN: "start the investigation",
    S.INVESTIGATING: "analyse the root cause and plan the actions",
    S.IMPLEMENTING: "carry out the plan",
    S.VERIFYING: "verify the implementation",
}


def capa_tasks(user: User) -> list[Task]:
    tasks: list[Task] = []
    mine = CapaAction.objects.filter(
        owner=user,
        done_at__isnull=True,
        capa__state__in=(S.INVESTIGATING, S.IMPLEMENTING),
    ).select_related("capa")
    for a in mine:
        if a.round != a.capa.round:
            continue
        tasks.append(
            Task(
                "CAPA actions",
                f"{a.capa.number}: {a.description[:80]}",
                reverse("events:capa", args=[a.capa_id]),
                due=a.due,
            )
        )
    if has_permission(user, MANAGE):
        owned = Capa.objects.filter(owner=user, state__in=list(NEXT))
        for c in owned:
            tasks.append(
                Task(
                    "CAPAs you own",
                    f"{c.number} {c.title}: {NEXT[S(c.state)]}",
                    reverse("events:capa", args=[c.pk]),
                )
            )
    if has_permission(user, SIGN):
        today = timezone.localdate()
        checking = Capa.objects.filter(state=S.EFFECTIVENESS).exclude(owner=user)
        for c in checking.exclude(effectiveness=Result.EFFECTIVE):
            tasks.append(
                Task(
                    "CAPA effectiveness to sign",
                    f"Check and sign the effectiveness of {c.number} {c.title}",
                    reverse("events:capa", args=[c.pk]),
                    due=c.effectiveness_due or today,
                    signs=c,
                    meaning=CAPA_EFFECTIVENESS,
                )
            )
        for c in Capa.objects.filter(state=S.EFFECTIVENESS, effectiveness=Result.EFFECTIVE):
            tasks.append(
                Task(
                    "CAPAs to close",
                    f"Close {c.number} {c.title} (verified effective)",
                    reverse("events:capa", args=[c.pk]),
                    signs=c,
                    meaning=CAPA_CLOSED,
                )
            )
    return tasks
