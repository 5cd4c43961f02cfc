from django.urls import path

from openqms.events.views import complaints

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
    # --- fsca
    # --- trends
    # --- pms (PMS plans, periodic reports, MHRA requests, PMS pack)
    # --- nonconformance
    # --- capa
    # --- across (dashboard, exports, record PDF, links, procedures)
]
