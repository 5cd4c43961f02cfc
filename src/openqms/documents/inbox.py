"""What document control puts in people's “My tasks”."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import Signature, User
from openqms.documents.models import Document, Revision, RevisionState
from openqms.documents.registry import APPROVE, EDIT, REVIEW

REVIEW_DUE_WITHIN = dt.timedelta(days=30)


def _url(revision: Revision) -> str:
    return f"/documents/{revision.document.number}/{revision.label}/"


def document_tasks(user: User) -> list[Task]:
    tasks = []
    in_review = Revision.objects.filter(state=RevisionState.IN_REVIEW).exclude(author=user)
    can_review, can_approve = has_permission(user, REVIEW), has_permission(user, APPROVE)
    if can_review or can_approve:
        live = Signature.objects.filter(object_type="documents.revision", voided_at__isnull=True)
        mine = set(live.filter(signer=user).values_list("object_id", "object_version"))
        reviewed = set(live.filter(meaning="reviewed").values_list("object_id", "object_version"))
        for revision in in_review.select_related("document__doc_type"):
            key = (str(revision.pk), revision.label)
            if key in mine:
                continue  # signed already
            ready = key in reviewed or not revision.document.doc_type.needs_review
            verb = "Approve" if can_approve and ready else "Review" if can_review else None
            if verb:
                tasks.append(
                    Task(
                        "Document review",
                        f"{verb} {revision}: {revision.document.title}",
                        _url(revision),
                    )
                )
    if has_permission(user, EDIT):
        for revision in Revision.objects.filter(
            author=user, state=RevisionState.DRAFT
        ).select_related("document"):
            tasks.append(
                Task("My draft", f"Finish {revision}: {revision.document.title}", _url(revision))
            )
    horizon = timezone.localdate() + REVIEW_DUE_WITHIN
    for document in Document.objects.filter(
        owner=user, withdrawn_at__isnull=True, next_review__lte=horizon
    ):
        tasks.append(
            Task(
                "Periodic review",
                f"Review {document.number}: {document.title}",
                f"/documents/{document.number}/",
                due=document.next_review,
            )
        )
    return tasks
