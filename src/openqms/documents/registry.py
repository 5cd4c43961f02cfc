"""Permission codes and audit event types of document control (ISO 13485 4.2.4)."""

from openqms.core.registry import event_types, permissions

READ = permissions.register("documents.document:read", "Read effective documents")
READ_ALL = permissions.register(
    "documents.document:read_all", "Read every revision, drafts and obsolete ones included"
)
CREATE = permissions.register("documents.document:create", "Create documents")
EDIT = permissions.register("documents.revision:edit", "Write and submit drafts")
REVIEW = permissions.register("documents.revision:review", "Review revisions")
APPROVE = permissions.register("documents.revision:approve", "Approve revisions")
WITHDRAW = permissions.register("documents.document:withdraw", "Withdraw documents")
TYPES = permissions.register("documents.type:manage", "Configure document types")
RECORDS = permissions.register(
    "documents.record:dispose", "Place legal holds and sign dispositions of records"
)
EXTERNAL = permissions.register(
    "documents.external:manage", "Keep the register of external documents"
)
# Document control (QA): take over someone else's draft (the author is away or has
# left) and change any document's owner; both with a reason, in the audit trail.
REASSIGN = permissions.register(
    "documents.document:reassign", "Take over others' drafts and change document owners"
)
REASSIGN_SIGNERS = permissions.register(
    "documents.review:reassign", "Reassign the named reviewers and approvers of a revision"
)

for _code, _label in [
    ("documents.document.created", "Document created"),
    ("documents.document.withdrawn", "Document withdrawn"),
    ("documents.revision.drafted", "Revision drafted"),
    ("documents.revision.edited", "Draft edited"),
    ("documents.revision.submitted", "Revision submitted for review"),
    ("documents.revision.reviewed", "Revision reviewed"),
    ("documents.revision.rejected", "Revision returned to its author"),
    ("documents.revision.approved", "Revision approved"),
    ("documents.revision.effective", "Revision became effective"),
    ("documents.revision.imported", "Legacy revision imported"),
    ("documents.revision.superseded", "Revision superseded"),
    ("documents.revision.obsoleted", "Revision made obsolete"),
    ("documents.periodic_review.completed", "Periodic review completed"),
    ("documents.external.added", "External document registered"),
    ("documents.attachment.added", "File attached to a draft"),
    ("documents.type.updated", "Document type changed"),
    ("documents.hold.placed", "Legal hold placed"),
    ("documents.hold.released", "Legal hold released"),
    ("documents.document.disposed", "Document disposed of after its retention"),
    ("documents.attachment.removed", "File removed from a draft"),
    ("documents.external.checked", "External document's currency checked"),
    ("documents.external.reminded", "Reminder sent: an external document's check is due"),
    ("documents.attachment.carried_forward", "File carried forward from the previous revision"),
    ("documents.attachment.replaced", "File of a draft replaced"),
    ("documents.revision.taken_over", "Draft taken over by another author"),
    ("documents.document.owner_changed", "Document owner changed"),
    ("documents.revision.approval_signed", "Approval signed; other named approvers to sign"),
    ("documents.review.reassigned", "Named reviewer or approver replaced"),
    ("documents.comment.added", "Review comment made"),
    ("documents.comment.resolved", "Review comment resolved by the author"),
]:
    event_types.register(_code, _label)
