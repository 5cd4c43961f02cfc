"""Certificates coming due (UK MDR 2002; ISO 13485 certification): what `openqms tick`
sends the QA leads (expiry 180, 90 and 30 days ahead and once expired; surveillance and
recertification audits 90 and 30 days ahead), what their My tasks show, and the QMS
dashboard's panel. Each email goes once: its CertificateReminder row is created in the
same transaction as the queued email and is unique, so two ticks at once send it once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from openqms.core import mail
from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import Role, RoleAssignment, User
from openqms.core.modules import Panel
from openqms.qms import access
from openqms.qms.models import Certificate, CertificateReminder
from openqms.qms.registry import CERTIFICATION

EXPIRY_DAYS = (30, 90, 180)  # the smallest threshold crossed is the one that speaks
AUDIT_DAYS = (30, 90)
TASK_WITHIN = 90
PANEL_ROWS = 5


@dataclass(frozen=True)
class Standing:
    words: str  # "valid", "expires in 12 days", "expired", "withdrawn"
    level: str  # "ok", "notice" (within 180 days), "warning" (90), "danger" (30, expired)


def standing(certificate: Certificate, today: dt.date) -> Standing:
    if certificate.retired:
        return Standing("withdrawn", "retired")
    left = (certificate.expires_on - today).days
    if left < 0:
        return Standing("expired", "danger")
    if left > EXPIRY_DAYS[-1]:
        return Standing("valid", "ok")
    words = "expires today" if left == 0 else f"expires in {left} day{'s' * (left != 1)}"
    level = "danger" if left <= 30 else "warning" if left <= 90 else "notice"
    return Standing(words, level)


def _threshold(left: int, steps: tuple[int, ...]) -> int | None:
    if left < 0:
        return 0
    return next((days for days in steps if left <= days), None)


def qa_leads() -> QuerySet[User]:
    """Who keeps the certificates: active people holding qms.certification:manage."""
    roles = [r.pk for r in Role.objects.all() if CERTIFICATION in r.permissions]
    grants = RoleAssignment.objects.current().filter(role__in=roles)
    return User.objects.active().filter(role_assignments__in=grants).distinct()


def _once(certificate: Certificate, kind: str, about: dt.date, days: int, mail_: tuple) -> bool:
    try:
        with transaction.atomic():
            CertificateReminder.objects.create(
                certificate=certificate, kind=kind, about=about, days=days, sent_at=timezone.now()
            )
            mail.queue([mail_])
        return True
    except IntegrityError:  # another tick sent it a moment ago
        return False


def _message(c: Certificate, kind: str, about: dt.date, days: int, to: list[str]) -> tuple:
    what = {
        "expiry": "expires",
        "surveillance": "surveillance audit is due",
        "recertification": "recertification is due",
    }[kind]
    if kind == "expiry" and days == 0:
        what = "has expired"
    subject = f"OpenQMS: certificate {c.number} {what} {about:%d %b %Y}"
    body = (
        f"The {c.get_kind_display()} {c.number} issued by {c.body} {what} on "
        f"{about:%d %b %Y}.\nPlan with the body in good time; record the new dates or "
        f"the renewed certificate in OpenQMS: {mail.link('qms:certificate', c.pk)}\n"
    )
    return subject, body, to


def send_certificate_reminders() -> str:
    today = timezone.localdate()
    to = sorted(e for e in qa_leads().values_list("email", flat=True) if e)
    if not to:
        return "no QA lead with an email address: no reminder sent"
    horizon = today + dt.timedelta(days=EXPIRY_DAYS[-1])
    due = Certificate.objects.filter(retired_at__isnull=True).filter(
        Q(expires_on__lte=horizon)
        | Q(next_surveillance__lte=horizon)
        | Q(recertification_due__lte=horizon)
    )
    queued = 0
    for c in due.select_related("body").order_by("pk"):
        dates: list[tuple[str, dt.date, tuple[int, ...]]] = [("expiry", c.expires_on, EXPIRY_DAYS)]
        audits = (("surveillance", c.next_surveillance), ("recertification", c.recertification_due))
        for kind, day in audits:
            if day is not None and day >= today:  # a past audit date is history, not due
                dates.append((kind, day, AUDIT_DAYS))
        for kind, day, steps in dates:
            days = _threshold((day - today).days, steps)
            if days is not None:
                queued += _once(c, kind, day, days, _message(c, kind, day, days, to))
    return f"{queued} certificate reminder(s) queued"


def _due_soon(today: dt.date) -> QuerySet[Certificate]:
    soon = today + dt.timedelta(days=TASK_WITHIN)
    return Certificate.objects.filter(retired_at__isnull=True).filter(
        Q(expires_on__lte=soon)
        | Q(next_surveillance__range=(today, soon))
        | Q(recertification_due__range=(today, soon))
    )


def certificate_tasks(user: User) -> list[Task]:
    """My tasks for QA leads: certificates expired or expiring within 90 days, and
    surveillance or recertification audits within 90 days."""
    if not has_permission(user, CERTIFICATION):
        return []
    today = timezone.localdate()
    tasks = []
    for c in _due_soon(today).select_related("body").order_by("expires_on", "pk"):
        url = reverse("qms:certificate", args=[c.pk])
        if c.expires_on <= today + dt.timedelta(days=TASK_WITHIN):
            words = standing(c, today).words
            tasks.append(Task("Certificates due", f"Renew {c} ({words})", url, c.expires_on))
        audits = (
            ("Surveillance audit", c.next_surveillance),
            ("Recertification", c.recertification_due),
        )
        for kind, day in audits:
            if day is not None and today <= day <= today + dt.timedelta(days=TASK_WITHIN):
                tasks.append(Task("Certificates due", f"{kind} for {c}", url, day))
    return tasks


def certificate_panels(user: User) -> list[Panel]:
    """The dashboard's box: current certificates, the one expiring soonest first."""
    if not access.is_reader(user):
        return []
    today = timezone.localdate()
    current = Certificate.objects.filter(retired_at__isnull=True).select_related("body")
    rows = [(c, standing(c, today)) for c in current.order_by("expires_on", "pk")[:PANEL_ROWS]]
    return [
        Panel(
            title="Certificates",
            template="qms/certificate_panel.html",
            context={"rows": rows},
            url=reverse("qms:certificates"),
            order=30,
        )
    ]
