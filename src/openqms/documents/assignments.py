"""Named reviewers and approvers: who may be named, and whose signature a revision still
waits for (ISO 13485 4.2.4 a: documents are reviewed and approved before issue).

When a revision is submitted its author names the reviewers and the approvers, with a due
date. The document type's approval mode says how they sign: all of them in any order
(the default), any one of them, or all of them in the order named. Only the named
people sign; approval waits for the reviews the mode requires, and for every review
comment to be resolved.

A revision already in review when this release was installed has nobody named (its
submission named no one): until it is returned to draft, the rule before naming holds
for it (`unnamed`): anyone holding the permission reviews or approves it, one approval
completes it, and a type that needs review needs a review first. Every submission
since names at least one approver, so only such a revision has no live named row while
in review (`openqms verify` finds named rows deleted since).

These are read-only answers: the lifecycle table's guards ask them
(documents.actions.lifecycle), and so do the pages, the API and My tasks.
"""

from __future__ import annotations

from collections.abc import Iterable

from openqms.core.models import Role, RoleAssignment, User
from openqms.documents.models import (
    ApprovalMode,
    ReviewAssignment,
    ReviewComment,
    ReviewRole,
    Revision,
    RevisionState,
)

R = ReviewRole

# Set on revisions listed together (My tasks): their live assignments and the number of
# open comments, loaded in one query each, read here instead of one query per revision.
_ASSIGNED = "_openqms_assignments"
_OPEN_COMMENTS = "_openqms_open_comments"


def people_who_may(code: str) -> list[User]:
    """Active people holding permission `code` through a current role: who can be named."""
    roles = [r.pk for r in Role.objects.all() if code in r.permissions]
    grants = RoleAssignment.objects.current().filter(role__in=roles)
    return list(
        User.objects.active().filter(role_assignments__in=grants).distinct().order_by("full_name")
    )


def live(revision: Revision) -> list[ReviewAssignment]:
    """The revision's current named people (ended rows are kept but no longer count)."""
    preloaded = getattr(revision, _ASSIGNED, None)
    if preloaded is not None:
        return preloaded
    return list(
        revision.review_assignments.filter(ended_at__isnull=True)
        .select_related("person")
        .order_by("-role", "position", "pk")  # reviewers, then approvers
    )


def open_comments(revision: Revision) -> int:
    preloaded = getattr(revision, _OPEN_COMMENTS, None)
    if preloaded is not None:
        return preloaded
    return revision.review_comments.filter(resolved_at__isnull=True).count()


def preload(revisions: list[Revision]) -> None:
    """Two queries for a whole list of revisions (My tasks keeps a constant count)."""
    by_revision: dict[int, list[ReviewAssignment]] = {r.pk: [] for r in revisions}
    rows = ReviewAssignment.objects.filter(revision__in=list(by_revision), ended_at__isnull=True)
    for a in rows.select_related("person").order_by("-role", "position", "pk"):
        by_revision[a.revision_id].append(a)
    counts: dict[int, int] = {}
    comments = ReviewComment.objects.filter(revision__in=list(by_revision), resolved_at=None)
    for revision_id in comments.values_list("revision_id", flat=True):
        counts[revision_id] = counts.get(revision_id, 0) + 1
    for revision in revisions:
        setattr(revision, _ASSIGNED, by_revision[revision.pk])
        setattr(revision, _OPEN_COMMENTS, counts.get(revision.pk, 0))


def named(revision: Revision, role: str) -> list[ReviewAssignment]:
    return [a for a in live(revision) if a.role == role]


def _names(people: Iterable[ReviewAssignment]) -> str:
    return ", ".join(a.person.full_name for a in people)


def _mode(revision: Revision) -> str:
    return revision.document.doc_type.approval_mode


def waiting_before(
    revision: Revision, mine: ReviewAssignment, signed: set[int]
) -> list[ReviewAssignment]:
    """In sequence: the named people before `mine` in its role who have not signed."""
    if _mode(revision) != ApprovalMode.SEQUENCE:
        return []
    return [
        a
        for a in named(revision, mine.role)
        if a.position < mine.position and a.person_id not in signed
    ]


def unnamed(revision: Revision) -> bool:
    """In review from before naming existed (nobody named): the earlier rule applies."""
    return revision.state == RevisionState.IN_REVIEW and not live(revision)


def _mine(revision: Revision, actor: User, role: str) -> ReviewAssignment | None:
    return next((a for a in named(revision, role) if a.person_id == actor.pk), None)


def review_refusal(revision: Revision, actor: User, reviewed: set[int]) -> str | None:
    """Why `actor` may not sign the review now, or None. `reviewed`: live reviewers."""
    if unnamed(revision):
        return None  # the permission, checked by the lifecycle table, is enough
    mine = _mine(revision, actor, R.REVIEWER)
    if mine is None:
        return (
            f"Only the people named as reviewers of {revision} review it, and you are not "
            "one of them."
        )
    if waiting := waiting_before(revision, mine, reviewed):
        return f"Reviews are signed in the order named: {_names(waiting)} reviews first."
    return None


def reviews_missing(revision: Revision, reviewed: set[int]) -> list[ReviewAssignment]:
    """The named reviewers whose review approval still waits for (the mode decides). A
    type that needs no review waits for none: reviewers named on it advise."""
    if not revision.document.doc_type.needs_review:
        return []
    reviewers = named(revision, R.REVIEWER)
    unsigned = [a for a in reviewers if a.person_id not in reviewed]
    if _mode(revision) == ApprovalMode.ANY and len(unsigned) < len(reviewers):
        return []
    return unsigned


def approval_refusal(
    revision: Revision, actor: User, reviewed: set[int], approved: set[int]
) -> str | None:
    """Why `actor` may not sign the approval now, or None (after segregation of duties,
    which the lifecycle checks first)."""
    if unnamed(revision):
        if revision.document.doc_type.needs_review and not reviewed:
            return "It needs a reviewer's signature before approval."
        return None
    mine = _mine(revision, actor, R.APPROVER)
    if mine is None:
        return (
            f"Only the people named as approvers of {revision} approve it, and you are not "
            "one of them."
        )
    if actor.pk in approved:
        return f"You have already approved revision {revision.label}."
    if missing := reviews_missing(revision, reviewed):
        return f"It needs a reviewer's signature before approval: {_names(missing)} to review."
    if count := open_comments(revision):
        return (
            f"{count} review comment(s) still open: the author resolves every comment "
            "before the revision is approved."
        )
    if waiting := waiting_before(revision, mine, approved):
        return f"Approvals are signed in the order named: {_names(waiting)} approves first."
    return None


def completes_approval(revision: Revision, actor: User, approved: set[int]) -> bool:
    """Whether `actor`'s approval is the last one the mode requires."""
    if _mode(revision) == ApprovalMode.ANY:
        return True
    others = {a.person_id for a in named(revision, R.APPROVER)} - {actor.pk}
    return others <= approved


def approval_step(revision: Revision, actor: User, approved: set[int]) -> str:
    """The one rule for which step an approver's signature takes: "approve" when it is
    the last approval the mode requires (the revision leaves review), "sign_approval"
    otherwise. The signing action asks it again under the lock (actions.reviews.approve),
    so two approvers signing at once never get a spurious refusal; pages and My tasks
    ask it to show the right button."""
    return "approve" if completes_approval(revision, actor, approved) else "sign_approval"
