from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from openqms.core import inbox
from openqms.core.http import AuthenticatedHttpRequest


def my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()  # "overdue" by the instance's calendar, not UTC's
    tasks = inbox.tasks_for(request.user)
    groups = inbox.grouped(tasks, today)
    context = {
        "groups": groups,
        "total": len(tasks),
        "overdue": sum(g.overdue for g in groups),
        "today": today,
    }
    return render(request, "core/tasks.html", context)
