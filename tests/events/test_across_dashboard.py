"""The quality events overview: open records per kind by age and owner, vigilance clocks
soonest first, in a constant number of queries however many records there are."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openqms.events import dashboard
from openqms.events.models import Category, ReportabilityDecision

from .across_records import NOW, complaint, record_pages  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("record_pages")]


def _decide(cast, record, category, deadline):
    return ReportabilityDecision.objects.create(
        complaint=record,
        death=False,
        serious_deterioration=True,
        public_health_threat=False,
        unanticipated=True,
        device_related=True,
        trend_candidate=False,
        category=category,
        rationale="Admitted to hospital.",
        deadline_at=deadline,
        decided_by=cast.qa_lead,
        decided_at=deadline - dt.timedelta(days=10),
    )


@pytest.mark.verifies("EVT-042")
def test_open_records_are_counted_by_age_bucket_and_owner(cast):
    for days in (0, 30, 31, 90, 91, 180, 181, 400):
        complaint(cast, opened_at=NOW - dt.timedelta(days=days))
    complaint(cast, opened_at=NOW - dt.timedelta(days=5), owner=cast.manager)
    closed = complaint(cast, opened_at=NOW - dt.timedelta(days=5))
    type(closed).objects.filter(pk=closed.pk).update(closed_at=NOW)
    rows = {r.kind.code: r for r in dashboard.open_by_kind(NOW)}
    assert rows["complaint"].buckets == [3, 2, 2, 2]
    assert rows["complaint"].total == 9
    assert rows["complaint"].owners == [(cast.qa_lead.full_name, 8), (cast.manager.full_name, 1)]
    assert rows["feedback"].total == 10  # each complaint's feedback, none closed


@pytest.mark.verifies("EVT-042", "EVT-011")
def test_vigilance_clocks_come_soonest_first_and_say_overdue(cast):
    late = _decide(cast, complaint(cast), Category.OTHER_SERIOUS, NOW - dt.timedelta(hours=5))
    soon = _decide(
        cast, complaint(cast), Category.DEATH_OR_UNANTICIPATED, NOW + dt.timedelta(days=4)
    )
    _decide(cast, complaint(cast), Category.NOT_REPORTABLE, NOW + dt.timedelta(days=1))
    shown, count = dashboard.clocks(NOW)
    assert [c.decision for c in shown] == [late, soon] and count == 2
    assert shown[0].overdue and shown[0].left_text == "overdue by 5 hours 0 min"
    assert shown[1].left_text == "4 days 0 hours left"


def _page_queries(client, cast):
    client.force_login(cast.auditor)
    with CaptureQueriesContext(connection) as seen:
        response = client.get(reverse("events:dashboard"))
    assert response.status_code == 200
    return len(seen), response


@pytest.mark.verifies("EVT-045")
def test_the_overview_costs_the_same_queries_for_few_and_many_records(client, cast):
    now = timezone.now()
    for i in range(2):
        _decide(cast, complaint(cast), Category.OTHER_SERIOUS, now + dt.timedelta(days=i + 1))
    few, _ = _page_queries(client, cast)
    for i in range(25):
        record = complaint(cast, owner=cast.manager if i % 2 else cast.qa_lead)
        _decide(cast, record, Category.OTHER_SERIOUS, now + dt.timedelta(days=i + 3))
    many, response = _page_queries(client, cast)
    assert few == many
    page = response.content.decode()
    assert "Vigilance clocks" in page
    # the panels read their own context (panel.…), not the overview's names
    assert "27 clocks running." in page and "No vigilance clock is running" not in page
    assert "27 running" in response.content.decode()


@pytest.mark.verifies("EVT-038", refusal=True)
def test_someone_without_a_role_meets_404(client, cast):
    client.force_login(cast.outsider)
    assert client.get(reverse("events:dashboard")).status_code == 404
