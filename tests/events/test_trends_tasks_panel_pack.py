"""A significant increase with no trend report yet is a My tasks entry and shows on the
QMS dashboard; the PMS data pack gets the period's series, the chart and the reports."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from openqms.core.inbox import tasks_for
from openqms.events.actions import trends as actions
from openqms.events.inbox import trends as inbox

from .test_trends_reports import open_report, rising  # noqa: F401  (fixture)


def titles(user):
    return [t.title for t in inbox.trend_tasks(user)]


@pytest.mark.verifies("EVT-042")
def test_an_unreported_increase_is_a_task_until_a_report_covers_it(cast, rising):  # noqa: F811
    assert titles(cast.qa_lead) == [
        f"Write a trend report: {rising}, non-serious incidents above the limit in Jan 2026"
    ]
    assert titles(cast.author) == []
    report = open_report(cast, rising)
    assert titles(cast.qa_lead) == [f"Submit {report.number} to the MHRA ({rising})"]
    assert any(t.title.startswith("Submit") for t in tasks_for(cast.qa_lead))


@pytest.mark.verifies("EVT-042")
def test_the_dashboard_panel_lists_open_signals(cast, rising):  # noqa: F811
    panel = inbox.dashboard_panels(cast.auditor)[0]
    assert panel.context["signals_count"] == 1
    assert panel.url == reverse("events:trends")
    assert inbox.dashboard_panels(cast.outsider) == []


@pytest.mark.verifies("EVT-040")
def test_the_pack_section_has_the_series_chart_and_reports(cast, rising):  # noqa: F811
    report = open_report(cast, rising)
    section = actions.pack_section(rising, dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    assert section.title == "Trends"
    assert section.summary == "2 series, 1 period above the limit, 1 trend report"
    nonserious = [r for r in section.rows if r[0] == "non-serious incidents"]
    assert len(nonserious) == 7  # Jul 2025 to Jan 2026
    assert nonserious[-1][1:] == ["Jan 2026", 9, 1000, "9.00", "6.24", "yes"]
    assert section.rows[-1][0] == f"Trend report {report.number}"
    names = [name for name, _ in section.files]
    assert names == ["trends/non_serious_incident.svg", "trends/expected_side_effect.svg"]
    ET.fromstring(section.files[0][1])
