"""What design items put in My tasks: for reviewers (REVIEW), one task per project with
suspect links, leading to the project's suspect links (one query, however many)."""

from __future__ import annotations

from django.db.models import Count, Min
from django.urls import reverse

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.design.models import Link, LinkState
from openqms.design.registry import REVIEW

KIND = "Suspect design links"


def suspect_link_tasks(user: User) -> list[Task]:
    if not has_permission(user, REVIEW):
        return []
    per_project = (
        Link.objects.filter(state=LinkState.SUSPECT)
        .values("project", "project__name")
        .annotate(n=Count("pk"), since=Min("suspect_since"))
        .order_by("since", "project__name")
    )
    return [
        Task(
            KIND,
            f"Review {row['n']} suspect link{'s' if row['n'] != 1 else ''} in "
            f"{row['project__name']}",
            reverse("design:suspect", args=[row["project"]]),
        )
        for row in per_project
    ]
