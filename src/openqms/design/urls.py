from django.urls import path

from openqms.design.views import baselines as baseline_pages
from openqms.design.views import config as config_views
from openqms.design.views import evidence as evidence_views
from openqms.design.views import imports as imports_views
from openqms.design.views import pages
from openqms.design.views import reviews as review_pages
from openqms.design.views import trace as trace_views
from openqms.design.views.risk import analysis as risk_analysis
from openqms.design.views.risk import files as risk_files
from openqms.design.views.risk import fmea as risk_fmea
from openqms.design.views.risk import reviews as risk_reviews
from openqms.design.views.software import pages as sw
from openqms.design.views.software import posts as sw_posts

app_name = "design"
urlpatterns: list = [
    # --- pages (projects, items, links)
    path("", pages.project_list, name="projects"),
    path("projects/new/", pages.project_create, name="project-create"),
    path("projects/<int:pk>/", pages.project_detail, name="project"),
    path("projects/<int:pk>/items/", pages.item_list, name="items"),
    path("projects/<int:pk>/items/new/", pages.item_create, name="item-create"),
    path("projects/<int:pk>/suspect/", pages.suspect_list, name="suspect"),
    path("items/<int:pk>/", pages.item_detail, name="item"),
    path("items/<int:pk>/edit/", pages.item_edit, name="item-edit"),
    path("items/<int:pk>/retire/", pages.item_retire, name="item-retire"),
    path("items/<int:pk>/links/", pages.link_add, name="link-add"),
    path("links/<int:pk>/remove/", pages.link_remove, name="link-remove"),
    path("links/<int:pk>/clear/", pages.link_clear, name="link-clear"),
    # --- trace (gaps, matrix, exports)
    path("projects/<int:pk>/trace/", trace_views.trace_page, name="trace"),
    path("projects/<int:pk>/trace/matrix.<str:fmt>", trace_views.trace_export, name="trace-export"),
    # --- imports
    path("projects/<int:pk>/import/", imports_views.import_page, name="import"),
    path("projects/<int:pk>/reqif/", imports_views.reqif_download, name="reqif"),
    # --- evidence
    path("projects/<int:pk>/evidence/", evidence_views.run_list, name="evidence_runs"),
    path("evidence/runs/<int:pk>/", evidence_views.run_detail, name="evidence_run"),
    # --- baselines
    path("projects/<int:pk>/baselines/", baseline_pages.baseline_list, name="baselines"),
    path(
        "projects/<int:pk>/baselines/new/", baseline_pages.baseline_create, name="baseline-create"
    ),
    path("baselines/<int:pk>/", baseline_pages.baseline_detail, name="baseline"),
    path("baselines/<int:pk>/sign/", baseline_pages.baseline_sign, name="baseline-sign"),
    path("baselines/<int:pk>/refresh/", baseline_pages.baseline_refresh, name="baseline-refresh"),
    path(
        "baselines/<int:pk>/compare/",
        baseline_pages.baseline_compare_pick,
        name="baseline-compare-pick",
    ),
    path(
        "baselines/<int:pk>/compare/<int:other>/",
        baseline_pages.baseline_compare,
        name="baseline-compare",
    ),
    path("baselines/<int:pk>/dhf.<str:fmt>", baseline_pages.baseline_dhf, name="baseline-dhf"),
    path("projects/<int:pk>/reviews/", review_pages.review_list, name="reviews"),
    path("projects/<int:pk>/phases/new/", review_pages.phase_create, name="phase-create"),
    path("phases/<int:pk>/close/", review_pages.phase_close, name="phase-close"),
    path("projects/<int:pk>/reviews/new/", review_pages.review_create, name="review-create"),
    path("projects/<int:pk>/changes/new/", review_pages.change_create, name="change-create"),
    path("reviews/<int:pk>/", review_pages.review_detail, name="review"),
    path("reviews/<int:pk>/submit/", review_pages.review_submit, name="review-submit"),
    path("reviews/<int:pk>/sign/", review_pages.review_sign, name="review-sign"),
    path("changes/<int:pk>/", review_pages.change_detail, name="change"),
    path("changes/<int:pk>/approve/", review_pages.change_approve, name="change-approve"),
    path("changes/<int:pk>/done/", review_pages.change_done, name="change-done"),
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
    path("risk/hazards/<int:pk>/edit/", risk_analysis.hazard_edit, name="risk-hazard-edit"),
    path("risk/hazards/<int:pk>/retire/", risk_analysis.hazard_retire, name="risk-hazard-retire"),
    path(
        "risk/situations/<int:pk>/edit/", risk_analysis.situation_edit, name="risk-situation-edit"
    ),
    path(
        "risk/situations/<int:pk>/retire/",
        risk_analysis.situation_retire,
        name="risk-situation-retire",
    ),
    path("risk/controls/<int:pk>/edit/", risk_analysis.control_edit, name="risk-control-edit"),
    path(
        "risk/controls/<int:pk>/retire/", risk_analysis.control_retire, name="risk-control-retire"
    ),
    path("risk/reviews/<int:pk>/", risk_reviews.review_detail, name="risk-review"),
    path("risk/reviews/<int:pk>/close/", risk_reviews.review_close, name="risk-review-close"),
    # --- software
    path("software/", sw.system_list, name="software-systems"),
    path("software/new/", sw_posts.system_create, name="software-system-create"),
    path("software/<int:pk>/", sw.system_detail, name="software-system"),
    path("software/<int:pk>/edit/", sw_posts.system_edit, name="software-system-edit"),
    path("software/<int:pk>/evidence/", sw_posts.evidence, name="software-evidence"),
    path("software/<int:pk>/items/", sw_posts.item_create, name="software-item-create"),
    path("software/<int:pk>/problems/", sw.problem_list, name="problem-reports"),
    path("software/<int:pk>/problems/new/", sw_posts.problem_create, name="problem-create"),
    path("software/<int:pk>/soup/", sw.soup_list, name="soup-list"),
    path("software/<int:pk>/sboms/", sw.sbom_list, name="software-sboms"),
    path("software/<int:pk>/sboms/upload/", sw_posts.sbom_upload, name="sbom-upload"),
    path("problems/<int:pk>/", sw.problem_detail, name="problem-report"),
    path("problems/<int:pk>/link/", sw_posts.problem_link, name="problem-link"),
    path("problems/<int:pk>/<slug:step>/", sw_posts.problem_step, name="problem-step"),
    path("soup/<int:pk>/", sw.soup_detail, name="soup-item"),
    path("soup/<int:pk>/requirements/", sw_posts.soup_edit, name="soup-edit"),
    path("soup/<int:pk>/risks/", sw_posts.soup_risk, name="soup-risk"),
    path("soup/<int:pk>/review/", sw_posts.soup_review, name="soup-review"),
    path("sboms/<int:pk>/", sw.sbom_detail, name="sbom-import"),
    # --- config (item types, link rules, gap rules)
    path("config/", config_views.config_page, name="config"),
    path("config/types/", config_views.type_add, name="config-type-add"),
    path("config/types/<int:pk>/", config_views.type_edit, name="config-type"),
    path("config/types/<int:pk>/retire/", config_views.type_retire, name="config-type-retire"),
    path("config/link-rules/", config_views.link_rule_add, name="config-link-rule-add"),
    path(
        "config/link-rules/<int:pk>/retire/",
        config_views.link_rule_retire,
        name="config-link-rule-retire",
    ),
    path("config/gap-rules/", config_views.gap_rule_add, name="config-gap-rule-add"),
    path("config/gap-rules/<int:pk>/", config_views.gap_rule_edit, name="config-gap-rule"),
    path(
        "config/gap-rules/<int:pk>/retire/",
        config_views.gap_rule_retire,
        name="config-gap-rule-retire",
    ),
]
