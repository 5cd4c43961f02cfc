from django.urls import path

from openqms.events.views import fsca

app_name = "events"
urlpatterns: list = [
    # --- complaints (feedback, complaints, reportability decisions)
    # --- vigilance (clock rules, vigilance dashboard, incident reports)
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
    # --- pms (PMS plans, periodic reports, MHRA requests, PMS pack)
    # --- nonconformance
    # --- capa
    # --- across (dashboard, exports, record PDF, links, procedures)
]
