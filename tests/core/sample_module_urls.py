"""URLs of a module that exists only for the duration of a test (test_module_contract)."""

from django.http import HttpResponse
from django.urls import path

app_name = "sample"
urlpatterns = [path("", lambda request: HttpResponse("The sample module's page"), name="home")]
