"""An email that keeps failing is put in the audit trail once, at its fifth failure
(recipients, subject, last error; never the body), and is still retried afterwards."""

import datetime as dt
from unittest import mock

from django.core.mail.backends.base import BaseEmailBackend

from openqms.core import mail as queue
from openqms.core.models import QueuedEmail
from openqms.testing import changes_of, event_count, events_since

NINE_AM = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


class DownBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def _fail_once() -> None:
    due = QueuedEmail.objects.get().next_attempt_at or NINE_AM
    with mock.patch("openqms.core.mail.timezone.now", return_value=due):
        assert queue.send_queued() == "0 email(s) sent, 1 failed"


def test_the_fifth_failure_writes_one_audit_event_and_later_ones_none(db, settings):
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    queue.queue([("Your training", "Confidential body text.", ["a@example.test", "b@x.test"])])
    email = QueuedEmail.objects.get()
    before = event_count()
    for _ in range(4):
        _fail_once()
    assert events_since(before) == []
    _fail_once()
    [event] = events_since(before)
    assert (event.action, event.actor_id, event.object_type, event.object_id) == (
        "core.email.failing",
        None,
        "core.queuedemail",
        str(email.pk),
    )
    assert changes_of(event) == {
        "recipients": ["a@example.test", "b@x.test"],
        "subject": "Your training",
        "failures": 5,
        "error": "mail server down",
    }
    assert "Confidential" not in event.changes
    for _ in range(3):
        _fail_once()
    assert len(events_since(before)) == 1
    assert QueuedEmail.objects.get().failures == 8
