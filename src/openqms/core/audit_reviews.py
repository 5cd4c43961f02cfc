"""Audit-trail reviews (EU GMP Annex 11 §9): what a review covers, when the next is due,
and the My tasks entry that says so. The signed record itself is written by
core.actions.reviews; the pages are core.views.audit_reviews.

A review covers whole days that have ended, in the instance's time zone, and the trail
filter the reviewer used (none for a review of the whole trail). Its scope — which
events that view holds: how many, the first and last sequence numbers, the last one's
hash — is what the reviewer is shown and signs, so the record says exactly what was
reviewed. The trail is append-only and new events are stamped now, so the scope of
past days does not change between showing and signing.

The next review is due OPENQMS_AUDIT_REVIEW_DAYS days after the last day the latest
review of the whole trail covered (or after the trail's first event, before any).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from openqms.core import trail
from openqms.core.access import has_permission
from openqms.core.audit import canonical_json
from openqms.core.errors import InvalidInput
from openqms.core.inbox import Task
from openqms.core.integrity import Finding, Findings
from openqms.core.models import AuditEvent, AuditReview, User
from openqms.core.reconcile import events
from openqms.core.registry import AUDIT_REVIEW, event_types
from openqms.core.text import refuse_unstorable

REVIEWED = "core.audit.reviewed"
CHECK = "core: audit trail reviews"  # its section in `openqms verify`

# The trail filters a review may name (the trail page's query parameters).
FILTER_KEYS = ("record", "user", "action", "object_type", "object_id")


def clean_filter(raw: dict[str, Any]) -> dict[str, str]:
    """The filter a review names: known keys, non-empty, checked; sorted by key."""
    cleaned: dict[str, str] = {}
    for key in FILTER_KEYS:
        value = str(raw.get(key) or "").strip()
        if not value:
            continue
        if len(value) > 200:
            raise InvalidInput(
                f"The filter “{key}” is too long (200 characters at most).",
                fields={key: "Too long."},
            )
        cleaned[key] = refuse_unstorable(value, key)
    if cleaned.get("action", "") and cleaned["action"] not in event_types:
        raise InvalidInput("Choose an action from the list.", fields={"action": "Unknown."})
    return dict(sorted(cleaned.items()))


def check_period(period_from: dt.date | None, period_to: dt.date | None) -> None:
    if period_from is None or period_to is None:
        raise InvalidInput(
            "Give the first and last day of the period reviewed.",
            fields={"since": "Required.", "until": "Required."},
        )
    if period_from > period_to:
        raise InvalidInput(
            "The period ends before it starts.", fields={"until": "Before the first day."}
        )
    if period_to >= trail.today():
        raise InvalidInput(
            "A review covers whole days that have ended: the period must end yesterday "
            "or earlier (today's events are still being written).",
            fields={"until": "Today or later."},
        )


def scope(
    *, viewer: User, period_from: dt.date, period_to: dt.date, filters: dict[str, str]
) -> dict[str, Any]:
    """What a review of this view covers now, as `AuditReview.signature_content` states
    it (without the findings): shown to the reviewer, whose signature covers its hash."""
    event_filter = trail.EventFilter(
        object_type=filters.get("object_type", ""),
        object_id=filters.get("object_id", ""),
        username=filters.get("user", ""),
        record=filters.get("record", ""),
        action=filters.get("action", ""),
        since=period_from,
        until=period_to,
    )
    events = event_filter.apply(AuditEvent.objects.all(), viewer)
    return {
        "period_from": period_from.isoformat(),
        "period_to": period_to.isoformat(),
        "time_zone": settings.TIME_ZONE,
        "filter": dict(sorted(filters.items())),
        **trail.summary(events),
    }


def trail_url(period_from: dt.date, period_to: dt.date, filters: dict[str, str]) -> str:
    """The trail page showing what a review covered."""
    query = {**filters, "since": period_from.isoformat(), "until": period_to.isoformat()}
    return reverse("core:audit") + "?" + urlencode(query)


def review_trail_url(review: AuditReview) -> str:
    return trail_url(review.period_from, review.period_to, review.filter)


def _last_covered() -> dt.date | None:
    """The last day the latest review of the whole trail covered; before any, the day
    before the trail's first event; None for an empty trail."""
    last = (
        AuditReview.objects.filter(filter={})
        .order_by("-period_to")
        .values_list("period_to", flat=True)
        .first()
    )
    if last is not None:
        return last
    first = AuditEvent.objects.order_by("seq").values_list("at", flat=True).first()
    if first is None:
        return None
    return first.astimezone(trail.zone()).date() - dt.timedelta(days=1)


def next_period() -> tuple[dt.date, dt.date] | None:
    """The days the next review of the whole trail would cover: from the day after the
    last one's (or the trail's first day) to yesterday; None when no day is left."""
    covered = _last_covered()
    if covered is None:
        return None
    start, end = covered + dt.timedelta(days=1), trail.today() - dt.timedelta(days=1)
    return (start, end) if start <= end else None


def next_due() -> dt.date | None:
    """When the next review of the whole trail is due (None: never, or an empty trail)."""
    days = settings.AUDIT_REVIEW_DAYS
    covered = _last_covered()
    if not days or covered is None:
        return None
    return covered + dt.timedelta(days=days)


def day(value: dt.date) -> str:
    return f"{value.day} {value:%b %Y}"


def review_due(user: User) -> list[Task]:
    """My tasks: for whoever may review the trail, once a review is due."""
    if not has_permission(user, AUDIT_REVIEW):
        return []
    due = next_due()
    period = next_period()
    if due is None or period is None or due > trail.today():
        return []
    start, end = period
    query = urlencode({"since": start.isoformat(), "until": end.isoformat()})
    return [
        Task(
            kind="Audit-trail review",
            title=f"Review the audit trail from {day(start)} to {day(end)}",
            url=reverse("core:audit-review-new") + "?" + query,
            due=due,
        )
    ]


def audit_trail_reviews() -> Findings:
    """`openqms verify`: every review row was written with its `core.audit.reviewed`
    event, and says what that event recorded (days, view, events covered, findings or
    none); no event lacks its row."""
    said = {object_id: (seq, changes) for seq, _, object_id, changes in events(REVIEWED)}
    found = Findings()
    for review in AuditReview.objects.order_by("pk"):
        found.checked += 1
        record = f"core.auditreview {review.pk} ({review})"
        seq, changes = said.pop(str(review.pk), (0, {}))
        if not seq:
            found.append(Finding(CHECK, record, "no event recorded this review", "exists"))
            continue
        recorded = _recorded(changes)
        row = _recorded(_as_changes(review))
        if recorded != row:
            found.append(Finding(CHECK, record, f"{recorded} (event #{seq})", row))
    for object_id, (seq, _) in said.items():
        record = f"core.auditreview {object_id}"
        found.append(Finding(CHECK, record, f"reviewed (event #{seq})", "no row (deleted)"))
    return found


def review_changes(review: AuditReview) -> dict[str, Any]:
    """What the `core.audit.reviewed` event records of a review."""
    return {
        "period": [review.period_from, review.period_to],
        "time_zone": review.time_zone,
        "filter": review.filter,
        "events": review.events,
        "last_seq": review.last_seq,
        "no_findings": review.no_findings,
    }


def _as_changes(review: AuditReview) -> dict[str, Any]:
    return json.loads(canonical_json(review_changes(review)))


def _recorded(changes: dict[str, Any]) -> str:
    keys = ("period", "time_zone", "filter", "events", "last_seq", "no_findings")
    return canonical_json({k: changes.get(k) for k in keys})
