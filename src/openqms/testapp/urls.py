from django.urls import path

from openqms.testapp import views

app_name = "testapp"
urlpatterns = [
    path("", views.specimen_list, name="specimen-list"),
    path("<int:pk>/", views.specimen_detail, name="specimen"),
    path("<int:pk>/export.csv", views.specimen_export, name="export"),
    path("<int:pk>/<slug:step>/", views.specimen_step, name="step"),
]
