"""What baselines, design reviews and design changes put in My tasks: open baselines to
sign (QA lead), design reviews the user is named in and has not signed yet, and design
changes to approve (those who sign, not on changes they recorded)."""

from __future__ import annotations

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.design.models import (
    Baseline,
    BaselineState,
    ChangeState,
    DesignChange,
    ReviewParticipant,
    ReviewState,
    SignState,
)
from openqms.design.registry import (
    BASELINE_SIGNED,
    DESIGN_CHANGE_APPROVED,
    DESIGN_REVIEW_SIGNED,
    SIGN,
)


def baseline_tasks(user: User) -> list[Task]:
    tasks: list[Task] = []
    mine = ReviewParticipant.objects.filter(
        person=user, state=SignState.PENDING, review__state=ReviewState.SIGNING
    ).select_related("review__project")
    for row in mine:
        tasks.append(
            Task(
                "Design reviews to sign",
                f"{row.review.project.name}: sign “{row.review.title}” as {row.get_role_display()}",
                row.review.get_absolute_url(),
                signs=row,
                meaning=DESIGN_REVIEW_SIGNED,
            )
        )
    if not has_permission(user, SIGN):
        return tasks
    for b in Baseline.objects.filter(state=BaselineState.OPEN).select_related("project"):
        tasks.append(
            Task(
                "Baselines to sign",
                f"{b.project.name}: sign baseline “{b.name}” ({b.get_kind_display()})",
                b.get_absolute_url(),
                signs=b,
                meaning=BASELINE_SIGNED,
            )
        )
    changes = DesignChange.objects.filter(state=ChangeState.DRAFT).exclude(created_by=user)
    for c in changes.select_related("project"):
        tasks.append(
            Task(
                "Design changes to approve",
                f"{c.number} {c.title} ({c.project.name})",
                c.get_absolute_url(),
                signs=c,
                meaning=DESIGN_CHANGE_APPROVED,
            )
        )
    return tasks
