"""The root URLconf: the API, then every module's URLs from its module.py (core's last)."""

from django.urls import path

from openqms.api import api
from openqms.core import modules

urlpatterns = modules.urlpatterns(before=[path("api/v1/", api.urls)], after=[])
