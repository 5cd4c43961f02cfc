from django.urls import path

from openqms.events.views import vigilance

app_name = "events"
urlpatterns: list = [
    # --- complaints (feedback, complaints, reportability decisions)
    # --- vigilance (clock rules, vigilance dashboard, incident reports)
    path("vigilance/", vigilance.dashboard, name="vigilance"),
    path("vigilance/clock-rules/", vigilance.clock_rules, name="clock-rules"),
    path("incident-reports/", vigilance.report_list, name="incident-reports"),
    path("incident-reports/new/", vigilance.report_create, name="incident-report-create"),
    path("incident-reports/<int:pk>/", vigilance.report_detail, name="incident-report"),
    path("incident-reports/<int:pk>/edit/", vigilance.report_edit, name="incident-report-edit"),
    path(
        "incident-reports/<int:pk>/submit/", vigilance.report_submit, name="incident-report-submit"
    ),
    path("incident-reports/<int:pk>/due/", vigilance.report_due, name="incident-report-due"),
    path("incident-reports/<int:pk>/pdf/", vigilance.report_pdf_view, name="incident-report-pdf"),
    path(
        "incident-reports/<int:pk>/json/", vigilance.report_json_view, name="incident-report-json"
    ),
    # --- fsca
    # --- trends
    # --- pms (PMS plans, periodic reports, MHRA requests, PMS pack)
    # --- nonconformance
    # --- capa
    # --- across (dashboard, exports, record PDF, links, procedures)
]
