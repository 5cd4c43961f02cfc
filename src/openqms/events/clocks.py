"""GB vigilance clocks (UK MDR 2002 Part 4A): a serious incident is reported no later
than N days after the day on which the manufacturer became aware of it.

Days are counted in UK time (Europe/London, whatever OPENQMS_TIME_ZONE says): the day
of awareness is the UK calendar day of `awareness_at`, and the deadline is the end of
the Nth day after it, i.e. UK midnight at the start of day N+1 (stored in UTC). So
awareness at 23:59 and at 00:01 a minute later are on different days, and a clock
running across the change to or from British Summer Time still ends at UK midnight.

Which rule: the ClockRule of the decision's category with the latest effective date on
or before the day of awareness; a rule dated later does not change a clock already
running."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from openqms.events.errors import ClockRuleMissing
from openqms.events.models import Category, ClockRule

UK = ZoneInfo("Europe/London")


def awareness_day(awareness_at: dt.datetime) -> dt.date:
    return awareness_at.astimezone(UK).date()


def deadline(awareness_at: dt.datetime, days: int) -> dt.datetime:
    """The end of the `days`-th day after the day of awareness: UK midnight, in UTC."""
    last_day = awareness_day(awareness_at) + dt.timedelta(days=days)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0), tzinfo=UK)
    return end.astimezone(dt.UTC)


def rule_in_force(category: str, awareness_at: dt.datetime) -> ClockRule:
    """The rule a complaint of `category` aware at `awareness_at` is held to."""
    day = awareness_day(awareness_at)
    rule = (
        ClockRule.objects.filter(category=category, effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )
    if rule is None:
        raise ClockRuleMissing(
            f"No vigilance clock rule for “{Category(category).label}” was in force on "
            f"{day:%d %b %Y}; add one under Vigilance → Clock rules."
        )
    return rule


def clock_for(category: str, awareness_at: dt.datetime) -> tuple[ClockRule, dt.datetime]:
    rule = rule_in_force(category, awareness_at)
    return rule, deadline(awareness_at, rule.days)
