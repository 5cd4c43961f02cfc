"""Working days for the MHRA's PMS requests: the manufacturer must send the documents
asked for within 3 working days (UK MDR 2002 Part 4A). A working day is Monday to
Friday and not a bank holiday of England and Wales (the BankHoliday rows: seeded from
the `holidays` package, a well-kept list of UK holidays per nation, and editable, since
a holiday can be proclaimed at short notice).

How the days are counted, on UK wall-clock days (Europe/London):

- received on a working day: that day is day 0 and day 1 is the next working day;
- received on a weekend or a bank holiday: the request counts as received on the next
  working day (day 0), and day 1 is the working day after it;
- the deadline is the end of day 3 (UK midnight ending it).

So a request received on Thursday 2 April 2026 (Good Friday 3 April and Easter Monday
6 April are holidays) is due by the end of Thursday 9 April; one received on Thursday
12 March 2026 by the end of Tuesday 17 March; one received on Saturday 14 March by the
end of Thursday 19 March."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import holidays as holiday_lists

from openqms.events.clocks import UK
from openqms.events.models import BankHoliday

WORKING_DAYS = 3
ONE_DAY = dt.timedelta(days=1)


def bank_holidays(start: dt.date, end: dt.date) -> set[dt.date]:
    """The bank holidays from `start` to `end` (inclusive), from the configuration rows."""
    found = BankHoliday.objects.filter(date__gte=start, date__lte=end)
    return set(found.values_list("date", flat=True))


def is_working_day(day: dt.date, off: Iterable[dt.date]) -> bool:
    return day.weekday() < 5 and day not in off


def _next_working_day(day: dt.date, off: set[dt.date]) -> dt.date:
    day += ONE_DAY
    while not is_working_day(day, off):
        day += ONE_DAY
    return day


def due_day(received: dt.date, days: int = WORKING_DAYS) -> dt.date:
    """The last working day to answer a request received on UK day `received`."""
    # A month covers any run of weekends and holidays a deadline of a few days can meet.
    off = bank_holidays(received, received + dt.timedelta(days=days * 7 + 31))
    day = received if is_working_day(received, off) else _next_working_day(received, off)
    for _ in range(days):
        day = _next_working_day(day, off)
    return day


def deadline(received_at: dt.datetime, days: int = WORKING_DAYS) -> dt.datetime:
    """The UK midnight ending the `days`th working day after receipt."""
    last = due_day(received_at.astimezone(UK).date(), days)
    return dt.datetime.combine(last + ONE_DAY, dt.time(0), tzinfo=UK).astimezone(dt.UTC)


def official(years: Iterable[int]) -> list[tuple[dt.date, str]]:
    """England and Wales bank holidays for `years` from the `holidays` package."""
    found = holiday_lists.country_holidays("GB", subdiv="ENG", years=list(years))
    return sorted(found.items())
