from django.urls import path

from openqms.design.views import pages

# --- risk
from openqms.design.views.risk import analysis as risk_analysis
from openqms.design.views.risk import files as risk_files
from openqms.design.views.risk import fmea as risk_fmea
from openqms.design.views.risk import reviews as risk_reviews

app_name = "design"
urlpatterns: list = [
    # --- pages (projects, items, links)
    path("", pages.project_list, name="projects"),
    path("projects/<int:pk>/", pages.project_detail, name="project"),
    path("items/<int:pk>/", pages.item_detail, name="item"),
    # --- trace (gaps, matrix, exports)
    # --- imports
    # --- evidence
    # --- baselines
    # --- risk
    path("risk/", risk_files.file_list, name="risk-files"),
    path("risk/new/", risk_files.file_create, name="risk-file-create"),
    path("risk/<int:pk>/", risk_files.file_detail, name="risk-file"),
    path("risk/<int:pk>/edit/", risk_files.file_edit, name="risk-file-edit"),
    path("risk/<int:pk>/matrix/", risk_files.matrix_cell, name="risk-matrix-cell"),
    path("risk/<int:pk>/levels/", risk_files.level, name="risk-level"),
    path("risk/<int:pk>/sign/", risk_files.report_sign, name="risk-report-sign"),
    path("risk/<int:pk>/hazards/", risk_analysis.hazard_list, name="risk-hazards"),
    path("risk/<int:pk>/hazards/new/", risk_analysis.hazard_add, name="risk-hazard-add"),
    path("risk/<int:pk>/fmea/", risk_fmea.fmea, name="risk-fmea"),
    path("risk/<int:pk>/fmea.csv", risk_fmea.fmea_csv, name="risk-fmea-csv"),
    path("risk/<int:pk>/reviews/", risk_reviews.review_list, name="risk-reviews"),
    path("risk/hazards/<int:pk>/", risk_analysis.hazard_detail, name="risk-hazard"),
    path(
        "risk/hazards/<int:pk>/situations/",
        risk_analysis.situation_add,
        name="risk-situation-add",
    ),
    path(
        "risk/situations/<int:pk>/residual/",
        risk_analysis.situation_residual,
        name="risk-situation-residual",
    ),
    path(
        "risk/situations/<int:pk>/evaluate/",
        risk_analysis.situation_evaluate,
        name="risk-situation-evaluate",
    ),
    path("risk/situations/<int:pk>/controls/", risk_analysis.control_add, name="risk-control-add"),
    path("risk/reviews/<int:pk>/", risk_reviews.review_detail, name="risk-review"),
    path("risk/reviews/<int:pk>/close/", risk_reviews.review_close, name="risk-review-close"),
    # --- software
]
