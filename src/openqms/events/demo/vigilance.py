"""The vigilance demo (order 41): the initial and final MHRA reports of "Electrode lead
detached during recording" (aware 3 days ago, other serious incident: 15 days), both
submitted on time at the seed time (see events/demo/__init__.py on the demo clock), then
the complaint closed by the QA lead when the complaints area's close action is installed.
Idempotent; skips quietly what the complaints demo did not make."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.module_loading import import_string

from openqms.core import demo
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.events.actions import vigilance as actions
from openqms.events.models import Complaint, ComplaintState, IncidentReport

TITLE = "Electrode lead detached during recording"
CLOSE = "openqms.events.actions.complaints.close_complaint"


def reports() -> None:
    complaint = Complaint.objects.filter(title=TITLE).first()
    qa = User.objects.filter(username="qa").first()
    if (
        complaint is None
        or qa is None
        or IncidentReport.objects.filter(complaint=complaint).exists()
    ):
        return
    if actions.next_report_refusal(complaint, "initial"):
        return  # not decided reportable in this instance
    sign = Credentials(demo.DEMO_PASSWORD)
    aware = complaint.awareness_at
    initial = actions.draft_report(
        actor=qa,
        complaint=complaint,
        report_type="initial",
        fields={
            "software_version": "2.1.4",
            "incident_date": aware.date(),
            "actions_taken": "Customer sent a replacement lead; returned lead quarantined.",
            "actions_planned": "Pull test of the returned lead and of retained samples.",
        },
    )
    actions.submit_report(
        actor=qa,
        report=initial,
        mhra_reference="MHRA-2026-INC-04417",
        submitted_at=timezone.now(),
        credentials=sign,
        comment="Sent through the MHRA manufacturer incident report portal.",
    )
    final = actions.draft_report(
        actor=qa,
        complaint=complaint,
        report_type="final",
        fields={
            "root_cause": "Strain relief of the lead connector below specification in lot "
            "L-2409; tightened incoming inspection.",
            "actions_taken": "Lot L-2409 quarantined; supplier corrective action raised.",
            "manufacturer_comments": "No further incidents with this lot.",
        },
    )
    actions.set_report_due(actor=qa, report=final, due_at=aware + dt.timedelta(days=30))
    actions.submit_report(
        actor=qa,
        report=final,
        mhra_reference="MHRA-2026-INC-04417",
        submitted_at=timezone.now(),
        credentials=sign,
        comment="Final report, same MHRA reference.",
    )
    _close(qa, complaint, sign)


def _close(qa: User, complaint: Complaint, sign: Credentials) -> None:
    """Close the complaint through the complaints area's own action, when installed."""
    if complaint.state != ComplaintState.OPEN:
        return
    try:
        close = import_string(CLOSE)
    except ImportError:
        return
    close(
        actor=qa,
        complaint=complaint,
        closure_note="Reported to the MHRA on time (initial and final reports); root cause "
        "fixed with the supplier.",
        credentials=sign,
    )
