from django.urls import path

from openqms.validation import views

app_name = "validation"
urlpatterns = [
    path("", views.report_list, name="reports"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/<slug:kind>/download/", views.report_download, name="download"),
    path("<int:pk>/approve/", views.report_approve, name="approve"),
]
