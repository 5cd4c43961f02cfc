"""What the SOUP list puts in My tasks: for those who sign SOUP reviews, every SOUP item
new or upgraded by an SBOM until its known-anomaly review is signed (one query)."""

from __future__ import annotations

from django.urls import reverse

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.design.models import SoupItem, SoupState
from openqms.design.registry import REVIEW, SOUP_REVIEWED


def soup_tasks(user: User) -> list[Task]:
    if not has_permission(user, REVIEW):
        return []
    waiting = SoupItem.objects.filter(state=SoupState.NEEDS_REVIEW).select_related(
        "system", "system__device"
    )
    return [
        Task(
            "SOUP reviews",
            f"{s.name} {s.version} in {s.system}: review its known anomalies",
            reverse("design:soup-item", args=[s.pk]),
            signs=s,
            meaning=SOUP_REVIEWED,
        )
        for s in waiting.order_by("system_id", "name")
    ]
