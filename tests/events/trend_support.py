"""What the trend tests share: complaints made with the ORM (the complaints area builds
their actions in parallel), monthly exposure figures, and a method in force."""

import datetime as dt
import itertools

from django.utils import timezone

from openqms.events.actions import trends as actions
from openqms.events.models import Complaint, Feedback

_numbers = itertools.count(1)


def month_start(first: dt.date, i: int) -> dt.date:
    month = first.month - 1 + i
    return dt.date(first.year + month // 12, month % 12 + 1, 1)


def month_end(start: dt.date) -> dt.date:
    return month_start(start, 1) - dt.timedelta(days=1)


def complaints(cast, device, at, n=1, incident_type="non_serious_incident"):
    """`n` complaints of `device` with awareness `at` (aware datetime)."""
    user = cast.qa_lead
    now = timezone.now()
    numbers = [next(_numbers) for _ in range(n)]
    feedback = Feedback.objects.bulk_create(
        Feedback(
            number=f"FB-T-{i}",
            title="App closes",
            owner=user,
            opened_by=user,
            opened_at=now,
            source="user",
            received_at=at,
            description="It closed.",
            classification="complaint",
        )
        for i in numbers
    )
    Complaint.objects.bulk_create(
        Complaint(
            number=f"CMP-T-{i}",
            title="App closes",
            device=device,
            owner=user,
            opened_by=user,
            opened_at=now,
            feedback=f,
            source="user",
            received_at=at,
            awareness_at=at,
            what_happened="It closed.",
            incident_type=incident_type,
        )
        for i, f in zip(numbers, feedback, strict=True)
    )


def monthly(cast, device, first, units, *, market="GB"):
    """One figure per month from `first`, of `units[i]` units sold."""
    for i, n in enumerate(units):
        start = month_start(first, i)
        actions.enter_exposure_figure(
            actor=cast.qa_lead,
            device=device,
            period_start=start,
            period_end=month_end(start),
            units_sold=n,
            market=market,
        )


def baseline_method(cast, device, **fields):
    data = {
        "plan_reference": "PMS plan rev A, section 5",
        "period": "month",
        "mode": "baseline",
        "baseline_periods": 12,
        "k": "3",
    } | fields
    return actions.set_trend_method(actor=cast.qa_lead, device=device, **data)
