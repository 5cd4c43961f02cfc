from django.urls import path

from openqms.design.views import pages

# isort: split
# --- software
from openqms.design.views.software import pages as sw
from openqms.design.views.software import posts as sw_posts

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
]
