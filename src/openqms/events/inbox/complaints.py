"""What complaints put in My tasks: feedback to classify (for those who handle quality
events), complaints with no reportability decision and complaints ready to close (for
those who sign). A complaint's task is due on its vigilance deadline when it has one."""

from __future__ import annotations

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import RecordLink, User
from openqms.events import guards
from openqms.events.actions.complaint_signing import CAPA_TYPE
from openqms.events.models import (
    Classification,
    Complaint,
    ComplaintState,
    Feedback,
    ReportabilityDecision,
)
from openqms.events.registry import DECIDE, MANAGE, SIGN

COMPLAINT_TYPE = "events.complaint"
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
    if has_permission(user, SIGN) and has_permission(user, DECIDE):
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
        for c in ready_to_close()[:LIMIT]:
            tasks.append(
                Task(
                    "Complaints to close",
                    f"Close {c.number} {c.title}",
                    reverse("events:complaint", args=[c.pk]),
                )
            )
    return tasks


def _capa_linked() -> Exists:
    me = Cast(OuterRef("pk"), output_field=CharField())
    links = RecordLink.objects.filter(removed_at__isnull=True).filter(
        Q(from_type=COMPLAINT_TYPE, from_id=me, to_type=CAPA_TYPE)
        | Q(to_type=COMPLAINT_TYPE, to_id=me, from_type=CAPA_TYPE)
    )
    return Exists(links)


def ready_to_close() -> QuerySet[Complaint]:
    """The open complaints close_problems would let close (a closure note standing in
    for the reply), as one query: other areas' rules as their filters (events.guards)."""
    ready = (
        Complaint.objects.filter(state=ComplaintState.OPEN)
        .filter(
            Exists(ReportabilityDecision.objects.filter(complaint=OuterRef("pk"), in_force=True))
        )
        .exclude(investigation="")
        .exclude(root_cause="")
        .exclude(capa_needed=None)
        .filter(Q(capa_needed=False) | _capa_linked())
        .order_by("pk")
    )
    ready, unfiltered = guards.narrowed("complaint", "close", ready)
    if not unfiltered:
        return ready
    keep = [c.pk for c in ready if not any(rule(c) for rule in unfiltered)]
    return Complaint.objects.filter(pk__in=keep).order_by("pk")
