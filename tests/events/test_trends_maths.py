"""The rate and limit arithmetic, checked against a table worked by hand.

Baseline of 12 months, 1,000 units and 2 complaints each: u0 = 24 / 12,000 = 0.002,
2 per 1,000. A period's limit (k = 3) is u0 + 3·sqrt(u0 / n):
  n = 1,000 → 0.002 + 3 × 0.0014142 = 6.2426 per 1,000
  n = 2,000 → 0.002 + 3 × 0.001     = 5.0 per 1,000
  n =   500 → 0.002 + 3 × 0.002     = 8.0 per 1,000"""

import datetime as dt
from decimal import Decimal

import pytest

from openqms.events import chart
from openqms.events.models import TrendMethod

from .trend_support import month_start

FIRST = dt.date(2024, 1, 1)


def method(**fields):
    data = {
        "device_id": 1,
        "plan_reference": "plan",
        "period": "month",
        "mode": "baseline",
        "baseline_periods": 12,
        "k": Decimal("3"),
    } | fields
    return TrendMethod(**data)


def table(rows):
    """rows: (exposure, count) per month from FIRST → (exposure_months, count_months)."""
    exposure = {month_start(FIRST, i): n for i, (n, _) in enumerate(rows) if n}
    counts = {month_start(FIRST, i): c for i, (_, c) in enumerate(rows) if c}
    return exposure, counts


BASELINE = [(1000, 2)] * 12


@pytest.mark.verifies("EVT-020")
def test_the_baseline_rate_and_each_limit_match_the_hand_worked_table():
    rows = [*BASELINE, (1000, 7), (1000, 6), (2000, 12), (500, 5), (2000, 9)]
    trend = chart.compute(method(), "non_serious_incident", *table(rows))
    assert trend.expected == pytest.approx(2.0)
    after = trend.points[12:]
    assert [round(p.rate, 4) for p in after] == [7.0, 6.0, 6.0, 10.0, 4.5]
    assert [round(p.limit, 4) for p in after] == [6.2426, 6.2426, 5.0, 8.0, 5.0]
    assert [p.signal for p in after] == [True, False, True, True, False]


@pytest.mark.verifies("EVT-020")
def test_baseline_periods_never_signal_and_are_marked():
    rows = [(1000, 2)] * 11 + [(1000, 20), (1000, 2)]
    trend = chart.compute(method(), "non_serious_incident", *table(rows))
    assert [p.baseline for p in trend.points] == [True] * 12 + [False]
    assert not any(p.signal for p in trend.points)


@pytest.mark.verifies("EVT-020")
def test_a_baseline_by_dates_takes_the_periods_starting_between_them():
    rows = [(1000, 9), *BASELINE, (1000, 7)]
    m = method(
        baseline_periods=None,
        baseline_from=dt.date(2024, 2, 1),
        baseline_to=FIRST.replace(year=2025),
    )
    trend = chart.compute(m, "non_serious_incident", *table(rows))
    assert trend.expected == pytest.approx(2.0)
    assert trend.points[0].signal  # before the baseline, above its limit
    assert trend.points[-1].signal


@pytest.mark.verifies("EVT-020")
def test_periods_without_exposure_have_no_rate_and_no_signal():
    rows = [*BASELINE, (0, 5), (1000, 1)]
    trend = chart.compute(method(), "non_serious_incident", *table(rows))
    gap = trend.points[12]
    assert (gap.count, gap.exposure, gap.rate, gap.limit, gap.signal) == (5, 0, None, None, False)
    assert len(trend.points) == 14


@pytest.mark.verifies("EVT-020")
def test_threshold_mode_signals_rates_above_the_threshold_per_1000_units():
    m = method(mode="threshold", threshold=Decimal("5"), baseline_periods=None)
    rows = [(1000, 5), (1000, 6), (400, 3), (2000, 9)]
    trend = chart.compute(m, "expected_side_effect", *table(rows))
    assert trend.expected == 5.0
    assert [p.rate for p in trend.points] == [5.0, 6.0, 7.5, 4.5]
    assert [p.limit for p in trend.points] == [5.0] * 4
    assert [p.signal for p in trend.points] == [False, True, True, False]


@pytest.mark.verifies("EVT-020")
def test_quarters_add_up_their_months():
    m = method(period="quarter", mode="threshold", threshold=Decimal("3"), baseline_periods=None)
    rows = [(1000, 1), (1000, 2), (1000, 7), (500, 1)]
    trend = chart.compute(m, "non_serious_incident", *table(rows))
    assert [(p.label, p.count, p.exposure) for p in trend.points] == [
        ("2024 Q1", 10, 3000),
        ("2024 Q2", 1, 500),
    ]
    assert [p.signal for p in trend.points] == [True, False]


@pytest.mark.verifies("EVT-020")
def test_consecutive_signals_make_one_increase_and_a_report_covering_it_settles_it():
    rows = [*BASELINE, (1000, 9), (1000, 8), (1000, 1), (1000, 9)]
    exposure, counts = table(rows)
    trend = chart.compute(method(), "non_serious_incident", exposure, counts)
    assert [(i.first.label, i.last.label) for i in trend.increases] == [
        ("Jan 2025", "Feb 2025"),
        ("Apr 2025", "Apr 2025"),
    ]
    assert trend.increases[0].observed == pytest.approx(8.5)
    reported = [(dt.date(2025, 2, 1), dt.date(2025, 2, 1))]
    trend = chart.compute(method(), "non_serious_incident", exposure, counts, reported)
    assert [i.reported for i in trend.increases] == [True, False]
    assert len(trend.unreported) == 1


@pytest.mark.verifies("EVT-020")
def test_an_incomplete_baseline_gives_no_limit_and_no_signal():
    rows = [(0, 3)] * 6 + [(1000, 2)] * 5 + [(1000, 50)]
    trend = chart.compute(method(), "non_serious_incident", *table(rows))
    assert trend.expected is None
    assert not trend.signals
    assert all(p.limit is None for p in trend.points)


@pytest.mark.verifies("EVT-020")
def test_a_baseline_by_dates_without_exposure_gives_no_limit():
    m = method(baseline_periods=None, baseline_from=FIRST, baseline_to=dt.date(2024, 6, 30))
    rows = [(0, 3)] * 6 + [(1000, 50)]
    trend = chart.compute(m, "non_serious_incident", *table(rows))
    assert trend.expected is None
    assert not trend.signals
