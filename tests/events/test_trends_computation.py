"""A device's trend computed from the database: complaints counted by the UK month of
awareness, in a constant number of queries whatever the length of the history."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.events import chart

from .conftest import uk
from .trend_support import baseline_method, complaints, month_start, monthly

FIRST = dt.date(2020, 1, 1)


def history(cast, device, months):
    monthly(cast, device, FIRST, [1000] * months)
    for i in range(months):
        start = month_start(FIRST, i)
        at = dt.datetime(start.year, start.month, 10, 12, tzinfo=dt.UTC)
        complaints(cast, device, at, n=2)
        complaints(cast, device, at, n=1, incident_type="expected_side_effect")
        complaints(cast, device, at, n=1, incident_type="serious_incident")


def queries_for(device):
    with CaptureQueriesContext(connection) as seen:
        trends = chart.trends_for([device.pk])
    return len(seen), trends[device.pk]


@pytest.mark.verifies("EVT-020")
def test_the_query_count_is_the_same_for_one_year_and_for_ten(cast, device, class_i_device):
    baseline_method(cast, device)
    baseline_method(cast, class_i_device)
    history(cast, device, 12)
    history(cast, class_i_device, 120)
    short, trends = queries_for(device)
    long, long_trends = queries_for(class_i_device)
    assert short == long == 4
    assert [len(t.points) for t in long_trends] == [120, 120]
    assert [p.count for p in trends[0].points] == [2] * 12  # non-serious only
    assert [p.count for p in trends[1].points] == [1] * 12  # side effects apart
    assert trends[0].expected == 2.0


@pytest.mark.verifies("EVT-020")
def test_a_complaint_is_counted_in_its_uk_month_of_awareness(cast, device):
    baseline_method(cast, device)
    monthly(cast, device, dt.date(2026, 3, 1), [1000, 1000])
    complaints(cast, device, uk("2026-03-31 23:30"))  # 22:30 UTC: March in the UK
    complaints(cast, device, uk("2026-04-01 00:30"), n=2)  # 23:30 UTC on 31 March
    trend = chart.trends_for([device.pk])[device.pk][0]
    assert [(p.label, p.count) for p in trend.points] == [("Mar 2026", 1), ("Apr 2026", 2)]


@pytest.mark.verifies("EVT-020")
def test_withdrawn_figures_do_not_count_and_units_in_use_are_preferred(cast, device):
    from openqms.events.actions import trends as actions

    baseline_method(cast, device)
    wrong = actions.enter_exposure_figure(
        actor=cast.qa_lead,
        device=device,
        period_start="2026-01-01",
        period_end="2026-01-31",
        units_sold=9999,
    )
    actions.withdraw_exposure_figure(actor=cast.qa_lead, figure=wrong, reason="Typo")
    actions.enter_exposure_figure(
        actor=cast.qa_lead,
        device=device,
        period_start="2026-01-01",
        period_end="2026-01-31",
        units_sold=900,
        units_in_use=400,
        market="GB",
    )
    actions.enter_exposure_figure(
        actor=cast.qa_lead,
        device=device,
        period_start="2026-01-01",
        period_end="2026-01-31",
        units_sold=100,
        market="EU",
    )
    trend = chart.trends_for([device.pk])[device.pk][0]
    assert [p.exposure for p in trend.points] == [500]


@pytest.mark.verifies("EVT-020")
def test_a_device_without_a_method_has_no_trend(cast, device):
    assert chart.trends_for([device.pk]) == {}
