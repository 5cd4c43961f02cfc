"""“My tasks”: each module declares providers (in its module.py) that list a user's open
tasks. A provider is `provider(user) -> list[Task]`. The core's tell administrators
about locked accounts and failing emails; documents, training, CAPA and the rest add
theirs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from django.urls import reverse
from django.utils import timezone

from openqms.core import mail, modules
from openqms.core.access import has_permission
from openqms.core.models import AuditEvent, User
from openqms.core.registry import AUDIT_READ, USER_MANAGE


@dataclass(frozen=True)
class Task:
    kind: str
    title: str
    url: str
    due: dt.date | None = None
    # Why the task cannot be done yet, in plain words ("Complete your training on
    # SOP-001 rev B first"), and where to go to unblock it; "" when it can be done now.
    blocked: str = ""
    blocked_url: str = ""
    # What the task asks the user to sign and the signature's meaning ("approved"), when
    # it is a signature: tasks_for asks the modules' task blockers (module.task_blockers)
    # whether something keeps the user from giving it, and fills `blocked` from the answer.
    signs: Any = field(default=None, compare=False, repr=False)
    meaning: str = field(default="", compare=False, repr=False)


Provider = Callable[[User], list[Task]]


@dataclass(frozen=True)
class TaskGroup:
    """The tasks of one kind, most urgent first, for My tasks."""

    kind: str
    tasks: list[Task]
    overdue: int  # how many are past their due date

    @property
    def count(self) -> int:
        return len(self.tasks)


def _urgency(task: Task) -> tuple[bool, dt.date, str]:
    # The earliest due date first (so overdue tasks lead), tasks without one last.
    return (task.due is None, task.due or dt.date.max, task.title)


def with_blockers(user: User, tasks: list[Task]) -> list[Task]:
    """`tasks`, those the user cannot sign yet marked with why and where to unblock them
    (each blocker answers for all the tasks at once: a fixed number of queries)."""
    asking = [i for i, task in enumerate(tasks) if task.signs is not None and not task.blocked]
    if not asking:
        return tasks
    tasks = list(tasks)
    for blocker in modules.task_blockers():
        answers = blocker(user, [(tasks[i].signs, tasks[i].meaning) for i in asking])
        for i, answer in zip(asking, answers, strict=True):
            if answer is not None and not tasks[i].blocked:
                tasks[i] = replace(tasks[i], blocked=answer[0], blocked_url=answer[1])
    return tasks


def tasks_for(user: User) -> list[Task]:
    tasks = [task for provider in modules.task_providers() for task in provider(user)]
    return sorted(with_blockers(user, tasks), key=_urgency)


def grouped(tasks: list[Task], today: dt.date) -> list[TaskGroup]:
    """The tasks by kind, each kind's most urgent first; the kind whose most urgent task
    is the most urgent comes first (ties: by name). `today` is the instance's date."""
    kinds: dict[str, list[Task]] = {}
    for task in sorted(tasks, key=_urgency):
        kinds.setdefault(task.kind, []).append(task)
    groups = [
        TaskGroup(kind, listed, sum(1 for t in listed if t.due is not None and t.due < today))
        for kind, listed in kinds.items()
    ]
    return sorted(groups, key=lambda g: (*_urgency(g.tasks[0])[:2], g.kind))


def locked_accounts(user: User) -> list[Task]:
    if not has_permission(user, USER_MANAGE):
        return []
    locked = User.objects.active().filter(locked_until__gt=timezone.now())
    return [
        Task(
            kind="Locked account",
            title=f"Review the lockout of {u.full_name} ({u.username})",
            url=reverse("core:user-detail", args=[u.username]),
        )
        for u in locked
    ]


def failing_emails(user: User) -> list[Task]:
    """One entry while any queued email keeps failing (it is still retried); the audit
    trail's core.email.failing events name each message and its last error."""
    if not (has_permission(user, USER_MANAGE) and has_permission(user, AUDIT_READ)):
        return []
    count = mail.failing().count()
    if not count:
        return []
    return [
        Task(
            kind="Email failing",
            title=f"{count} email(s) cannot be delivered: check the mail server",
            url=reverse("core:audit") + "?action=core.email.failing",
        )
    ]


def integrity_failing(user: User) -> list[Task]:
    """One entry while the last scheduled integrity check failed (`openqms tick`)."""
    if not (has_permission(user, USER_MANAGE) and has_permission(user, AUDIT_READ)):
        return []
    last = AuditEvent.objects.filter(action="core.integrity.checked").order_by("-seq").first()
    if last is None:
        return []
    said = json.loads(last.changes)
    if said.get("ok"):
        return []
    return [
        Task(
            kind="Integrity check failed",
            title=f"The integrity check found {said.get('findings_total')} problem(s): "
            "see what and where",
            url=reverse("core:integrity"),
        )
    ]
