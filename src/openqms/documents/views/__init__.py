"""Document-control pages, one module per area (documents and revisions, files, records)."""

from openqms.documents.views.documents import (
    document_create,
    document_detail,
    document_list,
    document_withdraw,
    revision_detail,
    revision_edit,
    revision_start,
    revision_step,
)
from openqms.documents.views.files import (
    attachment_add,
    attachment_download,
    attachment_remove,
    attachment_replace,
    attachment_view,
    revision_compare,
    revision_pdf,
)
from openqms.documents.views.ownership import document_owner, revision_take_over
from openqms.documents.views.records import (
    document_dispose,
    external_check,
    external_list,
    hold_release,
    periodic_review_complete,
    retention,
    review_list,
)
from openqms.documents.views.reviews import (
    comment_add,
    comment_resolve,
    named_reassign,
    revision_submit,
)
from openqms.documents.views.types import type_edit, type_list

__all__ = [
    "attachment_add",
    "attachment_download",
    "attachment_remove",
    "attachment_replace",
    "attachment_view",
    "comment_add",
    "comment_resolve",
    "document_create",
    "document_detail",
    "document_dispose",
    "document_list",
    "document_owner",
    "document_withdraw",
    "external_check",
    "external_list",
    "hold_release",
    "named_reassign",
    "periodic_review_complete",
    "retention",
    "review_list",
    "revision_compare",
    "revision_detail",
    "revision_edit",
    "revision_pdf",
    "revision_start",
    "revision_step",
    "revision_submit",
    "revision_take_over",
    "type_edit",
    "type_list",
]
