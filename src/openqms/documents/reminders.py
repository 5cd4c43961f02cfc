"""Review reminders (what `openqms tick` runs daily): each named reviewer or approver
who has not signed a revision in review hears once when the due date is two days away,
and once a week while it is overdue. Each reminder is queued once, in the same
transaction as the row that says it went (its key is unique: a second tick's claim
fails), and the email queue sends it.

Someone who cannot sign yet is not told to act: in "sequence" mode the people after an
unsigned one wait, and approvers wait for the reviews approval needs (the system
refuses their signature until then; their task shows "waiting"). They hear once the
person before them has signed."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from openqms.core import mail
from openqms.documents import assignments, notify
from openqms.documents.models import (
    ReviewAssignment,
    ReviewReminder,
    ReviewRole,
    RevisionState,
)

NOTICE = dt.timedelta(days=2)
OVERDUE_EVERY = 7  # days between reminders while overdue


def _key(assignment: ReviewAssignment, today: dt.date) -> str:
    """The period a reminder belongs to: "due" before the date, then each overdue week."""
    if today <= assignment.due_date:
        return f"review:{assignment.pk}:due"
    return f"review:{assignment.pk}:overdue:{(today - assignment.due_date).days // OVERDUE_EVERY}"


def _waits_for_others(assignment: ReviewAssignment) -> bool:
    """Whether the system would refuse this person's signature because of someone else
    (a reviewer not done, or the one before them in the order named)."""
    revision = assignment.revision
    signed = {a.person_id for a in assignments.live(revision) if a.signed_at is not None}
    if assignment.role == ReviewRole.APPROVER and assignments.reviews_missing(revision, signed):
        return True
    return bool(assignments.waiting_before(revision, assignment, signed))


def send_review_reminders() -> str:
    today = timezone.localdate()
    waiting = (
        ReviewAssignment.objects.filter(
            revision__state=RevisionState.IN_REVIEW,
            ended_at__isnull=True,
            signed_at__isnull=True,
            due_date__lte=today + NOTICE,
            person__is_active=True,
        )
        .exclude(person__email="")
        .select_related("person", "revision__document__doc_type")
        .order_by("pk")
    )
    queued = 0
    for assignment in waiting:
        if _waits_for_others(assignment):
            continue  # no reminder for this period yet: they hear once they can sign
        try:
            with transaction.atomic():
                ReviewReminder.objects.create(key=_key(assignment, today), sent_at=timezone.now())
                overdue = today > assignment.due_date
                mail.queue([notify.review_reminder(assignment, overdue=overdue)])
            queued += 1
        except IntegrityError:
            continue  # this period's reminder already went
    return f"{queued} review reminder(s) queued"
