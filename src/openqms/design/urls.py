from django.urls import path

from openqms.design.views import evidence as evidence_views
from openqms.design.views import pages
from openqms.design.views import trace as trace_views

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
    # --- risk
    # --- software
]
