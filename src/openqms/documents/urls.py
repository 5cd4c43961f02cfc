from django.urls import path

from openqms.documents import views

app_name = "documents"

# Fixed words come before the patterns they would otherwise match: document numbers look
# like SOP-001 and revision labels like A or 2, so "new", "start" and "edit" never clash.
urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.document_create, name="create"),
    path("<str:number>/", views.document_detail, name="detail"),
    path("<str:number>/start/", views.revision_start, name="start"),
    path("<str:number>/withdraw/", views.document_withdraw, name="withdraw"),
    path("<str:number>/<str:label>/", views.revision_detail, name="revision"),
    path("<str:number>/<str:label>/edit/", views.revision_edit, name="edit"),
    path("<str:number>/<str:label>/<slug:step>/", views.revision_step, name="step"),
]
