"""Records the across tests work on: feedback and complaints made with the ORM (the
complaints area's actions are not in this branch), and record pages named even where
their area's URLs are not installed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import NoReverseMatch
from django.urls import reverse as real_reverse
from django.utils import timezone

from openqms.events.models import Complaint, Feedback

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
_seq = {"n": 0}


def reverse_or_stub(name, *args, **kwargs):
    """The real URL, or /events/<name>/<pk>/ where the area's pages are not installed."""
    try:
        return real_reverse(name, *args, **kwargs)
    except NoReverseMatch:
        pk = (kwargs.get("args") or (args[0] if args else [""]))[0]
        return f"/events/{name.split(':')[-1]}/{pk}/"


@pytest.fixture
def record_pages(monkeypatch):
    for where in ("openqms.events.trail", "openqms.events.models.base"):
        monkeypatch.setattr(f"{where}.reverse", reverse_or_stub)


def feedback(cast, *, title="Request for a dark mode", opened_at=None):
    _seq["n"] += 1
    at = opened_at or timezone.now()
    return Feedback.objects.create(
        number=f"FB-2026-{_seq['n']:04d}",
        title=title,
        owner=cast.qa_lead,
        opened_by=cast.qa_lead,
        opened_at=at,
        source="customer",
        received_at=at,
        description="Said on the phone.",
    )


def complaint(
    cast,
    *,
    title="App closes when exporting a report",
    device=None,
    opened_at=None,
    owner=None,
    number=None,
    **fields,
):
    _seq["n"] += 1
    at = opened_at or timezone.now()
    return Complaint.objects.create(
        number=number or f"CMP-2026-{_seq['n']:04d}",
        title=title,
        device=device,
        owner=owner or cast.qa_lead,
        opened_by=cast.qa_lead,
        opened_at=at,
        feedback=feedback(cast, opened_at=at),
        source="customer",
        received_at=at,
        awareness_at=at,
        what_happened="The app closed.",
        **fields,
    )
