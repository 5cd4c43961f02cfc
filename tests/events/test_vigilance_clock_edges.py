"""GB vigilance clocks at their edges: the UK day of awareness, British Summer Time
starting and ending, and the change of rule on 16 June 2025 (Part 4A)."""

import datetime as dt

import pytest

from openqms.events import clocks
from openqms.events.models import Category

from .conftest import uk

pytestmark = pytest.mark.django_db
TEN = Category.DEATH_OR_UNANTICIPATED
OTHER = Category.OTHER_SERIOUS
UTC = dt.UTC


@pytest.mark.verifies("EVT-009")
def test_awareness_at_2359_counts_that_day_and_at_0001_the_next():
    late = clocks.clock_for(TEN, uk("2026-01-10 23:59"))[1]
    early = clocks.clock_for(TEN, uk("2026-01-11 00:01"))[1]
    assert late == dt.datetime(2026, 1, 21, 0, 0, tzinfo=UTC)
    assert early == dt.datetime(2026, 1, 22, 0, 0, tzinfo=UTC)


@pytest.mark.verifies("EVT-009")
def test_a_minute_that_is_the_same_instant_in_utc_lands_on_the_uk_day():
    # 23:30 UTC on 30 June is 00:30 BST on 1 July: the day of awareness is 1 July.
    aware = dt.datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert clocks.awareness_day(aware) == dt.date(2026, 7, 1)
    assert clocks.clock_for(TEN, aware)[1] == dt.datetime(2026, 7, 11, 23, 0, tzinfo=UTC)


@pytest.mark.verifies("EVT-009")
def test_a_clock_running_into_summer_time_ends_at_uk_midnight_in_bst():
    # Summer time starts on Sunday 29 March 2026; aware the day before, in GMT.
    deadline = clocks.clock_for(Category.PUBLIC_HEALTH, uk("2026-03-28 12:00"))[1]
    assert deadline == dt.datetime(2026, 3, 30, 23, 0, tzinfo=UTC)  # 31 Mar 00:00 BST


@pytest.mark.verifies("EVT-009")
def test_a_clock_aware_just_before_and_after_the_change_to_summer_time():
    before = clocks.clock_for(Category.PUBLIC_HEALTH, uk("2026-03-29 00:30"))[1]
    after = clocks.clock_for(Category.PUBLIC_HEALTH, uk("2026-03-29 03:30"))[1]
    assert before == after == dt.datetime(2026, 3, 31, 23, 0, tzinfo=UTC)


@pytest.mark.verifies("EVT-009")
def test_a_clock_running_out_of_summer_time_ends_at_uk_midnight_in_gmt():
    # Summer time ends on Sunday 25 October 2026; aware the day before, in BST.
    deadline = clocks.clock_for(Category.PUBLIC_HEALTH, uk("2026-10-24 12:00"))[1]
    assert deadline == dt.datetime(2026, 10, 27, 0, 0, tzinfo=UTC)  # 27 Oct 00:00 GMT


@pytest.mark.verifies("EVT-009")
def test_awareness_at_2359_bst_on_the_last_day_of_summer_time():
    late = clocks.clock_for(TEN, uk("2026-10-24 23:59"))[1]
    assert clocks.awareness_day(uk("2026-10-24 23:59")) == dt.date(2026, 10, 24)
    assert late == dt.datetime(2026, 11, 4, 0, 0, tzinfo=UTC)


@pytest.mark.verifies("EVT-009")
def test_the_rule_in_force_on_the_day_of_awareness_is_used_across_the_part_4a_change():
    rule_before, before = clocks.clock_for(OTHER, uk("2025-06-15 23:59"))
    rule_after, after = clocks.clock_for(OTHER, uk("2025-06-16 00:01"))
    assert (rule_before.days, rule_after.days) == (30, 15)
    assert "MEDDEV" in rule_before.legal_reference
    assert "Part 4A" in rule_after.legal_reference
    assert before == dt.datetime(2025, 7, 15, 23, 0, tzinfo=UTC)  # 16 Jul 00:00 BST
    assert after == dt.datetime(2025, 7, 1, 23, 0, tzinfo=UTC)  # 2 Jul 00:00 BST


@pytest.mark.verifies("EVT-011")
def test_time_left_reads_in_days_and_hours_and_overdue_reads_so():
    assert clocks.left_text(dt.timedelta(days=3, hours=4, minutes=5)) == "3 days 4 hours left"
    assert clocks.left_text(dt.timedelta(hours=5, minutes=7)) == "5 hours 7 min left"
    assert clocks.left_text(dt.timedelta(hours=-26)) == "overdue by 1 day 2 hours"
    assert clocks.left_text(dt.timedelta(0)) == "overdue by 0 min"
