"""`{% vigilance_clock complaint as clock %}`: a complaint's vigilance clock for the
include "events/vigilance/clock.html" other areas put on the complaint's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch
from django.utils import timezone

from openqms.events.clocks import clock_of, left_text

register = template.Library()


@register.simple_tag
def vigilance_clock(complaint: Any) -> dict[str, Any] | None:
    clock = clock_of(complaint) if complaint is not None and complaint.pk else None
    if clock is None:
        return None
    now = timezone.now()
    return {"clock": clock, "left": left_text(clock.left(now)), "overdue": clock.overdue(now)}


@register.filter
def page_of(record: Any) -> str:
    """The record's page, or "" when the area that shows it is not installed."""
    try:
        return str(record.get_absolute_url())
    except NoReverseMatch:
        return ""
