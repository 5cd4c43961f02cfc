"""The email queue: the one path every notification takes.

`queue()` writes emails inside the caller's transaction (a rolled-back change sends
nothing); `openqms tick` sends what is waiting (`send_queued`), one message at a time, so
a failure is recorded against that message and retried at the next tick, up to
`MAX_FAILURES` times. Nothing is sent with fail_silently: a mail outage delays mail, it
does not lose it. `link()` makes the absolute links emails carry (OPENQMS_BASE_URL).

Two ticks at once never send the same email twice: a tick first claims its rows (a
claim token and time), with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL and a
conditional UPDATE on SQLite (one writer at a time), and sends only what it claimed. A
claim older than `CLAIM_EXPIRY` (a tick that died mid-send) may be taken again.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from openqms.core.models import QueuedEmail

MAX_FAILURES = 5
BATCH = 500
CLAIM_EXPIRY = dt.timedelta(minutes=30)


def link(url_name: str, *args) -> str:
    """The absolute address of a page, for an email (emails are read outside OpenQMS)."""
    return settings.BASE_URL + reverse(url_name, args=args)


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


def send_queued(limit: int | None = None) -> str:
    token = secrets.token_hex(16)
    claimed = _claim(token, limit or BATCH)
    sent = failed = 0
    if claimed:
        with get_connection() as mail_connection:
            for email in claimed:
                message = EmailMessage(
                    email.subject, email.body, to=email.recipients, connection=mail_connection
                )
                try:
                    message.send()
                except Exception as error:  # any mail failure is retried at the next tick
                    _release(email, token, failures=F("failures") + 1, last_error=str(error)[:2000])
                    failed += 1
                else:
                    _release(email, token, sent_at=timezone.now())
                    sent += 1
    return f"{sent} email(s) sent, {failed} failed"


def _waiting() -> QuerySet[QueuedEmail]:
    unclaimed = Q(claimed_at__isnull=True) | Q(claimed_at__lt=timezone.now() - CLAIM_EXPIRY)
    return QueuedEmail.objects.filter(unclaimed, sent_at__isnull=True, failures__lt=MAX_FAILURES)


def _claim(token: str, limit: int) -> list[QueuedEmail]:
    claim = {"claimed_at": timezone.now(), "claim_token": token}
    if connection.features.has_select_for_update_skip_locked:
        # PostgreSQL: rows another tick is claiming right now are skipped, not waited for.
        with transaction.atomic():
            rows = _waiting().select_for_update(skip_locked=True)[:limit]
            QueuedEmail.objects.filter(pk__in=list(rows.values_list("pk", flat=True))).update(
                **claim
            )
    else:
        # SQLite: one UPDATE … WHERE unclaimed AND pk IN (… LIMIT n); writers take turns,
        # so a row another tick claimed first no longer matches.
        waiting = _waiting()
        waiting.filter(pk__in=waiting.values("pk")[:limit]).update(**claim)
    return list(QueuedEmail.objects.filter(claim_token=token, sent_at__isnull=True))


def _release(email: QueuedEmail, token: str, **changes) -> None:
    """Record the outcome, only if the claim is still ours (an expired claim may have
    passed to another tick, whose outcome then stands)."""
    QueuedEmail.objects.filter(pk=email.pk, claim_token=token).update(
        claimed_at=None, claim_token="", **changes
    )
