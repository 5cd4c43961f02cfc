"""Calendar arithmetic the QMS needs (review intervals, validity periods)."""

from __future__ import annotations

import calendar
import datetime as dt


def months_later(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or that month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
