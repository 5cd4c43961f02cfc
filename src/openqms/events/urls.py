from django.urls import path  # noqa: F401

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
]
