"""The trends demo (order 43): 24 months of sales figures for both devices, the trend
method each PMS plan states (RhythmCheck: a baseline of 12 months with control limits;
the patch applicator: a threshold), and, where the complaints area's actions are
installed, a history of non-serious "app closes" complaints for RhythmCheck with a
rise in the last month, so its chart shows a signal waiting for a trend report.
Idempotent; skips what it cannot find."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.module_loading import import_string

from openqms.core.demo import DEMO_PASSWORD
from openqms.core.errors import DomainError
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.devices.models import Device
from openqms.events.actions import trends as actions
from openqms.events.models import TrendMethod

MONTHS = 24
# Non-serious "app closes" complaints per month, oldest first: steady, then a rise.
HISTORY = [2, 1, 2, 3, 1, 2, 2, 1, 3, 2, 2, 1, 2, 3, 2, 1, 2, 2, 3, 2, 1, 2, 3, 9]


def _months(today: dt.date) -> list[dt.date]:
    """The first days of the last MONTHS whole months, oldest first."""
    first = today.replace(day=1)
    found = []
    for _ in range(MONTHS):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        found.append(first)
    return found[::-1]


def _end(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def run() -> None:
    rhythm = Device.objects.filter(name="RhythmCheck", model="2.1").first()
    patch = Device.objects.filter(name="RhythmCheck patch applicator").first()
    qa = User.objects.filter(username="qa").first()
    if (
        qa is None
        or TrendMethod.objects.filter(device__in=[d for d in (rhythm, patch) if d]).exists()
    ):
        return
    months = _months(timezone.localdate())
    for device, base, growth in ((rhythm, 900, 15), (patch, 480, 5)):
        if device is None:
            continue
        for i, month in enumerate(months):
            actions.enter_exposure_figure(
                actor=qa,
                device=device,
                period_start=month,
                period_end=_end(month),
                units_sold=base + growth * i,
                market="GB",
                note="Monthly sales report (demo)",
            )
    if rhythm is not None:
        actions.set_trend_method(
            actor=qa,
            device=rhythm,
            plan_reference="RhythmCheck PMS plan, section 5.2 (trend reporting)",
            period="month",
            mode="baseline",
            baseline_periods=12,
            k="3",
        )
        if _history(qa, rhythm, months):
            _report(qa, rhythm, months[-1])
    if patch is not None:
        actions.set_trend_method(
            actor=qa,
            device=patch,
            plan_reference="Patch applicator PMS plan, section 6 (trend reporting)",
            period="quarter",
            mode="threshold",
            threshold="5",
        )


def _report(qa: User, device: Device, month: dt.date) -> None:
    """The trend report of last month's rise above the control limit (a draft)."""
    actions.open_trend_report(
        actor=qa,
        device=device,
        series="non_serious_incident",
        increase_from=month,
        increase_to=_end(month),
        conclusion="Export crashes rose after release 2.1.4; not a safety issue, no harm "
        "reported. A CAPA on the report export module is raised.",
        actions="Fix the export crash (CAPA); watch next month's rate.",
    )


def _close(close: Any, qa: User, complaint: Any) -> None:
    """Close a history complaint (signed by the QA lead, as every closure)."""
    close(
        actor=qa,
        complaint=complaint,
        closure_note="No reply needed: the user reported no harm (history).",
        credentials=Credentials(DEMO_PASSWORD),
    )


def _history(qa: User, device: Device, months: list[dt.date]) -> bool:
    """Whether the history complaints were made (the complaints area is installed)."""
    try:
        log = import_string("openqms.events.actions.complaints.log_feedback")
        classify = import_string("openqms.events.actions.complaints.classify_complaint")
        decide = import_string("openqms.events.actions.complaints.decide_reportability")
        edit = import_string("openqms.events.actions.complaints.edit_complaint")
        close = import_string("openqms.events.actions.complaints.close_complaint")
        questions = import_string("openqms.events.actions.complaints.QUESTIONS")
    except ImportError:  # the complaints area is not installed
        return False
    zone = timezone.get_current_timezone()
    for month, n in zip(months, HISTORY, strict=True):
        for j in range(n):
            at = dt.datetime.combine(month + dt.timedelta(days=3 + 2 * j), dt.time(10, 0), zone)
            try:
                feedback = log(
                    actor=qa,
                    title=f"App closes when exporting ({at:%b %Y}, {j + 1})",
                    source="user",
                    received_at=at,
                    description="The app closed while exporting a recording; no harm.",
                    device=device,
                )
                complaint = classify(
                    actor=qa,
                    feedback=feedback,
                    device=device,
                    what_happened="The app closed while exporting a report; restarted fine.",
                    awareness_at=at,
                    incident_type="non_serious_incident",
                    reason="Alleges a reliability deficiency of the device.",
                )
                # History is history: decided not reportable and closed, so it counts
                # for the trend without flooding qa with "Decide…" tasks.
                decide(
                    actor=qa,
                    complaint=complaint,
                    answers=dict.fromkeys(questions, False)
                    | {"device_related": True, "trend_candidate": True},
                    rationale="No harm; a usability failure. Not reportable; counted for trends.",
                    credentials=Credentials(DEMO_PASSWORD),
                )
                complaint = edit(
                    actor=qa,
                    complaint=complaint,
                    investigation="The app closed during export; the user restarted it.",
                    root_cause="Export crash, tracked through the trend report.",
                    capa_needed=False,
                    capa_reason="Counted for trends; the trend report decides on a CAPA.",
                )
                _close(close, qa, complaint)
            except DomainError:
                return False
    return True
