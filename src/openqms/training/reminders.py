"""Reminder emails (what `openqms tick` runs daily): training due within a week, and
competence records expiring within 30 days (to the person and their manager). Each
reminder is queued once, in the same transaction as the record that says it was, and the
email queue sends it (and retries it if the mail server fails)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from openqms.core import mail
from openqms.training.models import (
    Assignment,
    AssignmentState,
    CompetenceRecord,
    ReminderSent,
)

TRAINING_NOTICE = dt.timedelta(days=7)
EXPIRY_NOTICE = dt.timedelta(days=30)


def _once(key: str, subject: str, body: str, to: list[str]) -> bool:
    """Queue the reminder the first time `key` is claimed; a second claim is False."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key, sent_at=timezone.now())
            mail.queue([(subject, body, to)])
        return True
    except IntegrityError:
        return False


def send_due_reminders() -> str:
    today = timezone.localdate()
    queued = 0
    due_soon = (
        Assignment.objects.filter(
            state=AssignmentState.OPEN,
            due_date__lte=today + TRAINING_NOTICE,
            person__is_active=True,
        )
        .exclude(person__email="")
        .select_related("person", "revision__document")
    )
    for a in due_soon:
        queued += _once(
            f"assignment:{a.pk}:due",
            f"OpenQMS: training on {a.revision} is due {a.due_date:%d %b %Y}",
            f"Hello {a.person.full_name},\n\nYour training on {a.revision} "
            f"({a.revision.document.title}) is due on {a.due_date:%d %b %Y}.\n"
            f"Open it in OpenQMS: {mail.link('training:assignment', a.pk)}\n",
            [a.person.email],
        )
    expiring = CompetenceRecord.objects.filter(
        withdrawn_at__isnull=True,
        expires_on__isnull=False,
        expires_on__lte=today + EXPIRY_NOTICE,
        person__is_active=True,
    ).select_related("person", "person__employee__manager")
    for r in expiring:
        manager = getattr(getattr(r.person, "employee", None), "manager", None)
        to = [e for e in (r.person.email, manager.email if manager else "") if e]
        verb = "expired" if r.expires_on < today else "expires"  # type: ignore[operator]
        if to:
            queued += _once(
                f"competence:{r.pk}:{r.expires_on}",
                f"OpenQMS: {r.title} of {r.person.full_name} {verb} {r.expires_on:%d %b %Y}",
                f"{r.title} ({r.get_kind_display()}) of {r.person.full_name} {verb} on "
                f"{r.expires_on:%d %b %Y}. Record the renewal in OpenQMS: "
                f"{mail.link('training:person', r.person.username)}\n",
                to,
            )
    return f"{queued} reminder(s) queued"
