from django.urls import path

from openqms.devices.views import files, register

app_name = "devices"

urlpatterns = [
    # The register (views/register.py)
    path("", register.device_list, name="list"),
    path("new/", register.device_create, name="create"),
    path("<int:pk>/", register.device_detail, name="device"),
    path("<int:pk>/edit/", register.device_edit, name="edit"),
    path("<int:pk>/step/<slug:step>/", register.device_step, name="step"),
    path("<int:pk>/registration/", register.device_registration, name="registration"),
    path("<int:pk>/markets/", register.market_add, name="market-add"),
    path("<int:pk>/markets/<int:market>/remove/", register.market_remove, name="market-remove"),
    path("<int:pk>/udis/", register.udi_add, name="udi-add"),
    path("<int:pk>/udis/<int:udi>/remove/", register.udi_remove, name="udi-remove"),
    path("ce-recognition/", register.recognitions, name="recognitions"),
    path("ce-recognition/<int:pk>/", register.recognition_edit, name="recognition-edit"),
    # Families and their medical device files (views/files.py)
    path("files/", files.file_list, name="files"),
    path("families/<str:code>/", files.family_detail, name="family"),
    path("families/<str:code>/file/", files.file_document_add, name="file-add"),
    path(
        "families/<str:code>/file/<int:pk>/remove/", files.file_document_remove, name="file-remove"
    ),
    path(
        "families/<str:code>/sections/<slug:section>/not-applicable/",
        files.section_not_applicable,
        name="section-na",
    ),
    path(
        "families/<str:code>/sections/<slug:section>/applies/",
        files.section_applicable,
        name="section-applies",
    ),
    path("families/<str:code>/export.<str:fmt>", files.file_export, name="file-export"),
]
