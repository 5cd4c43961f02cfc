from django.urls import path

from openqms.design.views import evidence as evidence_views
from openqms.design.views import pages
from openqms.design.views import trace as trace_views
from openqms.design.views import baselines as baseline_pages  # baselines
from openqms.design.views import pages
from openqms.design.views import reviews as review_pages  # baselines

app_name = "design"
urlpatterns: list = [
    # --- pages (projects, items, links)
    path("", pages.project_list, name="projects"),
    path("projects/<int:pk>/", pages.project_detail, name="project"),
    path("items/<int:pk>/", pages.item_detail, name="item"),
    # --- trace (gaps, matrix, exports)
    path("projects/<int:pk>/trace/", trace_views.trace_page, name="trace"),
    path("projects/<int:pk>/trace/matrix.<str:fmt>", trace_views.trace_export, name="trace-export"),
    # --- imports
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
    # --- software
]
