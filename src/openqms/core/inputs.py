"""Typed input for actions: every value a person typed (a page, the API, a command) is
checked here before anything is written, and refused with a message naming the field.
Actions of every module use these, so one rule holds everywhere ("The awareness date
and time is not a date and time (YYYY-MM-DD HH:MM)")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.utils import timezone

from openqms.core.errors import InvalidInput
from openqms.core.text import clean_text


def _name(field: str) -> str:
    return field.replace("_", " ")


def text(value: Any, field: str, *, required: bool = True, limit: int = 200) -> str:
    return clean_text(str(value or ""), field, required=required, limit=limit)


def long_text(value: Any, field: str, *, required: bool = False, limit: int = 10_000) -> str:
    return clean_text(str(value or ""), field, required=required, limit=limit)


def choice(value: Any, choices: type[models.TextChoices], field: str) -> str:
    if value not in choices.values:
        allowed = ", ".join(choices.values)
        raise InvalidInput(
            f"The {_name(field)} must be one of: {allowed}.",
            fields={field: f"One of: {allowed}."},
        )
    return str(value)


def date(value: Any, field: str, *, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise InvalidInput(f"Give the {_name(field)}.", fields={field: "Required."})
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(
            f"The {_name(field)} is not a date (YYYY-MM-DD).", fields={field: "Not a date."}
        ) from None


def moment(
    value: Any, field: str, *, required: bool = True, not_future: bool = False
) -> dt.datetime | None:
    """A date and time; one typed without an offset is read in OPENQMS_TIME_ZONE (what a
    person's clock on the wall said). `not_future` refuses one later than now (a few
    minutes of clock difference allowed)."""
    if value in (None, ""):
        if required:
            raise InvalidInput(f"Give the {_name(field)}.", fields={field: "Required."})
        return None
    if isinstance(value, dt.datetime):
        found = value
    else:
        try:
            found = dt.datetime.fromisoformat(str(value).strip().replace(" ", "T", 1))
        except ValueError:
            raise InvalidInput(
                f"The {_name(field)} is not a date and time (YYYY-MM-DD HH:MM).",
                fields={field: "Not a date and time."},
            ) from None
    if timezone.is_naive(found):
        found = timezone.make_aware(found, timezone.get_current_timezone())
    if not_future and found > timezone.now() + dt.timedelta(minutes=5):
        raise InvalidInput(
            f"The {_name(field)} is in the future.", fields={field: "Not in the future."}
        )
    return found


def count(value: Any, field: str, *, limit: int = 1_000_000) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = -1
    if number < 0 or number > limit:
        raise InvalidInput(
            f"The {_name(field)} must be a whole number from 0.",
            fields={field: "A whole number from 0."},
        )
    return number


def flag(value: Any, field: str) -> bool:
    """A yes/no answer: True/False, "yes"/"no", "true"/"false", "on"/"1"/"0"/""."""
    if isinstance(value, bool):
        return value
    found = str(value or "").strip().lower()
    if found in ("yes", "true", "on", "1"):
        return True
    if found in ("no", "false", "off", "0", ""):
        return False
    raise InvalidInput(f"Answer the {_name(field)} with yes or no.", fields={field: "Yes or no."})
