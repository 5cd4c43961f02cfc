"""Who writes a draft and who owns a document: QA takes over a draft whose author is
away or has left, and a document's owner can be handed on (ISO 13485 4.2.4, 5.5.1:
responsibilities defined and kept current). Both need a reason and are audited; the
refusals are asked by the actions and by the pages alike."""

from __future__ import annotations

from django.db.models import QuerySet

from openqms.core import audit
from openqms.core.access import has_permission
from openqms.core.errors import (
    DomainError,
    InvalidInput,
    PermissionRefused,
    TransitionNotAllowed,
)
from openqms.core.models import Role, RoleAssignment, User
from openqms.core.registry import permissions
from openqms.core.text import clean_text
from openqms.documents.models import Document, Revision, RevisionState
from openqms.documents.registry import EDIT, READ, READ_ALL, REASSIGN


def take_over_refusal(revision: Revision, user: User) -> DomainError | None:
    for code in (REASSIGN, EDIT):
        if not has_permission(user, code):
            return PermissionRefused(f"You need the permission “{permissions.label(code)}”.")
    if revision.state != RevisionState.DRAFT:
        return TransitionNotAllowed(
            "Only a draft can be taken over; return the revision to draft first."
        )
    if revision.author_id == user.pk:
        return TransitionNotAllowed("You are already the author of this draft.")
    return None


def change_owner_refusal(document: Document, user: User) -> DomainError | None:
    if document.owner_id != user.pk and not has_permission(user, REASSIGN):
        return PermissionRefused(
            "Only the document's owner or document control (QA) can change its owner."
        )
    if document.disposed_at is not None:
        return TransitionNotAllowed(f"{document.number} was disposed of.")
    return None


def possible_owners() -> QuerySet[User]:
    """Active people who can read documents: whom a document can be handed to (two
    queries, however many people)."""
    roles = [
        pk
        for pk, codes in Role.objects.values_list("pk", "permissions")
        if READ in codes or READ_ALL in codes
    ]
    grants = RoleAssignment.objects.current().filter(role__in=roles).values("user")
    return User.objects.filter(is_active=True, pk__in=grants).order_by("full_name")


@audit.writing()
def take_over_draft(*, actor: User, revision: Revision, reason: str) -> Revision:
    """`actor` becomes the draft's author (the previous author no longer edits it)."""
    reason = clean_text(reason, "reason", limit=2000)
    revision = Revision.objects.select_for_update().select_related("author").get(pk=revision.pk)
    if error := take_over_refusal(revision, actor):
        raise error
    before = revision.author
    revision.author = actor
    revision.save(update_fields=["author"])
    audit.record(
        actor=actor,
        action="documents.revision.taken_over",
        obj=revision,
        changes={"author": [before.username, actor.username]},
        reason=reason,
    )
    return revision


@audit.writing()
def change_owner(*, actor: User, document: Document, owner: User, reason: str) -> Document:
    """Hand the document to another owner (its owner, or QA, may)."""
    reason = clean_text(reason, "reason", limit=2000)
    document = Document.objects.select_for_update().select_related("owner").get(pk=document.pk)
    if error := change_owner_refusal(document, actor):
        raise error
    if not possible_owners().filter(pk=owner.pk).exists():
        raise InvalidInput(
            f"{owner.full_name} cannot own documents: they are deactivated or cannot read "
            "documents.",
            fields={"owner": "Cannot own documents."},
        )
    if owner.pk == document.owner_id:
        raise InvalidInput(
            f"{owner.full_name} already owns {document.number}.", fields={"owner": "No change."}
        )
    before = document.owner
    document.owner = owner
    document.save(update_fields=["owner"])
    audit.record(
        actor=actor,
        action="documents.document.owner_changed",
        obj=document,
        changes={"owner": [before.username, owner.username]},
        reason=reason,
    )
    return document


def owner_by_username(username: str) -> User:
    """The person named as the new owner (API); unknown names are invalid input."""
    owner = User.objects.filter(username=username).first()
    if owner is None:
        raise InvalidInput(f"There is nobody called “{username}”.", fields={"owner": "Unknown."})
    return owner
