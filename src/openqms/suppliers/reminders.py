"""Reminder emails (`openqms tick`): re-evaluations due within 30 days or overdue, and
supplier certificates expiring within 90 and again within 30 days, to everyone who keeps
the supplier register. Each reminder is queued once, in the same transaction as the row
that says it was (a unique key), so two ticks never send it twice."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from openqms.core import mail
from openqms.core.models import Role, RoleAssignment, User
from openqms.suppliers import due
from openqms.suppliers.models import ReminderSent
from openqms.suppliers.registry import MANAGE


def _keepers() -> list[str]:
    """The email addresses of active people holding suppliers.supplier:manage."""
    # Roles are few; their permissions are a JSON list, read the same on both engines.
    roles = [r.pk for r in Role.objects.all() if MANAGE in r.permissions]
    grants = RoleAssignment.objects.current().filter(role__in=roles)
    people = User.objects.filter(is_active=True, role_assignments__in=grants).exclude(email="")
    return sorted(set(people.values_list("email", flat=True)))


def _once(key: str, subject: str, body: str, to: list[str]) -> bool:
    """Queue the reminder the first time `key` is claimed; a second claim is False."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key, sent_at=timezone.now())
            mail.queue([(subject, body, to)])
        return True
    except IntegrityError:
        return False


def send_reminders() -> str:
    today = timezone.localdate()
    to = _keepers()
    if not to:
        return "0 supplier reminder(s) queued (nobody keeps the supplier register)"
    queued = 0
    for s in due.reevaluations_due(today):
        word = "is overdue since" if s.next_evaluation < today else "is due"  # type: ignore[operator]
        queued += _once(
            f"reevaluation:{s.pk}:{s.next_evaluation}",
            f"OpenQMS: re-evaluation of {s.name} {word} {s.next_evaluation:%d %b %Y}",
            f"The re-evaluation of supplier {s.name} ({s.criticality}) {word} "
            f"{s.next_evaluation:%d %b %Y} (ISO 13485 7.4.1).\n"
            f"Record it in OpenQMS: {mail.link('suppliers:detail', s.pk)}\n",
            to,
        )
    for c in due.certificates_expiring(today):
        left = (c.expires_on - today).days
        window = 30 if left <= 30 else 90
        word = "expired" if left < 0 else "expires"
        queued += _once(
            f"certificate:{c.pk}:{c.expires_on}:{window}",
            f"OpenQMS: {c} {word} {c.expires_on:%d %b %Y}",
            f"{c} {word} on {c.expires_on:%d %b %Y}. Ask {c.supplier.name} for the renewed "
            f"certificate and record it: {mail.link('suppliers:detail', c.supplier_id)}\n",
            to,
        )
    return f"{queued} supplier reminder(s) queued"
