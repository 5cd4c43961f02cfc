"""The QMS dashboard's trace panel: open gaps per design project (the ten with most
gaps), each linked to its trace page. One query, for anyone with a role."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from openqms.core.models import User
from openqms.core.modules import Panel
from openqms.design import access
from openqms.design.models import DesignProject

SHOWN = 10


def gap_panel(user: User) -> list[Panel]:
    if not access.is_reader(user):
        return []
    projects = list(
        DesignProject.objects.annotate(open_gaps=Count("gaps"))
        .order_by("-open_gaps", "name")
        .values_list("pk", "name", "open_gaps")[: SHOWN + 1]
    )
    if not projects:
        return []
    rows = [
        {"name": name, "gaps": n, "url": reverse("design:trace", args=[pk])}
        for pk, name, n in projects[:SHOWN]
    ]
    return [
        Panel(
            title="Design trace",
            template="design/trace/panel.html",
            context={"rows": rows, "more": len(projects) > SHOWN},
            url=reverse("design:projects"),
            order=45,
        )
    ]
