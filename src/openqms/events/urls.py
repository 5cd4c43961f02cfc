from django.urls import path

from openqms.events.views import capa

app_name = "events"
urlpatterns: list = [
    # --- complaints (feedback, complaints, reportability decisions)
    # --- vigilance (clock rules, vigilance dashboard, incident reports)
    # --- fsca
    # --- trends
    # --- pms (PMS plans, periodic reports, MHRA requests, PMS pack)
    # --- nonconformance
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
]
