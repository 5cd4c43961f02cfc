"""Projects and items. (pages slice: replace these placeholders with the real pages.)"""

from django.http import HttpResponse
from django.shortcuts import render

from openqms.core.http import AuthenticatedHttpRequest
from openqms.design import access
from openqms.design.models import DesignProject, Item


def project_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    projects = access.visible(request.user, DesignProject.objects.all())
    return render(request, "design/projects.html", {"projects": projects})


def project_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = access.get_for_user(request.user, DesignProject.objects.all(), pk)
    return render(request, "design/project.html", {"project": project})


def item_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = access.get_for_user(request.user, Item.objects.select_related("project"), pk)
    return render(request, "design/item.html", {"item": item})
