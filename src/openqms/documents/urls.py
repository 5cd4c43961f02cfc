from django.urls import path

from openqms.documents import views

app_name = "documents"

# Fixed words come before the patterns they would otherwise match: document numbers look
# like SOP-001 and revision labels like A or 2, so "new", "reviews", "start", "edit",
# "pdf" and "files" never clash; a revision's step (submit, review…) comes last.
urlpatterns = [
    path("", views.document_list, name="list"),
    path("new/", views.document_create, name="create"),
    path("reviews/", views.review_list, name="reviews"),
    path("external/", views.external_list, name="external"),
    path("external/<int:pk>/check/", views.external_check, name="external-check"),
    path("types/", views.type_list, name="types"),
    path("types/<slug:code>/", views.type_edit, name="type-edit"),
    path("retention/", views.retention, name="retention"),
    path("retention/holds/<int:pk>/release/", views.hold_release, name="hold-release"),
    path("retention/<str:number>/dispose/", views.document_dispose, name="dispose"),
    path("<str:number>/", views.document_detail, name="detail"),
    path("<str:number>/start/", views.revision_start, name="start"),
    path("<str:number>/withdraw/", views.document_withdraw, name="withdraw"),
    path("<str:number>/compare/", views.revision_compare, name="compare"),
    path(
        "<str:number>/periodic-review/",
        views.periodic_review_complete,
        name="periodic-review",
    ),
    path("<str:number>/<str:label>/", views.revision_detail, name="revision"),
    path("<str:number>/<str:label>/edit/", views.revision_edit, name="edit"),
    path("<str:number>/<str:label>/pdf/", views.revision_pdf, name="pdf"),
    path("<str:number>/<str:label>/files/", views.attachment_add, name="attach"),
    path("<str:number>/<str:label>/files/<str:name>", views.attachment_download, name="file"),
    path(
        "<str:number>/<str:label>/files/<str:name>/remove/",
        views.attachment_remove,
        name="detach",
    ),
    path("<str:number>/<str:label>/submit/", views.revision_submit, name="submit"),
    path("<str:number>/<str:label>/comments/", views.comment_add, name="comment"),
    path(
        "<str:number>/<str:label>/comments/<int:pk>/resolve/",
        views.comment_resolve,
        name="comment-resolve",
    ),
    path(
        "<str:number>/<str:label>/named/<int:pk>/reassign/",
        views.named_reassign,
        name="reassign",
    ),
    path("<str:number>/<str:label>/<slug:step>/", views.revision_step, name="step"),
]
