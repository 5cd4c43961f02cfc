"""The email queue: the one path every notification takes.

`queue()` writes emails inside the caller's transaction (a rolled-back change sends
nothing); `openqms tick` sends what is waiting (`send_queued`), one message at a time, so
a failure is recorded against that message. Nothing is sent with fail_silently and
nothing is ever given up: a failed message is retried with back-off (`BACKOFF`), for as
long as it takes. At its `FAILING_AFTER`-th failure one audit event
(`core.email.failing`: recipients, subject, last error; never the body) says so, and from
then until it goes out the tick's email job reports it (`openqms tick` exits non-zero)
and administrators see it in My tasks. `link()` makes the absolute links emails carry
(OPENQMS_BASE_URL).

Two ticks at once never send the same email twice: a tick first claims its rows (a
claim token and time), with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL and a
conditional UPDATE on SQLite (one writer at a time), and sends only what it claimed. A
claim older than `CLAIM_EXPIRY` (a tick that died mid-send) may be taken again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from openqms.core import audit, periodic
from openqms.core.models import QueuedEmail

# The wait before the next attempt after the 1st, 2nd, … failure; the last one repeats.
BACKOFF = tuple(dt.timedelta(minutes=m) for m in (1, 5, 15, 60))
FAILING_AFTER = 5  # failures before the message is reported (audited once, tick fails)
BATCH = 500
# A tick starts no new message once it has been sending this long; the rest of its claim
# goes back to the queue for the next tick.
SEND_BUDGET = dt.timedelta(minutes=10)
# A claim older than this is taken to belong to a dead tick. It must be comfortably longer
# than a live tick can hold one: a batch starts messages for at most SEND_BUDGET, and the
# message in flight then ends within its SMTP commands, each bounded by EMAIL_TIMEOUT
# (OPENQMS_EMAIL_TIMEOUT, at most 120 s; a dozen commands plus one per recipient only if
# the server answers each just in time; a hung server fails at the first and ends the
# batch). 10 min + 17 × 2 min < 60 min. Besides, each claim is renewed just before its
# message is sent, and a tick whose claim has passed to another skips the message.
CLAIM_EXPIRY = dt.timedelta(minutes=60)
# Errors where the server answered and refused this one message: the batch goes on. Any
# other error (timeout, refused connection, disconnect) means the server is unwell: the
# batch stops there, so a hung server costs one EMAIL_TIMEOUT per tick, not one per email.
_REFUSED_MESSAGE = (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException, ValueError)


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


def failing() -> QuerySet[QueuedEmail]:
    """Unsent emails that have failed at least FAILING_AFTER times (still retried)."""
    return QueuedEmail.objects.filter(sent_at__isnull=True, failures__gte=FAILING_AFTER)


def send_queued(limit: int | None = None) -> str:
    token = secrets.token_hex(16)
    claimed = _claim(token, limit or BATCH)
    mail_connection = get_connection()
    try:
        sent, failed = _send(claimed, token, mail_connection)
    finally:
        # Closing a broken connection (QUIT to a hung server) may fail too; nothing is lost.
        with contextlib.suppress(Exception):
            mail_connection.close()
        # Claimed but not tried (the batch stopped): back to the queue, no failure counted.
        deferred = QueuedEmail.objects.filter(claim_token=token).update(
            claimed_at=None, claim_token=""
        )
    said = f"{sent} email(s) sent, {failed} failed"
    return f"{said}, {deferred} left for the next tick" if deferred else said


def send_and_report() -> str:
    """The tick's email job: sends, then fails the tick while any email is failing."""
    said = send_queued()
    stuck = failing().count()
    if stuck:
        raise periodic.StillFailing(
            f"{said}; {stuck} email(s) failed {FAILING_AFTER} times or more and are still "
            "being retried (see My tasks and core.email.failing in the audit trail)"
        )
    return said


def _send(
    claimed: list[QueuedEmail], token: str, mail_connection: BaseEmailBackend
) -> tuple[int, int]:
    sent = failed = 0
    started = timezone.now()
    for email in claimed:
        if timezone.now() - started > SEND_BUDGET:
            break
        if not _renew(email, token):
            continue  # our claim expired and another tick took the message
        message = EmailMessage(
            email.subject, email.body, to=email.recipients, connection=mail_connection
        )
        try:
            mail_connection.open()  # no-op while open; counts against this message if not
        except Exception as error:  # the server cannot be reached: stop here
            _record_failure(email, token, error)
            failed += 1
            break
        try:
            message.send()
        except Exception as error:  # any mail failure is retried later, with back-off
            _record_failure(email, token, error)
            failed += 1
            if not isinstance(error, _REFUSED_MESSAGE):
                break
        else:
            _release(email, token, sent_at=timezone.now())
            sent += 1
    return sent, failed


def _waiting() -> QuerySet[QueuedEmail]:
    now = timezone.now()
    unclaimed = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRY)
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return QueuedEmail.objects.filter(unclaimed, due, sent_at__isnull=True)


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


def _renew(email: QueuedEmail, token: str) -> bool:
    """Refresh the claim right before sending; False if it is no longer ours."""
    renewed = QueuedEmail.objects.filter(pk=email.pk, claim_token=token)
    return renewed.update(claimed_at=timezone.now()) == 1


def _release(email: QueuedEmail, token: str, **changes) -> int:
    """Record the outcome, only if the claim is still ours (an expired claim may have
    passed to another tick, whose outcome then stands)."""
    return QueuedEmail.objects.filter(pk=email.pk, claim_token=token).update(
        claimed_at=None, claim_token="", **changes
    )


@transaction.atomic
def _record_failure(email: QueuedEmail, token: str, error: Exception) -> None:
    failures = email.failures + 1  # the row is ours while claimed: no one else counts
    last_error = (str(error) or type(error).__name__)[:2000]
    wait = BACKOFF[min(failures, len(BACKOFF)) - 1]
    released = _release(
        email,
        token,
        failures=failures,
        last_error=last_error,
        next_attempt_at=timezone.now() + wait,
    )
    if released and failures == FAILING_AFTER:
        # Once per message: the trail says it is failing; it is still retried.
        audit.record(
            actor=None,
            action="core.email.failing",
            obj=email,
            changes={
                "recipients": email.recipients,
                "subject": email.subject,
                "failures": failures,
                "error": last_error,
            },
        )
