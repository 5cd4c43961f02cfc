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

__all__ = [
    "document_create",
    "document_detail",
    "document_list",
    "document_withdraw",
    "revision_detail",
    "revision_edit",
    "revision_start",
    "revision_step",
]
