from django.urls import path

from openqms.events.views import nonconformance as nc

app_name = "events"
urlpatterns: list = [
    # --- complaints (feedback, complaints, reportability decisions)
    # --- vigilance (clock rules, vigilance dashboard, incident reports)
    # --- fsca
    # --- trends
    # --- pms (PMS plans, periodic reports, MHRA requests, PMS pack)
    # --- nonconformance
    path("nonconformities/", nc.nonconformity_list, name="nonconformities"),
    path("nonconformities/new/", nc.nonconformity_create, name="nonconformity-create"),
    path("nonconformities/<int:pk>/", nc.nonconformity_detail, name="nonconformity"),
    path(
        "nonconformities/<int:pk>/<str:step>/",
        nc.nonconformity_step,
        name="nonconformity-step",
    ),
    path(
        "nonconformities/<int:pk>/sign/<str:step>/",
        nc.nonconformity_sign,
        name="nonconformity-sign",
    ),
    # --- capa
    # --- across (dashboard, exports, record PDF, links, procedures)
]
