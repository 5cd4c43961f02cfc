"""Who may see which documents and revisions (4.2.4 e, f: the current revision at the
point of use; obsolete ones kept but out of ordinary people's way)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from openqms.core.access import has_permission
from openqms.core.errors import NotFound
from openqms.core.models import User
from openqms.documents.models import (
    OPEN_STATES,
    Document,
    ReviewAssignment,
    ReviewComment,
    Revision,
    RevisionState,
)
from openqms.documents.registry import APPROVE, READ, READ_ALL, REVIEW


def require_reader(user: User) -> None:
    """Someone with no document permission at all meets a 404, as everywhere else."""
    if not (has_permission(user, READ) or has_permission(user, READ_ALL)):
        raise NotFound()


def visible_revisions(user: User) -> QuerySet[Revision]:
    """Everything for QA and auditors; otherwise the effective revisions, the open ones a
    person authors, and those in review for people who review or approve."""
    revisions = Revision.objects.select_related("document", "document__doc_type", "author")
    if has_permission(user, READ_ALL):
        return revisions
    if not has_permission(user, READ):
        return revisions.none()
    revisions = revisions.filter(document__disposed_at__isnull=True)
    seen = Q(state=RevisionState.EFFECTIVE) | Q(author=user, state__in=OPEN_STATES)
    if has_permission(user, REVIEW) or has_permission(user, APPROVE):
        seen |= Q(state=RevisionState.IN_REVIEW)
    return revisions.filter(seen)


def visible_documents(user: User) -> QuerySet[Document]:
    """The documents of `visible_revisions`: those in force (read off the document row),
    and the few whose open revisions the person authors or reviews."""
    documents = Document.objects.select_related("doc_type", "owner")
    if has_permission(user, READ_ALL):
        return documents
    if not has_permission(user, READ):
        return documents.none()
    open_ones = Q(author=user, state__in=OPEN_STATES)
    if has_permission(user, REVIEW) or has_permission(user, APPROVE):
        open_ones |= Q(state=RevisionState.IN_REVIEW)
    # One small uncorrelated semi-join (IN) for the open revisions; no DISTINCT, so
    # counting and paging stay cheap however many revisions there are.
    working_on = Revision.objects.filter(open_ones).values("document_id")
    return documents.filter(disposed_at__isnull=True).filter(
        Q(in_force=True) | Q(pk__in=working_on)
    )


def get_document_for_user(user: User, number: str) -> Document:
    try:
        return visible_documents(user).get(number=number)
    except Document.DoesNotExist:
        raise NotFound() from None


def get_revision_for_user(user: User, number: str, label: str) -> Revision:
    try:
        return visible_revisions(user).get(document__number=number, label=label)
    except Revision.DoesNotExist:
        raise NotFound() from None


def get_comment(revision: Revision, pk: int) -> ReviewComment:
    """A review comment of a revision the user already reached through this module."""
    try:
        return revision.review_comments.get(pk=pk)
    except ReviewComment.DoesNotExist:
        raise NotFound() from None


def get_assignment(revision: Revision, pk: int) -> ReviewAssignment:
    """A named reviewer or approver of a revision the user already reached."""
    try:
        return revision.review_assignments.get(pk=pk, ended_at__isnull=True)
    except ReviewAssignment.DoesNotExist:
        raise NotFound() from None
