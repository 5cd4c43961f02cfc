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
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from openqms.events.errors import ClockRuleMissing
from openqms.events.models import (
    REPORTABLE,
    Category,
    ClockRule,
    Complaint,
    IncidentReport,
    ReportabilityDecision,
    ReportState,
    ReportType,
)

UK = ZoneInfo("Europe/London")


def awareness_day(awareness_at: dt.datetime) -> dt.date:
    return awareness_at.astimezone(UK).date()


def deadline(awareness_at: dt.datetime, days: int) -> dt.datetime:
    """The end of the `days`-th day after the day of awareness: UK midnight, in UTC."""
    last_day = awareness_day(awareness_at) + dt.timedelta(days=days)
    end = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0), tzinfo=UK)
    return end.astimezone(dt.UTC)


def deadline_text(deadline_at: dt.datetime | None) -> str:
    """A deadline (UK midnight ending the last day) as people read it: "end of Fri 4 Dec
    2026 (UK time)" — the last day itself, not the midnight that follows it."""
    if deadline_at is None:
        return "—"
    last = (deadline_at - dt.timedelta(microseconds=1)).astimezone(UK)
    return f"end of {last:%a} {last.day} {last:%b %Y} (UK time)"


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


# --- Clocks running and stopped (the vigilance dashboard, My tasks, escalations) -------


@dataclass(frozen=True)
class Clock:
    """A complaint's vigilance clock: the decision in force, its deadline, and the
    initial report (None until one is drafted)."""

    complaint: Complaint
    decision: ReportabilityDecision
    initial: IncidentReport | None = None

    @property
    def deadline(self) -> dt.datetime:
        return self.decision.deadline_at  # type: ignore[return-value]

    @property
    def stopped(self) -> bool:
        return self.initial is not None and self.initial.state == ReportState.SUBMITTED

    def left(self, now: dt.datetime) -> dt.timedelta:
        return self.deadline - now

    def overdue(self, now: dt.datetime) -> bool:
        return not self.stopped and now >= self.deadline


def left_text(left: dt.timedelta) -> str:
    """ "3 days 4 hours left", "5 hours left", "overdue by 1 day 2 hours"."""
    seconds = abs(int(left.total_seconds()))
    days, hours, minutes = seconds // 86400, seconds % 86400 // 3600, seconds % 3600 // 60
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours or days:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if not days:
        parts.append(f"{minutes} min")
    shown = " ".join(parts[:2])
    return f"overdue by {shown}" if left.total_seconds() <= 0 else f"{shown} left"


def _submitted_initial() -> Exists:
    return Exists(
        IncidentReport.objects.filter(
            complaint=OuterRef("complaint"),
            report_type=ReportType.INITIAL,
            state=ReportState.SUBMITTED,
        )
    )


def running_decisions() -> QuerySet[ReportabilityDecision]:
    """Decisions in force that start a clock whose initial report is not submitted yet,
    soonest deadline first."""
    return (
        ReportabilityDecision.objects.filter(
            in_force=True, category__in=REPORTABLE, deadline_at__isnull=False
        )
        .exclude(_submitted_initial())
        .select_related("complaint", "complaint__device__responsible_person", "rule")
        .order_by("deadline_at", "pk")
    )


def open_clocks(limit: int | None = None) -> list[Clock]:
    """The running clocks (two queries however many)."""
    decisions = list(running_decisions()[:limit] if limit else running_decisions())
    drafts = {
        r.complaint_id: r
        for r in IncidentReport.objects.filter(
            complaint__in=[d.complaint_id for d in decisions], report_type=ReportType.INITIAL
        )
    }
    return [Clock(d.complaint, d, drafts.get(d.complaint_id)) for d in decisions]


def clock_of(complaint: Complaint) -> Clock | None:
    """The complaint's clock, when its decision in force is reportable; None otherwise."""
    decision = (
        ReportabilityDecision.objects.filter(complaint=complaint, in_force=True)
        .select_related("rule")
        .first()
    )
    if decision is None or not decision.reportable or decision.deadline_at is None:
        return None
    initial = IncidentReport.objects.filter(
        complaint=complaint, report_type=ReportType.INITIAL
    ).first()
    return Clock(complaint, decision, initial)


def submitted_initial_reports() -> QuerySet[IncidentReport]:
    return IncidentReport.objects.filter(
        report_type=ReportType.INITIAL, state=ReportState.SUBMITTED
    )


def on_time_rate() -> tuple[int, int]:
    """(initial reports submitted on time, initial reports submitted)."""
    found = submitted_initial_reports().aggregate(
        total=Count("pk"), on_time=Count("pk", filter=Q(on_time=True))
    )
    return found["on_time"], found["total"]
