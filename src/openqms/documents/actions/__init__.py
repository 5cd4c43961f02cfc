"""The only writers of document-control records. Each action is the outermost
transaction and writes its audit events inside it; every step of a revision's lifecycle
is declared in one table (LIFECYCLE) and taken through core's one signed-step path."""

from openqms.documents.actions.attachments import (
    attach_file,
    remove_attachment,
    replace_attachment,
)
from openqms.documents.actions.external import (
    check_external_document,
    register_external_document,
    send_currency_check_reminders,
)
from openqms.documents.actions.imports import import_documents
from openqms.documents.actions.lifecycle import (
    LIFECYCLE,
    document_steps,
    effective_revision,
    periodic_review_content,
)
from openqms.documents.actions.ownership import (
    change_owner,
    change_owner_refusal,
    owner_by_username,
    possible_owners,
    take_over_draft,
    take_over_refusal,
)
from openqms.documents.actions.records import (
    disposal_content,
    disposal_refusal,
    dispose_document,
    place_legal_hold,
    release_legal_hold,
    retention_ends,
)
from openqms.documents.actions.reviews import (
    add_review_comment,
    reassign_reviewer,
    resolve_review_comment,
    submit_for_review,
)
from openqms.documents.actions.revisions import (
    StaleDraft,
    complete_periodic_review,
    create_document,
    draft_version,
    edit_draft,
    make_due_revisions_effective,
    start_revision,
    take_step,
    withdraw_document,
)
from openqms.documents.actions.types import update_document_type

__all__ = [
    "LIFECYCLE",
    "StaleDraft",
    "add_review_comment",
    "attach_file",
    "change_owner",
    "change_owner_refusal",
    "check_external_document",
    "complete_periodic_review",
    "create_document",
    "disposal_content",
    "disposal_refusal",
    "dispose_document",
    "document_steps",
    "draft_version",
    "edit_draft",
    "effective_revision",
    "import_documents",
    "make_due_revisions_effective",
    "owner_by_username",
    "periodic_review_content",
    "place_legal_hold",
    "possible_owners",
    "reassign_reviewer",
    "register_external_document",
    "release_legal_hold",
    "remove_attachment",
    "replace_attachment",
    "resolve_review_comment",
    "retention_ends",
    "send_currency_check_reminders",
    "start_revision",
    "submit_for_review",
    "take_over_draft",
    "take_over_refusal",
    "take_step",
    "update_document_type",
    "withdraw_document",
]
