from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openqms.core import inbox


def my_tasks(request: HttpRequest) -> HttpResponse:
    return render(request, "core/tasks.html", {"tasks": inbox.tasks_for(request.user)})
