from django.urls import path

from openqms.events.views import across

app_name = "events"
urlpatterns: list = [
    # --- complaints (feedback, complaints, reportability decisions)
    # --- vigilance (clock rules, vigilance dashboard, incident reports)
    # --- fsca
    # --- trends
    # --- pms (PMS plans, periodic reports, MHRA requests, PMS pack)
    # --- nonconformance
    # --- capa
    # --- across (dashboard, exports, record PDF, links, procedures)
    path("", across.overview, name="dashboard"),
    path("export/<slug:kind>.<slug:fmt>", across.export_list, name="export"),
    path("record/<slug:kind>/<int:pk>.pdf", across.record_pdf, name="record-pdf"),
    path("record/<slug:kind>/<int:pk>/links", across.link_add, name="link-add"),
    path(
        "record/<slug:kind>/<int:pk>/links/<int:link>/remove",
        across.link_remove,
        name="link-remove",
    ),
    path("procedures/", across.procedures, name="procedures"),
]
