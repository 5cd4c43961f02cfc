"""Retention per record class (ISO 13485 4.2.5): the rule in force for each class and the
first day a record may be disposed of.

A module proposes each class's rule (`core.modules.RecordClass`); a `RetentionRule` row,
once an administrator or QA lead changes it (core.actions.retention), replaces the
proposal. Whatever the rule, a record concerning a device is kept at least the device's
lifetime and two years from its release (ISO 13485 4.2.5: "not less than the lifetime of
the medical device … but not less than two years from the medical device release").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from openqms.core import modules
from openqms.core.models import CountedFrom, RetentionRule
from openqms.core.modules import DeviceDates, RecordClass


@dataclass(frozen=True)
class Rule:
    """The rule in force for one class: the stored row, or the module's proposal."""

    record_class: RecordClass
    years: int
    counted_from: str
    regulation: str = ""
    regulation_minimum: int = 0
    stored: bool = False

    @property
    def minimum_years(self) -> int:
        """The floor: the class's own, or the named regulation's when higher."""
        return max(self.record_class.minimum_years, self.regulation_minimum)

    @property
    def text(self) -> str:
        """The rule as people say it: "10 years after the record is closed"."""
        if not self.years:
            return "kept for ever"
        return f"{self.years} years {CountedFrom(self.counted_from).label}"


def record_class(code: str) -> RecordClass:
    """The installed class with this code (LookupError if none)."""
    for found in modules.record_classes():
        if found.code == code:
            return found
    raise LookupError(code)


def _rule(cls: RecordClass, row: RetentionRule | None) -> Rule:
    if row is None:
        return Rule(cls, max(cls.years, cls.minimum_years) if cls.years else 0, cls.counted_from)
    return Rule(cls, row.years, row.counted_from, row.regulation, row.minimum_years, stored=True)


def rules() -> list[Rule]:
    """Every installed class's rule, in one query."""
    rows = {r.record_class: r for r in RetentionRule.objects.all()}
    return [_rule(cls, rows.get(cls.code)) for cls in modules.record_classes()]


def rule(code: str | RecordClass) -> Rule:
    """One class's rule. Pass the class itself when you have it: finding it by code asks
    every module for its classes again (documents' take a query)."""
    cls = record_class(code) if isinstance(code, str) else code
    return _rule(cls, RetentionRule.objects.filter(record_class=cls.code).first())


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _latest(days: list[dt.date | None]) -> dt.date | None:
    """The latest of the devices' dates; None if one of them has none yet."""
    return None if any(d is None for d in days) else max(days)  # type: ignore[type-var]


def unknown_dates(devices: Sequence[DeviceDates]) -> str:
    """Why the device floor cannot be counted yet ("" when it can): a device not yet
    released, or with no expected lifetime recorded."""
    for device in devices:
        if device.released is None:
            return f"{device.device} has no release date recorded"
        if not device.lifetime_years:
            return f"{device.device} has no expected lifetime recorded"
    return ""


def _end(rule: Rule, closed_on: dt.date | None, devices: Sequence[DeviceDates]) -> dt.date | None:
    if not rule.years or closed_on is None:
        return None  # kept for ever, or still in use
    start: dt.date | None = closed_on
    if devices and rule.counted_from == CountedFrom.END_OF_SUPPORT:
        start = _latest([d.support_ended for d in devices])
    elif devices and rule.counted_from == CountedFrom.LAST_PLACED:
        start = _latest([d.last_placed for d in devices])
    if start is None:
        return None  # a device is still supported, or still placed on the market
    end = add_years(max(start, closed_on), rule.years)
    for device in devices:
        released, lifetime = device.released, device.lifetime_years
        if released is None or not lifetime:
            # ISO 13485 4.2.5: "not less than the lifetime of the medical device … but not
            # less than two years from the medical device release": unknown until both
            # are recorded, so the record is kept (unknown_dates says why).
            return None
        end = max(end, add_years(released, 2))
        # The lifetime of the last device placed: unknown while it is still placed.
        if device.last_placed is None:
            return None
        end = max(end, add_years(device.last_placed, lifetime))
    return end


def ends_many(
    code: str | RecordClass, object_type: str, closed: Mapping[str, dt.date | None]
) -> dict[str, dt.date | None]:
    """For each record id (closed on the given day, None while in use), the first day it
    may be disposed of, or None: a constant number of queries however many records."""
    found = rule(code)
    ids = [str(i) for i in closed]
    devices = modules.devices_of(object_type, ids) if ids and found.years else {}
    return {i: _end(found, closed[i], devices.get(i, ())) for i in ids}


def ends(
    code: str | RecordClass, object_type: str, object_id: str | int, closed_on: dt.date | None
) -> dt.date | None:
    """The first day one record may be disposed of, or None (kept for ever, still in use,
    or a device it concerns still supported or placed on the market)."""
    return ends_many(code, object_type, {str(object_id): closed_on})[str(object_id)]


def closed_on(cls: RecordClass, ids: Sequence[str]) -> dict[str, dt.date | None]:
    """When each record of the class was closed, as its module says (None: in use)."""
    if cls.closed is None:
        return {i: None for i in ids}
    said = cls.closed(ids)
    return {i: said.get(i) for i in ids}


Closed = Callable[[Sequence[str]], Mapping[str, dt.date | None]]


def _day(value: dt.date | dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if isinstance(value, dt.datetime) else value


def closed_by(model: type[models.Model], *fields: str) -> Closed:
    """A RecordClass's `closed` for records closed by a date or time field: the earliest
    of `fields` already reached (a retirement, an expiry), None while none is. One query
    however many ids."""

    def closed(ids: Sequence[str]) -> Mapping[str, dt.date | None]:
        numbers = [int(i) for i in ids if i.isdigit() and len(i) < 19]
        today = timezone.localdate()
        rows = model._default_manager.filter(pk__in=numbers).values_list("pk", *fields)
        found: dict[str, dt.date | None] = {}
        for pk, *values in rows:
            days = [d for d in map(_day, values) if d is not None and d <= today]
            found[str(pk)] = min(days, default=None)
        return found

    return closed
