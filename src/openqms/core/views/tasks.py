from django.http import HttpResponse
from django.shortcuts import render

from openqms.core import inbox
from openqms.core.http import AuthenticatedHttpRequest


def my_tasks(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "core/tasks.html", {"tasks": inbox.tasks_for(request.user)})
