import re

from django.urls import path, register_converter

from openqms.documents import views


class DocumentNumber:
    """Any document number, even one from before numbers were checked (documents.numbering):
    "/" and "%" travel escaped, so an odd number reverses and resolves instead of
    answering 500 on every list or matrix that links to it."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return re.sub("%(25|2F)", lambda m: chr(int(m.group(1), 16)), value, flags=re.I)

    def to_url(self, value: str) -> str:
        return value.replace("%", "%25").replace("/", "%2F")


register_converter(DocumentNumber, "docnumber")

app_name = "documents"

# Fixed words come before the patterns they would otherwise match: document numbers look
# like SOP-001 and revision labels like A or 2, so "new", "reviews", "start", "owner", "edit",
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
    path("retention/<docnumber:number>/dispose/", views.document_dispose, name="dispose"),
    path("<docnumber:number>/", views.document_detail, name="detail"),
    path("<docnumber:number>/start/", views.revision_start, name="start"),
    path("<docnumber:number>/withdraw/", views.document_withdraw, name="withdraw"),
    path("<docnumber:number>/owner/", views.document_owner, name="owner"),
    path("<docnumber:number>/compare/", views.revision_compare, name="compare"),
    path(
        "<docnumber:number>/periodic-review/",
        views.periodic_review_complete,
        name="periodic-review",
    ),
    path("<docnumber:number>/<str:label>/", views.revision_detail, name="revision"),
    path("<docnumber:number>/<str:label>/edit/", views.revision_edit, name="edit"),
    path("<docnumber:number>/<str:label>/pdf/", views.revision_pdf, name="pdf"),
    path("<docnumber:number>/<str:label>/files/", views.attachment_add, name="attach"),
    path("<docnumber:number>/<str:label>/files/<str:name>", views.attachment_download, name="file"),
    path(
        "<docnumber:number>/<str:label>/files/<str:name>/view/",
        views.attachment_view,
        name="file-view",
    ),
    path(
        "<docnumber:number>/<str:label>/files/<str:name>/remove/",
        views.attachment_remove,
        name="detach",
    ),
    path(
        "<docnumber:number>/<str:label>/files/<str:name>/replace/",
        views.attachment_replace,
        name="replace-file",
    ),
    path("<docnumber:number>/<str:label>/take-over/", views.revision_take_over, name="take-over"),
    path("<docnumber:number>/<str:label>/submit/", views.revision_submit, name="submit"),
    path("<docnumber:number>/<str:label>/comments/", views.comment_add, name="comment"),
    path(
        "<docnumber:number>/<str:label>/comments/<int:pk>/resolve/",
        views.comment_resolve,
        name="comment-resolve",
    ),
    path(
        "<docnumber:number>/<str:label>/named/<int:pk>/reassign/",
        views.named_reassign,
        name="reassign",
    ),
    path("<docnumber:number>/<str:label>/<slug:step>/", views.revision_step, name="step"),
]
