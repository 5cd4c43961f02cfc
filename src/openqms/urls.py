from django.apps import apps
from django.urls import include, path

from openqms.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("documents/", include("openqms.documents.urls")),
    path("training/", include("openqms.training.urls")),
    path("", include("openqms.core.urls")),
]

if apps.is_installed("openqms.testapp"):  # the test-only workflow model (tests only)
    urlpatterns.insert(0, path("specimens/", include("openqms.testapp.urls")))
