"""A named person who has not signed hears once when the due date is near and once a
week while it is overdue; a second tick in the same period queues nothing."""

import datetime as dt

from django.utils import timezone

from openqms.core.models import QueuedEmail
from openqms.documents import actions, reminders
from openqms.documents.models import ReviewAssignment
from tests.documents.conftest import SIGN
from tests.documents.named_review import submit


def _subjects():
    return sorted((q.recipients[0], q.subject) for q in QueuedEmail.objects.all())


def test_reminders_are_queued_once_per_period(cast, draft):
    revision = submit(cast, draft, days=1)
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    QueuedEmail.objects.all().delete()

    assert reminders.send_review_reminders() == "1 review reminder(s) queued"
    assert _subjects() == [
        ("approver@example.test", "OpenQMS: your approval of SOP-001 rev A is due"),
    ]  # the reviewer has signed
    assert reminders.send_review_reminders() == "0 review reminder(s) queued"

    # Overdue: once more, then not again the same week.
    ReviewAssignment.objects.filter(revision=revision).update(
        due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    QueuedEmail.objects.all().delete()
    assert reminders.send_review_reminders() == "1 review reminder(s) queued"
    [overdue] = QueuedEmail.objects.all()
    assert overdue.subject == "OpenQMS: your approval of SOP-001 rev A is overdue"
    assert "was due on" in overdue.body and "it is overdue" in overdue.body
    assert reminders.send_review_reminders() == "0 review reminder(s) queued"


def test_nothing_is_due_far_ahead(cast, draft):
    submit(cast, draft, days=10)
    QueuedEmail.objects.all().delete()
    assert reminders.send_review_reminders() == "0 review reminder(s) queued"
    assert not QueuedEmail.objects.exists()
