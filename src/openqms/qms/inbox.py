"""What the organisation and scope put in people's “My tasks”: a scope version awaiting
top management's signature, and the approved body to notify, its answer to record, or
the reassessment it required to record as done."""

from __future__ import annotations

from django.urls import reverse

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.qms.actions.scope import LIFECYCLE
from openqms.qms.models import NotificationState, ScopeNotification, ScopeState, ScopeVersion
from openqms.qms.models.scope import OPEN_NOTIFICATION
from openqms.qms.registry import CERTIFICATION, SCOPE_APPROVE

REASSESSMENT = "Approved body must be notified — reassessment may be required"
TODO: dict[str, str] = {
    NotificationState.TO_NOTIFY: "send the notification",
    NotificationState.SENT: "record its answer",
}


def scope_tasks(user: User) -> list[Task]:
    tasks = []
    if has_permission(user, SCOPE_APPROVE):
        waiting = ScopeVersion.objects.filter(state=ScopeState.IN_APPROVAL)
        for scope in waiting:
            if LIFECYCLE.refusal(scope, user, LIFECYCLE.get("approve"), gates=False) is None:
                tasks.append(
                    Task(
                        kind="QMS scope to approve",
                        title=f"Approve {scope}",
                        url=reverse("qms:scope", args=[scope.number]),
                        signs=scope,
                        meaning="approved_scope",
                    )
                )
    if has_permission(user, CERTIFICATION):
        open_ = ScopeNotification.objects.filter(OPEN_NOTIFICATION)
        for n in open_.select_related("scope"):
            todo = TODO.get(n.state, "record the reassessment")
            tasks.append(
                Task(
                    kind="Scope change: approved body",
                    title=f"{REASSESSMENT}: {n.scope}, {todo}",
                    url=reverse("qms:scope", args=[n.scope.number]),
                )
            )
    return tasks
