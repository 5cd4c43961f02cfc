"""What post-market surveillance puts in My tasks: periodic reports due within 60 days
or overdue (to prepare, for those who handle quality events), reports ready to sign
(for those who sign), and open MHRA requests (for those who answer the MHRA)."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.events.models import MhraRequest, MhraRequestState, PmsReport, PmsReportState
from openqms.events.registry import MANAGE, PMS_REPORT_COMPLETED, REPORT, SIGN
from openqms.events.workdays import UK


def pms_tasks(user: User) -> list[Task]:
    tasks: list[Task] = []
    today = timezone.localdate()
    reports = PmsReport.objects.exclude(state=PmsReportState.COMPLETED).select_related("device")
    if has_permission(user, MANAGE):
        for r in reports.filter(due_on__lte=today + dt.timedelta(days=60)):
            word = "overdue since" if r.due_on < today else "due"
            tasks.append(
                Task(
                    "Periodic PMS reports",
                    f"Prepare {r.number} {r.title} ({word} {r.due_on:%d %b %Y})",
                    reverse("events:pms-report", args=[r.pk]),
                    due=r.due_on,
                )
            )
    if has_permission(user, SIGN):
        ready = reports.filter(state=PmsReportState.IN_PREPARATION, document__isnull=False).exclude(
            conclusions=""
        )
        for r in ready:
            tasks.append(
                Task(
                    "Periodic PMS reports to sign",
                    f"Sign the completion of {r.number} {r.title}",
                    reverse("events:pms-report", args=[r.pk]),
                    due=r.due_on,
                    signs=r,
                    meaning=PMS_REPORT_COMPLETED,
                )
            )
    if has_permission(user, REPORT):
        for m in MhraRequest.objects.filter(state=MhraRequestState.OPEN).order_by("deadline_at"):
            last_day = (m.deadline_at.astimezone(UK) - dt.timedelta(seconds=1)).date()
            tasks.append(
                Task(
                    "MHRA requests",
                    f"Answer {m.number} {m.title} (by the end of {last_day:%a %d %b %Y})",
                    reverse("events:mhra-request", args=[m.pk]),
                    due=last_day,
                )
            )
    return tasks
