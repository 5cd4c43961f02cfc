"""The email queue. `queue()` writes emails inside the caller's transaction; `openqms tick`
sends what is waiting (`send_queued`), one message at a time, so a failure is recorded
against that message and retried at the next tick, up to `MAX_FAILURES` times."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

from openqms.core.models import QueuedEmail

MAX_FAILURES = 5
BATCH = 500


def queue(messages: Iterable[tuple[str, str, list[str]]]) -> int:
    """(subject, body, recipients) each; messages without recipients are dropped."""
    now = timezone.now()
    rows = [
        QueuedEmail(subject=subject[:300], body=body, recipients=to, queued_at=now)
        for subject, body, to in messages
        if to
    ]
    QueuedEmail.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def send_queued(limit: int = BATCH) -> str:
    waiting = list(
        QueuedEmail.objects.filter(sent_at__isnull=True, failures__lt=MAX_FAILURES)[:limit]
    )
    sent = failed = 0
    if waiting:
        with get_connection() as connection:
            for email in waiting:
                message = EmailMessage(
                    email.subject, email.body, to=email.recipients, connection=connection
                )
                try:
                    message.send()
                except Exception as error:  # any mail failure is retried at the next tick
                    email.failures += 1
                    email.last_error = str(error)[:2000]
                    email.save(update_fields=["failures", "last_error"])
                    failed += 1
                else:
                    email.sent_at = timezone.now()
                    email.save(update_fields=["sent_at"])
                    sent += 1
    return f"{sent} email(s) sent, {failed} failed"
