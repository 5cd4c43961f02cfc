"""Risk reviews in My tasks: every open review, for those who write risk files."""

from __future__ import annotations

from django.urls import reverse

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.design.models import RiskReview
from openqms.design.registry import EDIT

SHOWN = 50


def risk_review_tasks(user: User) -> list[Task]:
    if not has_permission(user, EDIT):
        return []
    open_ones = RiskReview.objects.filter(closed_at__isnull=True).select_related("file__device")
    return [
        Task(
            kind="Risk review",
            title=f"Review the risk file of {review.file.device} after {review.source_label}",
            url=reverse("design:risk-review", args=[review.pk]),
            due=None,
        )
        for review in open_ones.order_by("opened_at", "pk")[:SHOWN]
    ]
