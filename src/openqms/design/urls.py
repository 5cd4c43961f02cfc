from django.urls import path

from openqms.design.views import imports as imports_views  # --- imports
from openqms.design.views import pages

app_name = "design"
urlpatterns: list = [
    # --- pages (projects, items, links)
    path("", pages.project_list, name="projects"),
    path("projects/<int:pk>/", pages.project_detail, name="project"),
    path("items/<int:pk>/", pages.item_detail, name="item"),
    # --- trace (gaps, matrix, exports)
    # --- imports
    path("projects/<int:pk>/import/", imports_views.import_page, name="import"),
    path("projects/<int:pk>/reqif/", imports_views.reqif_download, name="reqif"),
    # --- evidence
    # --- baselines
    # --- risk
    # --- software
]
