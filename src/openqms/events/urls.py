from django.urls import path

from openqms.events.views import across, capa, complaints, fsca, pms, trends, vigilance
from openqms.events.views import nonconformance as nc

app_name = "events"
urlpatterns: list = [
    # --- complaints (feedback, complaints, reportability decisions)
    path("feedback/", complaints.feedback_list, name="feedback-list"),
    path("feedback/new/", complaints.feedback_log, name="feedback-log"),
    path("feedback/<int:pk>/", complaints.feedback_detail, name="feedback"),
    path("feedback/<int:pk>/classify/", complaints.feedback_classify, name="feedback-classify"),
    path("feedback/<int:pk>/not-complaint/", complaints.feedback_reject, name="feedback-reject"),
    path("complaints/", complaints.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", complaints.complaint_detail, name="complaint"),
    path("complaints/<int:pk>/edit/", complaints.complaint_edit, name="complaint-edit"),
    path("complaints/<int:pk>/link/", complaints.complaint_link, name="complaint-link"),
    path(
        "complaints/<int:pk>/links/<int:link>/remove/",
        complaints.complaint_unlink,
        name="complaint-unlink",
    ),
    path("complaints/<int:pk>/decide/", complaints.complaint_decide, name="complaint-decide"),
    path("complaints/<int:pk>/close/", complaints.complaint_close, name="complaint-close"),
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
    path("fscas/", fsca.fsca_list, name="fscas"),
    path("fscas/new/", fsca.fsca_create, name="fsca-create"),
    path("fscas/<int:pk>/", fsca.fsca_detail, name="fsca"),
    path("fscas/<int:pk>/devices/", fsca.fsca_add_device, name="fsca-device"),
    path("fscas/<int:pk>/markets/", fsca.fsca_market, name="fsca-market"),
    path("fscas/<int:pk>/mhra/", fsca.fsca_mhra, name="fsca-mhra"),
    path("fscas/<int:pk>/told/", fsca.fsca_party, name="fsca-party"),
    path("fscas/<int:pk>/notice/", fsca.fsca_notice, name="fsca-notice"),
    path("fscas/<int:pk>/notice/review/", fsca.fsca_notice_review, name="fsca-notice-review"),
    path("fscas/<int:pk>/start/", fsca.fsca_start, name="fsca-start"),
    path("fscas/<int:pk>/reconcile/", fsca.fsca_reconcile, name="fsca-reconcile"),
    path("fscas/<int:pk>/close/", fsca.fsca_close, name="fsca-close"),
    path("fscas/<int:pk>/files/<str:which>/", fsca.fsca_file, name="fsca-file"),
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
    path("pms/devices/<int:pk>/", pms.pms_overview, name="pms"),
    path("pms/devices/<int:pk>/plan/", pms.pms_plan_link, name="pms-plan-link"),
    path("pms/devices/<int:pk>/schedule/", pms.pms_schedule, name="pms-schedule"),
    path("pms/devices/<int:pk>/pack/", pms.pms_pack, name="pms-pack"),
    path("pms/reports/", pms.pms_reports, name="pms-reports"),
    path("pms/reports/<int:pk>/", pms.pms_report, name="pms-report"),
    path("pms/reports/<int:pk>/start/", pms.pms_report_start, name="pms-report-start"),
    path("pms/reports/<int:pk>/details/", pms.pms_report_details, name="pms-report-details"),
    path("pms/reports/<int:pk>/complete/", pms.pms_report_complete, name="pms-report-complete"),
    path("pms/reports/<int:pk>/data-pack/", pms.pms_data_pack, name="pms-data-pack"),
    path(
        "pms/reports/<int:pk>/data-pack.zip",
        pms.pms_data_pack_file,
        {"fmt": "zip"},
        name="pms-data-pack-zip",
    ),
    path(
        "pms/reports/<int:pk>/data-pack.pdf",
        pms.pms_data_pack_file,
        {"fmt": "pdf"},
        name="pms-data-pack-pdf",
    ),
    path("pms/requests/", pms.mhra_requests, name="mhra-requests"),
    path("pms/requests/new/", pms.mhra_request_create, name="mhra-request-create"),
    path("pms/requests/<int:pk>/", pms.mhra_request, name="mhra-request"),
    path("pms/holidays/", pms.bank_holidays, name="bank-holidays"),
    path("pms/holidays/<int:pk>/remove/", pms.bank_holiday_remove, name="bank-holiday-remove"),
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
    path("capas/", capa.capa_list, name="capas"),
    path("capas/new/", capa.capa_create, name="capa-create"),
    path("capas/<int:pk>/", capa.capa_detail, name="capa"),
    path("capas/<int:pk>/edit/", capa.capa_edit, name="capa-edit"),
    path("capas/<int:pk>/analysis/", capa.capa_analysis, name="capa-analysis"),
    path("capas/<int:pk>/sources/", capa.capa_reference, name="capa-reference"),
    path("capas/<int:pk>/actions/", capa.capa_action_add, name="capa-action-add"),
    path(
        "capas/<int:pk>/actions/<int:action>/done/",
        capa.capa_action_done,
        name="capa-action-done",
    ),
    path("capas/<int:pk>/verification/", capa.capa_verify, name="capa-verify"),
    path("capas/<int:pk>/check-plan/", capa.capa_check_plan, name="capa-check-plan"),
    path("capas/<int:pk>/effectiveness/", capa.capa_effectiveness, name="capa-effectiveness"),
    path("capas/<int:pk>/impact/", capa.capa_impact, name="capa-impact"),
    path("capas/<int:pk>/notices/", capa.capa_notice, name="capa-notice"),
    path("capas/<int:pk>/revisions/", capa.capa_revision, name="capa-revision"),
    path("capas/<int:pk>/steps/<slug:step>/", capa.capa_step, name="capa-step"),
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
