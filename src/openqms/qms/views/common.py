"""The QMS dashboard: what the frame says now, and the panels every module adds."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from openqms.core import modules
from openqms.core.http import AuthenticatedHttpRequest


def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    panels = modules.dashboard_panels(request.user)
    return render(request, "qms/dashboard.html", {"panels": panels})


urlpatterns = [path("", dashboard, name="dashboard")]
