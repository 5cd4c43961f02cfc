"""Days are filtered and times shown in the instance's time zone, the zone named: an
event at 23:30 UTC on 30 June happened on 1 July in London (BST)."""

import datetime as dt

from openqms.core import trail
from tests.core.trail_helpers import record_at

LATE_JUNE = dt.datetime(2026, 6, 30, 23, 30, tzinfo=dt.UTC)


def _late_event(monkeypatch, cast):
    return record_at(
        monkeypatch, LATE_JUNE, actor=cast.qa_lead, action="core.user.updated", obj=cast.author
    )


def test_the_event_shows_under_1_july_bst(signed_in, cast, monkeypatch, settings):
    settings.TIME_ZONE = "Europe/London"
    event = _late_event(monkeypatch, cast)
    client = signed_in(cast.auditor)
    page = client.get("/audit/", {"since": "2026-07-01", "until": "2026-07-01"})
    assert [row.event.seq for row in page.context["rows"]] == [event.seq]
    html = page.content.decode()
    assert "2026-07-01 00:30:00 BST" in html
    assert "When (Europe/London)" in html
    june = client.get("/audit/", {"since": "2026-06-30", "until": "2026-06-30"})
    assert list(june.context["rows"]) == []


def test_the_day_is_the_instance_s_whatever_zone_the_request_runs_in(cast, monkeypatch, settings):
    settings.TIME_ZONE = "Europe/London"
    _late_event(monkeypatch, cast)
    from django.utils import timezone

    with timezone.override("Pacific/Auckland"):
        assert trail.start_of(dt.date(2026, 7, 1)) == dt.datetime(2026, 6, 30, 23, 0, tzinfo=dt.UTC)


def test_the_exports_name_the_local_time_too(signed_in, cast, monkeypatch, settings):
    settings.TIME_ZONE = "Europe/London"
    event = _late_event(monkeypatch, cast)
    records = trail.as_record(event)
    assert records["at"] == "2026-06-30T23:30:00.000000+00:00"
    assert records["at_local"] == "2026-07-01 00:30:00 BST"
