"""What complaints put in My tasks: feedback to classify (for those who handle quality
events), complaints with no reportability decision and complaints ready to close (for
those who sign). A complaint's task is due on its vigilance deadline when it has one."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.events.actions.complaints import close_problems
from openqms.events.models import Classification, Complaint, ComplaintState, Feedback
from openqms.events.registry import MANAGE, SIGN

LIMIT = 50  # a long backlog is read on the lists, not in My tasks


def complaint_tasks(user: User) -> list[Task]:
    tasks: list[Task] = []
    if has_permission(user, MANAGE):
        for f in Feedback.objects.filter(classification=Classification.PENDING)[:LIMIT]:
            tasks.append(
                Task(
                    "Feedback to classify",
                    f"Classify {f.number} {f.title}",
                    reverse("events:feedback", args=[f.pk]),
                    due=timezone.localdate(f.received_at),
                )
            )
    if has_permission(user, SIGN):
        open_ = Complaint.objects.filter(state=ComplaintState.OPEN)
        for c in open_.exclude(decisions__in_force=True)[:LIMIT]:
            tasks.append(
                Task(
                    "Reportability decisions",
                    f"Decide whether {c.number} {c.title} is reportable",
                    reverse("events:complaint", args=[c.pk]),
                    due=timezone.localdate(c.awareness_at),
                )
            )
        ready = (
            open_.filter(decisions__in_force=True).exclude(investigation="").exclude(root_cause="")
        )
        for c in ready.exclude(capa_needed=None)[:LIMIT]:
            if not close_problems(c, note="-"):
                tasks.append(
                    Task(
                        "Complaints to close",
                        f"Close {c.number} {c.title}",
                        reverse("events:complaint", args=[c.pk]),
                    )
                )
    return tasks
