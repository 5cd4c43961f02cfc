"""Escalating emails of the GB vigilance clocks (`openqms tick`, job "events: vigilance
escalations"): at each configured point of a running clock (EscalationPoint: when the
decision is signed, half the time gone, 2 days left, 1 day left, overdue) every active
holder of the REPORT permission (the QA leads) and the device's UK Responsible Person
are emailed, once per point and clock (complaint and deadline).

Each point is claimed by inserting its EscalationSent row (a unique key) in the same
transaction that queues the email: two runs, or two servers, never send it twice. When
a run finds several points of one clock due (the job did not run for a while), only
the latest is emailed; the earlier ones are claimed as skipped, so no stale "half the
time gone" follows an "overdue". A clock stops when its initial report is submitted."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from openqms.core import mail
from openqms.core.models import Role, RoleAssignment, User
from openqms.events.clocks import Clock, deadline_text, left_text, open_clocks
from openqms.events.models import EscalationPoint, EscalationSent
from openqms.events.registry import REPORT


def reporters() -> list[str]:
    """The email addresses of active people holding the REPORT permission."""
    # Roles are few; their permissions are a JSON list, read the same on both engines.
    roles = [r.pk for r in Role.objects.all() if REPORT in r.permissions]
    grants = RoleAssignment.objects.current().filter(role__in=roles)
    people = User.objects.filter(is_active=True, role_assignments__in=grants).exclude(email="")
    return sorted(set(people.values_list("email", flat=True)))


def responsible_person_email(clock: Clock) -> str:
    device = clock.complaint.device
    person = getattr(device, "responsible_person", None) if device is not None else None
    if person is None or person.retired_at is not None:
        return ""
    return person.email


def point_at(point: EscalationPoint, clock: Clock) -> dt.datetime:
    """When `point` of `clock` falls: a share of the time from the decision to the
    deadline, or some hours before the deadline."""
    start, end = clock.decision.decided_at, clock.deadline
    if point.percent_gone is not None:
        return start + (end - start) * point.percent_gone / 100
    return end - dt.timedelta(hours=point.hours_left or 0)


def _message(point: EscalationPoint, clock: Clock, now: dt.datetime) -> tuple[str, str]:
    c = clock.complaint
    deadline = deadline_text(clock.deadline)
    subject = (
        f"OpenQMS vigilance: {c.number} — {left_text(clock.left(now))} "
        f"(report due by the {deadline})"
    )
    body = (
        f"{point.label}: the serious incident {c.number} “{c.title}” "
        f"({clock.decision.get_category_display()}) must be reported to the MHRA by "
        f"the {deadline} ({left_text(clock.left(now))}).\n"
        f"Rule applied: {clock.decision.rule}.\n"
        f"Vigilance clocks: {mail.link('events:vigilance')}\n"
    )
    return subject, body


def _claim(clock: Clock, point: EscalationPoint, now: dt.datetime, to: list[str]) -> bool:
    """Queue the email (or, `to` empty, only mark the point passed) the first time the
    point is claimed; False when another run claimed it."""
    try:
        with transaction.atomic():
            EscalationSent.objects.create(
                decision=clock.decision,
                complaint=clock.complaint,
                deadline_at=clock.deadline,
                point=point,
                sent_at=now,
                skipped=not to,
                recipients=len(to),
            )
            if to:
                subject, body = _message(point, clock, now)
                mail.queue([(subject, body, to)])
        return bool(to)
    except IntegrityError:
        return False


def send_escalations(now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    points = list(EscalationPoint.objects.all())
    qa = reporters()
    clocks = open_clocks()
    # Keyed by complaint and deadline: a decision re-signed with the same deadline
    # does not send the same points again.
    sent_before = set(
        EscalationSent.objects.filter(complaint__in=[c.complaint for c in clocks]).values_list(
            "complaint_id", "deadline_at", "point_id"
        )
    )
    queued = 0
    for clock in clocks:
        due = sorted(
            (
                (point_at(p, clock), p.order, p)
                for p in points
                if (clock.complaint.pk, clock.deadline, p.pk) not in sent_before
                and point_at(p, clock) <= now
            ),
            key=lambda found: (found[0], found[1]),
        )
        if not due:
            continue
        rp = responsible_person_email(clock)
        to = sorted(set(qa) | ({rp} if rp else set()))
        for _, _, point in due[:-1]:
            _claim(clock, point, now, [])
        queued += _claim(clock, due[-1][2], now, to)
    return f"{queued} vigilance escalation(s) queued"
