"""Submitting a revision to named reviewers and approvers, replacing one of them, and the
review comments (ISO 13485 4.2.4 a). The only writers of ReviewAssignment and
ReviewComment rows; each action is one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from openqms.core import audit
from openqms.core.access import has_permission, require
from openqms.core.errors import DomainError, InvalidInput, TransitionNotAllowed
from openqms.core.models import User
from openqms.core.signatures import Credentials, signing_refusal
from openqms.core.signing import perform
from openqms.core.text import clean_text
from openqms.core.workflow import Transition
from openqms.documents import assignments, notify
from openqms.documents.actions.lifecycle import LIFECYCLE, live_signers
from openqms.documents.models import (
    ReviewAssignment,
    ReviewComment,
    ReviewRole,
    Revision,
    RevisionState,
)
from openqms.documents.registry import APPROVE, REASSIGN_SIGNERS, REVIEW

R = ReviewRole
_NEEDS: dict[str, tuple[str, str]] = {
    R.REVIEWER: (REVIEW, "review"),
    R.APPROVER: (APPROVE, "approve"),
}
_MEANING = {R.REVIEWER: "reviewed", R.APPROVER: "approved"}


def _refuse(message: str, field: str, problem: str) -> None:
    raise InvalidInput(message, fields={field: problem})


def _check_person(revision: Revision, person: User, role: str) -> None:
    code, verb = _NEEDS[role]
    field = f"{role}s"
    if person.pk == revision.author_id:
        message = f"The author cannot {verb} their own revision: name someone else."
        _refuse(message, field, "Author.")
    if not person.is_active or not has_permission(person, code):
        _refuse(
            f"{person.full_name} may not {verb} documents: name someone with that permission.",
            field,
            "Not permitted.",
        )


def _check_gates(revision: Revision, reviewers: Sequence[User], approvers: Sequence[User]) -> None:
    """Refuse to name people a signing gate (the training gate) would stop from signing:
    the revision would wait on them, and they could do nothing about it."""
    stopped = [
        (person, role, reason)
        for role, people in ((R.REVIEWER, reviewers), (R.APPROVER, approvers))
        for person in people
        if (reason := signing_refusal(signer=person, obj=revision, meaning=_MEANING[role]))
    ]
    if not stopped:
        return
    who = "; ".join(f"{p.full_name} (as {role}): “{reason}”" for p, role, reason in stopped)
    fields = {f"{role}s": "Could not sign yet." for _, role, _ in stopped}
    raise InvalidInput(
        "Some of the people named could not sign this revision yet, so it would wait on "
        f"them. {who} Name someone else, or have QA put it right first (training is "
        "assigned under Training → Assign training) and submit again.",
        fields=fields,
    )


def _check_names(
    revision: Revision,
    reviewers: Sequence[User],
    approvers: Sequence[User],
    due_date: dt.date | None,
) -> dt.date:
    doc_type = revision.document.doc_type
    if doc_type.needs_review and not reviewers:
        _refuse(
            f"Name at least one reviewer: a {doc_type.name} is reviewed before approval.",
            "reviewers",
            "Required.",
        )
    if not approvers:
        _refuse("Name at least one approver.", "approvers", "Required.")
    for role, people in ((R.REVIEWER, reviewers), (R.APPROVER, approvers)):
        if len({p.pk for p in people}) != len(people):
            _refuse(f"Name each {role} once.", f"{role}s", "Named twice.")
        for person in people:
            _check_person(revision, person, role)
    _check_gates(revision, reviewers, approvers)
    both = {p.pk for p in reviewers} & {p.pk for p in approvers}
    if both and doc_type.reviewer_cannot_approve:
        name = next(p.full_name for p in reviewers if p.pk in both)
        _refuse(
            f"{name} is named as reviewer and approver: for a {doc_type.name} the reviewer "
            "cannot also approve.",
            "approvers",
            "Also a reviewer.",
        )
    if due_date is None:
        _refuse("Give the date the review and approval are due by.", "due_date", "Required.")
    assert due_date is not None
    if due_date < timezone.localdate():
        _refuse("The due date cannot be in the past.", "due_date", "In the past.")
    return due_date


def submit_for_review(
    *,
    actor: User,
    revision: Revision,
    reviewers: Sequence[User],
    approvers: Sequence[User],
    due_date: dt.date | None,
) -> Revision:
    """Submit a draft, naming who reviews and who approves it (in that order, which is
    the order of signing when the type asks for a sequence) and by when."""
    reviewers, approvers = list(reviewers), list(approvers)
    submit = LIFECYCLE.get("submit")

    def check(record: Revision):
        return LIFECYCLE.refusal(record, actor, submit, gates=False)

    def change(locked: Revision, _: Revision) -> Revision:
        due = _check_names(locked, reviewers, approvers, due_date)
        now = timezone.now()
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(
                revision=locked,
                person=person,
                role=role,
                position=position,
                due_date=due,
                assigned_by=actor,
                assigned_at=now,
            )
            for role, people in ((R.REVIEWER, reviewers), (R.APPROVER, approvers))
            for position, person in enumerate(people, start=1)
        )
        named = {
            "reviewers": [p.username for p in reviewers],
            "approvers": [p.username for p in approvers],
            "due_date": due.isoformat(),
            "approval_mode": locked.document.doc_type.approval_mode,
        }
        return LIFECYCLE.cascade(obj=locked, name="submit", actor=actor, changes=named)

    # Refused before anything is locked (and again under the lock, in `change`).
    if (error := check(revision)) is not None:
        raise error
    _check_names(revision, reviewers, approvers, due_date)
    return perform(
        actor=actor,
        record=revision,
        check=check,
        change=change,
        queryset=Revision.objects.select_related("document__doc_type"),
    )


def approve(
    *,
    actor: User,
    revision: Revision,
    reason: str = "",
    credentials: Credentials | None = None,
    updates: dict[str, Any] | None = None,
) -> Revision:
    """A named approver signs the approval. Whether it approves the revision ("approve",
    the last approval the mode requires) or keeps it in review for the others
    ("sign_approval") is decided again under the signing lock by
    `assignments.approval_step`: when two approvers sign at once, the second one's
    signature completes the approval instead of being refused. `updates` (the
    no-retraining decision) belong to the approval that completes it only."""

    def step(record: Revision) -> Transition:
        approved = live_signers(record, "approved")
        return LIFECYCLE.get(assignments.approval_step(record, actor, approved))

    def check(record: Revision) -> DomainError | None:
        t = step(record)
        if updates and t.name != "approve":
            return InvalidInput(
                "Only the approver whose signature completes the approval decides that no "
                "retraining is needed: other named approvers still sign.",
                fields={"justification": "Not the last approval."},
            )
        return LIFECYCLE.refusal(record, actor, t, gates=False)

    def change(locked: Revision, _: Revision) -> Revision:
        # Under the lock `check(locked)` has just chosen and passed this same step.
        return LIFECYCLE._move(locked, step(locked), actor, reason, updates or {})

    return perform(
        actor=actor,
        record=revision,
        check=check,
        change=change,
        meaning="approved",
        credentials=credentials,
        reason=reason,
        queryset=Revision.objects.all(),
    )


@audit.writing()
def reassign_reviewer(
    *, actor: User, assignment: ReviewAssignment, person: User, reason: str
) -> ReviewAssignment:
    """QA replaces a named reviewer or approver who has not signed (on leave, left):
    the old row is ended and kept, the new person takes its place in the order."""
    require(actor, REASSIGN_SIGNERS)
    reason = clean_text(reason, "reason", limit=2000)
    old = (
        ReviewAssignment.objects.select_for_update()
        .select_related("revision__document__doc_type", "person")
        .get(pk=assignment.pk)
    )
    revision = old.revision
    if revision.state != RevisionState.IN_REVIEW or old.ended_at is not None:
        raise TransitionNotAllowed(f"{old.person.full_name} is no longer named on {revision}.")
    if old.signed_at is not None:
        raise TransitionNotAllowed(
            f"{old.person.full_name} has already signed; a signed review or approval stays."
        )
    _check_person(revision, person, old.role)
    live = revision.review_assignments.filter(ended_at__isnull=True).exclude(pk=old.pk)
    if live.filter(person=person, role=old.role).exists():
        _refuse(f"{person.full_name} is already named as {old.role}.", "person", "Named already.")
    other = R.APPROVER if old.role == R.REVIEWER else R.REVIEWER
    if revision.document.doc_type.reviewer_cannot_approve and (
        live.filter(person=person, role=other).exists()
    ):
        _refuse(
            f"{person.full_name} is named as {other}: the reviewer cannot also approve.",
            "person",
            "Segregation of duties.",
        )
    now = timezone.now()
    old.ended_at, old.end_reason = now, f"Replaced by {person.full_name}: {reason}"
    old.save(update_fields=["ended_at", "end_reason"])
    new = ReviewAssignment.objects.create(
        revision=revision,
        person=person,
        role=old.role,
        position=old.position,
        due_date=old.due_date,
        assigned_by=actor,
        assigned_at=now,
    )
    audit.record(
        actor=actor,
        action="documents.review.reassigned",
        obj=revision,
        changes={"role": old.role, old.role: [old.person.username, person.username]},
        reason=reason,
    )
    notify.person_named_instead(new, replaced=old.person, actor=actor)
    return new


@audit.writing()
def add_review_comment(
    *, actor: User, revision: Revision, text: str, quote: str = ""
) -> ReviewComment:
    """A named reviewer or approver comments on a revision in review."""
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if revision.state != RevisionState.IN_REVIEW:
        raise TransitionNotAllowed("Comments are made while the revision is in review.")
    if not revision.review_assignments.filter(person=actor, ended_at__isnull=True).exists():
        raise TransitionNotAllowed(
            f"Only the people named to review or approve {revision} comment on it."
        )
    comment = ReviewComment.objects.create(
        revision=revision,
        author=actor,
        text=clean_text(text, "text", limit=4000),
        quote=clean_text(quote, "quote", required=False, limit=500),
        created_at=timezone.now(),
    )
    audit.record(
        actor=actor,
        action="documents.comment.added",
        obj=revision,
        changes={"comment": comment.pk, "text": comment.text, "quote": comment.quote},
    )
    return comment


@audit.writing()
def resolve_review_comment(
    *, actor: User, comment: ReviewComment, reply: str = ""
) -> ReviewComment:
    """The revision's author resolves a comment, with an optional reply; it is kept."""
    comment = (
        ReviewComment.objects.select_for_update().select_related("revision").get(pk=comment.pk)
    )
    if comment.revision.author_id != actor.pk:
        raise TransitionNotAllowed("Only the revision's author resolves its review comments.")
    if comment.resolved_at is not None:
        raise TransitionNotAllowed("This comment is already resolved.")
    if comment.revision.state not in (RevisionState.IN_REVIEW, RevisionState.DRAFT):
        raise TransitionNotAllowed("Comments are resolved while the revision is open.")
    comment.reply = clean_text(reply, "reply", required=False, limit=4000)
    comment.resolved_by, comment.resolved_at = actor, timezone.now()
    comment.save(update_fields=["reply", "resolved_by", "resolved_at"])
    audit.record(
        actor=actor,
        action="documents.comment.resolved",
        obj=comment.revision,
        changes={"comment": comment.pk, "resolved": [False, True], "reply": comment.reply},
    )
    return comment
