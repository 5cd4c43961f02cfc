"""CAPA reminders (`openqms tick`, "events: CAPA reminders"): the owner of each overdue
action of a current plan round, and the owner of each CAPA whose effectiveness check is
due within 14 days or overdue, are emailed once for that due date (a unique key claimed
in the same transaction as the email, so two ticks never send it twice)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from openqms.core import mail
from openqms.events.capa_ageing import checks_due, overdue_actions
from openqms.events.models import CapaReminder


def _once(key: str, subject: str, body: str, to: list[str]) -> bool:
    if not to:
        return False
    try:
        with transaction.atomic():
            CapaReminder.objects.create(key=key, sent_at=timezone.now())
            mail.queue([(subject, body, to)])
        return True
    except IntegrityError:
        return False


def send_reminders() -> str:
    today = timezone.localdate()
    queued = 0
    for a in overdue_actions(today).select_related("capa", "owner"):
        queued += _once(
            f"action:{a.pk}:{a.due}",
            f"OpenQMS: your action on {a.capa.number} is overdue",
            f"Your action on {a.capa.number} {a.capa.title} was due {a.due:%d %b %Y}:\n"
            f"{a.description}\n\nRecord it as done, with its evidence: "
            f"{mail.link('events:capa', a.capa_id)}\n",
            [a.owner.email] if a.owner.is_active and a.owner.email else [],
        )
    for c in checks_due(today).select_related("owner"):
        word = "was due" if c.effectiveness_due < today else "is due"  # type: ignore[operator]
        queued += _once(
            f"check:{c.pk}:{c.round}:{c.effectiveness_due}",
            f"OpenQMS: the effectiveness check of {c.number} {word} {c.effectiveness_due:%d %b %Y}",
            f"The effectiveness check of {c.number} {c.title} {word} "
            f"{c.effectiveness_due:%d %b %Y} (ISO 13485 8.5.2 f)).\n"
            f"Criteria: {c.effectiveness_criteria}\n{mail.link('events:capa', c.pk)}\n",
            [c.owner.email] if c.owner.is_active and c.owner.email else [],
        )
    return f"{queued} CAPA reminder(s) queued"
