"""What trend reporting puts in My tasks: for those who handle quality events, each
significant increase no trend report covers yet; for those who record MHRA
submissions, draft trend reports ready to submit (a signature)."""

from __future__ import annotations

from django.urls import reverse

from openqms.core.access import has_permission
from openqms.core.inbox import Task
from openqms.core.models import User
from openqms.core.modules import Panel
from openqms.devices.models import Device
from openqms.events import chart
from openqms.events.access import is_reader
from openqms.events.models import TrendMethod, TrendReport, TrendReportState
from openqms.events.registry import MANAGE, REPORT, TREND_SUBMITTED

SHOWN = 10


def open_signals() -> list[tuple[Device, chart.Trend, chart.Increase]]:
    """Every significant increase with no trend report yet, across devices (a fixed
    number of queries)."""
    methods = list(TrendMethod.objects.filter(superseded_at__isnull=True).select_related("device"))
    found = chart.trends_for([m.device_id for m in methods], methods)
    devices = {m.device_id: m.device for m in methods}
    return [
        (devices[device_id], t, i)
        for device_id, trends in found.items()
        for t in trends
        for i in t.unreported
    ]


def trend_tasks(user: User) -> list[Task]:
    tasks: list[Task] = []
    if has_permission(user, MANAGE):
        for device, trend, increase in open_signals():
            tasks.append(
                Task(
                    "Trend reports to write",
                    f"Write a trend report: {device}, {trend.series_label} above the limit "
                    f"in {increase.first.label}"
                    + (f" to {increase.last.label}" if increase.last != increase.first else ""),
                    reverse("events:device-trend", args=[device.pk]),
                )
            )
    if has_permission(user, REPORT):
        drafts = TrendReport.objects.filter(state=TrendReportState.DRAFT).exclude(conclusion="")
        for r in drafts.select_related("device"):
            tasks.append(
                Task(
                    "Trend reports to submit",
                    f"Submit {r.number} to the MHRA ({r.device})",
                    reverse("events:trend-report", args=[r.pk]),
                    signs=r,
                    meaning=TREND_SUBMITTED,
                )
            )
    return tasks


def dashboard_panels(user: User) -> list[Panel]:
    """The QMS dashboard's trends panel: significant increases not yet reported, and
    trend reports not yet submitted."""
    if not is_reader(user):
        return []
    signals = open_signals()
    drafts = TrendReport.objects.filter(state=TrendReportState.DRAFT)
    return [
        Panel(
            title="Trends",
            template="events/trends/panel.html",
            context={
                "signals": signals[:SHOWN],
                "signals_count": len(signals),
                "drafts": list(drafts.select_related("device").order_by("opened_at")[:SHOWN]),
                "drafts_count": drafts.count(),
            },
            url=reverse("events:trends"),
            order=46,
        )
    ]
