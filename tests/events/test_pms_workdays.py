"""The MHRA's 3-working-day deadline for PMS documents: weekends and England and Wales
bank holidays (configuration rows) do not count; day 1 is the working day after receipt,
or after the next working day when received on a weekend or holiday."""

import datetime as dt

import pytest

from openqms.events import workdays
from openqms.events.actions import pms

from .conftest import uk

pytestmark = pytest.mark.django_db


@pytest.fixture
def easter_2026(cast):
    pms.seed_bank_holidays(actor=cast.qa_lead, years=range(2026, 2027))


@pytest.mark.verifies("EVT-024")
def test_the_seeded_holidays_include_good_friday_and_easter_monday_2026(easter_2026):
    off = workdays.bank_holidays(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert {dt.date(2026, 4, 3), dt.date(2026, 4, 6), dt.date(2026, 12, 25)} <= off
    assert dt.date(2026, 12, 28) in off  # Boxing Day falls on a Saturday


@pytest.mark.verifies("EVT-024")
def test_a_request_received_before_easter_is_due_by_the_end_of_the_thursday_after(easter_2026):
    # Thu 2 Apr; Good Friday 3, weekend 4–5, Easter Monday 6: days 1–3 are Tue 7–Thu 9.
    assert workdays.deadline(uk("2026-04-02 16:30")) == uk("2026-04-10 00:00")


@pytest.mark.verifies("EVT-024")
def test_a_request_received_on_a_thursday_skips_a_normal_weekend(easter_2026):
    assert workdays.due_day(dt.date(2026, 3, 12)) == dt.date(2026, 3, 17)


@pytest.mark.verifies("EVT-024")
def test_a_request_received_on_a_saturday_counts_from_the_monday(easter_2026):
    assert workdays.due_day(dt.date(2026, 3, 14)) == dt.date(2026, 3, 19)


@pytest.mark.verifies("EVT-024")
def test_a_request_received_on_good_friday_counts_from_the_tuesday(easter_2026):
    assert workdays.due_day(dt.date(2026, 4, 3)) == dt.date(2026, 4, 10)


@pytest.mark.verifies("EVT-024")
def test_receipt_late_in_the_uk_evening_counts_on_the_uk_day(easter_2026):
    # 23:30 UTC on Wed 1 Apr is 00:30 BST on Thu 2 Apr.
    received = dt.datetime(2026, 4, 1, 23, 30, tzinfo=dt.UTC)
    assert workdays.deadline(received) == uk("2026-04-10 00:00")


@pytest.mark.verifies("EVT-024")
def test_without_holiday_rows_only_weekends_are_skipped(cast):
    assert workdays.due_day(dt.date(2026, 4, 2)) == dt.date(2026, 4, 7)


@pytest.mark.verifies("EVT-024")
def test_a_holiday_added_by_hand_moves_the_next_deadlines(cast):
    pms.set_bank_holiday(actor=cast.qa_lead, day="2026-03-16", name="Extra bank holiday")
    assert workdays.due_day(dt.date(2026, 3, 12)) == dt.date(2026, 3, 18)
