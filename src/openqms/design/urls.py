from django.urls import path

from openqms.design.views import pages

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
    # --- imports
    # --- evidence
    # --- baselines
    # --- risk
    # --- software
]
