"""What document control puts in people's “My tasks”."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.documents.actions.lifecycle import LIFECYCLE, live_signers, steps_for_many
from openqms.documents.assignments import approval_step
from openqms.documents.models import (
    Document,
    ExternalDocument,
    ReviewAssignment,
    ReviewRole,
    Revision,
    RevisionState,
)
from openqms.documents.registry import APPROVE, EDIT, EXTERNAL, REVIEW

REVIEW_DUE_WITHIN = dt.timedelta(days=30)


def _url(revision: Revision) -> str:
    return reverse("documents:revision", args=[revision.document.number, revision.label])


def _waiting(revision: Revision, user: User, step: str) -> str:
    """Why a named person cannot sign yet (the reviews, a sequence, open comments)."""
    if step == "approve":
        step = approval_step(revision, user, live_signers(revision, "approved"))
    error = LIFECYCLE.refusal(revision, user, LIFECYCLE.get(step), gates=False)
    return error.message if error is not None else ""


def document_tasks(user: User) -> list[Task]:
    tasks = []
    # The revisions this person is named on, signed or not; which step they may take now
    # is the lifecycle table's answer (a named person waiting for the one before them in
    # a sequence, or for the reviews, sees why).
    if has_permission(user, REVIEW) or has_permission(user, APPROVE):
        mine = {
            a.revision_id: a
            for a in ReviewAssignment.objects.filter(
                person=user,
                ended_at__isnull=True,
                signed_at__isnull=True,
                revision__state=RevisionState.IN_REVIEW,
            ).order_by("role")  # named twice (no segregation): the review comes first
        }
        in_review = list(
            Revision.objects.filter(pk__in=list(mine)).select_related("document__doc_type")
        )
        steps = steps_for_many(in_review, user)
        for revision in in_review:
            assignment, can = mine[revision.pk], steps[revision.pk]
            approver = assignment.role == ReviewRole.APPROVER
            verb = "Approve" if approver else "Review"
            step = ("approve", "sign_approval") if approver else ("review",)
            tasks.append(
                Task(
                    "Document approval" if approver else "Document review",
                    f"{verb} {revision}: {revision.document.title}",
                    _url(revision),
                    due=assignment.due_date,
                    blocked="" if set(step) & can else _waiting(revision, user, step[0]),
                    # What is signed: a training gate may block it (core.inbox).
                    signs=revision,
                    meaning="approved" if approver else "reviewed",
                )
            )
    if has_permission(user, EDIT):
        for revision in Revision.objects.filter(
            author=user, state=RevisionState.DRAFT
        ).select_related("document"):
            if "submit" not in {t.name for t in LIFECYCLE.available(revision, user)}:
                continue
            tasks.append(
                Task("My draft", f"Finish {revision}: {revision.document.title}", _url(revision))
            )
    tasks.extend(_open_comments(user))
    horizon = timezone.localdate() + REVIEW_DUE_WITHIN
    for document in Document.objects.filter(
        owner=user, withdrawn_at__isnull=True, next_review__lte=horizon
    ):
        tasks.append(
            Task(
                "Periodic review",
                f"Review {document.number}: {document.title}",
                reverse("documents:detail", args=[document.number]),
                due=document.next_review,
            )
        )
    if has_permission(user, EXTERNAL):
        tasks.extend(_currency_checks(horizon))
    return tasks


def _open_comments(user: User) -> list[Task]:
    """The author's revisions in review with open review comments: each must be
    resolved before the revision can be approved (one query, however many)."""
    revisions = (
        Revision.objects.filter(author=user, state=RevisionState.IN_REVIEW)
        .annotate(open=Count("review_comments", filter=Q(review_comments__resolved_at=None)))
        .filter(open__gt=0)
        .select_related("document")
    )
    tasks = []
    for revision in revisions:
        n = revision.open
        tasks.append(
            Task(
                "Review comments",
                f"Resolve {n} open comment{'s' if n != 1 else ''} on {revision}: "
                f"{revision.document.title}",
                _url(revision) + "#comments",
            )
        )
    return tasks


def _currency_checks(horizon: dt.date) -> list[Task]:
    """External documents due for a currency check (4.2.4 f), for those who keep them."""
    return [
        Task(
            "External document check",
            f"{'First check' if d.never_checked else 'Check'} that {d.reference} is current:"
            f" {d.title}",
            reverse("documents:external"),
            due=d.check_due,
        )
        for d in ExternalDocument.objects.filter(check_due__lte=horizon)
    ]
