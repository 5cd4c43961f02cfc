"""core.retention.ends: the first day a record may be disposed of, from its class's rule
and the devices it concerns (ISO 13485 4.2.5)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openqms.core import retention
from tests.core.retention_sample import CODE, OBJECT_TYPE, device, sample_class

pytestmark = pytest.mark.django_db
D = dt.date


def _ends(sample, closed, devices=()):
    sample.closed["1"] = closed
    if devices:
        sample.devices["1"] = list(devices)
    return retention.ends(CODE, OBJECT_TYPE, "1", closed)


def test_fixed_years_count_from_the_day_the_record_closed():
    with sample_class(years=5) as sample:
        assert _ends(sample, D(2020, 3, 1)) == D(2025, 3, 1)


def test_a_record_still_in_use_or_kept_for_ever_has_no_end():
    with sample_class(years=5) as sample:
        assert _ends(sample, None) is None
    with sample_class(years=0) as sample:
        assert _ends(sample, D(2020, 3, 1)) is None


def test_end_of_support_rules_count_from_the_last_device_support_ends():
    with sample_class(years=10, counted_from="end_of_support") as sample:
        devices = [device(support_ended=D(2021, 1, 1)), device(support_ended=D(2023, 5, 1))]
        assert _ends(sample, D(2019, 1, 1), devices) == D(2033, 5, 1)


def test_a_device_still_supported_keeps_the_record():
    with sample_class(years=10, counted_from="end_of_support") as sample:
        devices = [device(support_ended=D(2021, 1, 1)), device(support_ended=None)]
        assert _ends(sample, D(2019, 1, 1), devices) is None


def test_last_placed_rules_count_from_the_last_placing_on_the_market():
    with sample_class(years=15, counted_from="last_placed") as sample:
        assert _ends(sample, D(2019, 1, 1), [device(last_placed=D(2022, 7, 1))]) == D(2037, 7, 1)
        assert _ends(sample, D(2019, 1, 1), [device(last_placed=None)]) is None


def test_a_record_is_kept_at_least_the_device_lifetime():
    with sample_class(years=2) as sample:
        lived = device(released=D(2015, 1, 1), last_placed=D(2020, 1, 1), lifetime=8)
        assert _ends(sample, D(2020, 6, 1), [lived]) == D(2028, 1, 1)


def test_a_record_is_kept_at_least_two_years_from_the_device_release():
    with sample_class(years=2) as sample:
        released = device(released=D(2021, 9, 1), last_placed=D(2021, 10, 1))
        assert _ends(sample, D(2020, 1, 1), [released]) == D(2023, 9, 1)


def test_the_lifetime_of_a_device_still_placed_on_the_market_is_not_over():
    with sample_class(years=2) as sample:
        placed = device(released=D(2019, 1, 1), last_placed=None, lifetime=5)
        assert _ends(sample, D(2020, 1, 1), [placed]) is None


def test_a_device_not_yet_released_keeps_the_record():
    # ISO 13485 4.2.5: two years from the device's release at least, unknown until then.
    with sample_class(years=2) as sample:
        in_design = device(released=None, last_placed=None, lifetime=None)
        assert _ends(sample, D(2020, 1, 1), [in_design]) is None
        assert _ends(sample, D(2020, 1, 1), [device(), in_design]) is None


def test_a_device_with_no_lifetime_recorded_keeps_the_record():
    # ISO 13485 4.2.5: the lifetime of the device at least, unknown until recorded.
    with sample_class(years=2) as sample:
        unknown = device(released=D(2020, 1, 1), last_placed=D(2021, 1, 1), lifetime=None)
        assert _ends(sample, D(2020, 1, 1), [unknown]) is None


def test_a_proposal_below_the_class_minimum_is_raised_to_it():
    with sample_class(years=1, minimum_years=2) as sample:
        assert retention.rule(CODE).years == 2
        assert _ends(sample, D(2020, 2, 29)) == D(2022, 2, 28)


def test_ends_for_a_list_costs_the_same_queries_whatever_its_length():
    with sample_class(years=5) as sample:

        def count(n):
            closed = {str(i): D(2020, 1, 1) for i in range(n)}
            sample.closed.update(closed)
            with CaptureQueriesContext(connection) as queries:
                found = retention.ends_many(CODE, OBJECT_TYPE, closed)
            assert set(found.values()) == {D(2025, 1, 1)}
            return len(queries)

        assert count(2) == count(40)
