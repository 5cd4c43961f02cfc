from django.urls import path

from openqms.events.views import trends

app_name = "events"
urlpatterns: list = [
    # --- complaints (feedback, complaints, reportability decisions)
    # --- vigilance (clock rules, vigilance dashboard, incident reports)
    # --- fsca
    # --- trends
    path("trends/", trends.trends_overview, name="trends"),
    path("trends/devices/<int:pk>/", trends.device_trend, name="device-trend"),
    path(
        "trends/devices/<int:pk>/<str:series>.svg",
        trends.device_trend_svg,
        name="device-trend-svg",
    ),
    path("trends/devices/<int:pk>/figures/new/", trends.exposure_add, name="exposure-add"),
    path("trends/figures/<int:pk>/withdraw/", trends.exposure_withdraw, name="exposure-withdraw"),
    path("trends/devices/<int:pk>/method/", trends.method_set, name="trend-method"),
    path("trend-reports/", trends.trend_reports, name="trend-reports"),
    path("trend-reports/new/", trends.trend_report_create, name="trend-report-create"),
    path("trend-reports/<int:pk>/", trends.trend_report, name="trend-report"),
    path("trend-reports/<int:pk>/edit/", trends.trend_report_edit, name="trend-report-edit"),
    path("trend-reports/<int:pk>/submit/", trends.trend_report_submit, name="trend-report-submit"),
    path("trend-reports/<int:pk>/close/", trends.trend_report_close, name="trend-report-close"),
    # --- pms (PMS plans, periodic reports, MHRA requests, PMS pack)
    # --- nonconformance
    # --- capa
    # --- across (dashboard, exports, record PDF, links, procedures)
]
