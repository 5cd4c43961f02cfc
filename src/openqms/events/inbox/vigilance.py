"""What vigilance puts in My tasks and on the QMS dashboard. My tasks, for those who
report to the MHRA (REPORT): each
running clock's initial report, due by its deadline, and each draft follow-up or final
report (due when the QA lead set a date)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.core.modules import Panel
from openqms.events.access import is_reader
from openqms.events.clocks import UK, deadline_text, left_text, open_clocks, running_decisions
from openqms.events.models import IncidentReport, ReportState, ReportType
from openqms.events.registry import REPORT


def vigilance_tasks(user: User) -> list[Task]:
    if not has_permission(user, REPORT):
        return []
    tasks = []
    for clock in open_clocks():
        c = clock.complaint
        deadline = clock.deadline.astimezone(UK)
        # The deadline is UK midnight ending the last day: that last day is the due date.
        last_day = (deadline - clock.deadline.resolution).date()
        url = (
            clock.initial.get_absolute_url()
            if clock.initial
            else reverse("events:incident-report-create") + f"?from=events.complaint:{c.pk}"
        )
        tasks.append(
            Task(
                "Vigilance reports",
                f"Submit the initial MHRA report of {c.number} {c.title} "
                f"(by the {deadline_text(clock.deadline)})",
                url,
                due=last_day,
            )
        )
    drafts = IncidentReport.objects.filter(state=ReportState.DRAFT).exclude(
        report_type=ReportType.INITIAL
    )
    for r in drafts.order_by("due_at", "pk"):
        tasks.append(
            Task(
                "Vigilance reports",
                f"Submit the {r.get_report_type_display()} report {r.number}",
                r.get_absolute_url(),
                due=r.due_at.astimezone(UK).date() if r.due_at else None,
            )
        )
    return tasks


SHOWN = 5


def open_clocks_panel(user: User) -> list[Panel]:
    """The QMS dashboard's box of running vigilance clocks (two queries)."""
    if not is_reader(user):
        return []
    now = timezone.now()
    found = open_clocks(limit=SHOWN)
    return [
        Panel(
            title="Vigilance clocks",
            template="events/vigilance/panel.html",
            context={
                "clocks": [(c, left_text(c.left(now)), c.overdue(now)) for c in found],
                "count": running_decisions().count(),
            },
            url=reverse("events:vigilance"),
            order=41,
        )
    ]
