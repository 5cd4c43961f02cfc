"""PMS report reminders (`openqms tick`): 60, 30 and 7 days before a periodic report is
due, and once when it is overdue, to everyone who handles quality events. Each reminder
is claimed once (a unique PmsReminder row in the same transaction as the queued email),
so two runs never send it twice."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from openqms.core import mail
from openqms.core.models import Role, RoleAssignment, User
from openqms.events.models import PmsReminder, PmsReport, PmsReportState
from openqms.events.registry import MANAGE

WINDOWS = (60, 30, 7)


def _handlers() -> list[str]:
    # Roles are few; their permissions are a JSON list, read the same on both engines.
    roles = [r.pk for r in Role.objects.all() if MANAGE in r.permissions]
    grants = RoleAssignment.objects.current().filter(role__in=roles)
    people = User.objects.filter(is_active=True, role_assignments__in=grants).exclude(email="")
    return sorted(set(people.values_list("email", flat=True)))


def window(due_on: dt.date, today: dt.date) -> str | None:
    """The reminder a report due on `due_on` is in today: "overdue", the smallest of
    60/30/7 days it is within, or None."""
    left = (due_on - today).days
    if left < 0:
        return "overdue"
    inside = [w for w in WINDOWS if left <= w]
    return f"{min(inside)}d" if inside else None


def _once(report: PmsReport, key: str, to: list[str]) -> bool:
    late = key == "overdue"
    subject = (
        f"OpenQMS: {report.number} is overdue since {report.due_on:%d %b %Y}"
        if late
        else f"OpenQMS: {report.number} is due {report.due_on:%d %b %Y}"
    )
    body = (
        f"{report.title} ({report.get_report_type_display()}) is "
        f"{'overdue since' if late else 'due on'} {report.due_on:%d %b %Y} "
        f"(UK MDR 2002 Part 4A).\nPrepare it in OpenQMS: "
        f"{mail.link('events:pms-report', report.pk)}\n"
    )
    try:
        with transaction.atomic():
            PmsReminder.objects.create(report=report, window=key, sent_at=timezone.now())
            mail.queue([(subject, body, to)])
        return True
    except IntegrityError:
        return False


def send_reminders() -> str:
    today = timezone.localdate()
    to = _handlers()
    if not to:
        return "0 PMS report reminder(s) queued (nobody handles quality events)"
    queued = 0
    horizon = today + dt.timedelta(days=max(WINDOWS))
    open_reports = PmsReport.objects.exclude(state=PmsReportState.COMPLETED)
    for report in open_reports.filter(due_on__lte=horizon).order_by("due_on", "pk"):
        key = window(report.due_on, today)
        if key is not None:
            queued += _once(report, key, to)
    return f"{queued} PMS report reminder(s) queued"
