"""Vigilance tests' helpers: complaints and signed reportability decisions made with the
ORM and core's signed-step path (the complaints area's actions are not on this branch),
and an incident report drafted and submitted through vigilance's actions."""

import datetime as dt

import pytest
from django.urls import NoReverseMatch
from django.utils import timezone

from openqms.core.signing import perform
from openqms.events import clocks, trail
from openqms.events.actions import vigilance as actions
from openqms.events.models import (
    Category,
    Complaint,
    Feedback,
    ReportabilityDecision,
    Source,
)
from openqms.events.registry import DECIDED

from .conftest import SIGN

FLAGS = {
    Category.PUBLIC_HEALTH: {"public_health_threat": True},
    Category.DEATH_OR_UNANTICIPATED: {"death": True, "unanticipated": True},
    Category.OTHER_SERIOUS: {"serious_deterioration": True},
    Category.NOT_REPORTABLE: {},
}
_numbers = iter(range(1, 10_000))


def make_complaint(cast, device, awareness_at, *, title="Missed atrial fibrillation episode"):
    n = next(_numbers)
    now = timezone.now()
    common = {
        "title": title,
        "device": device,
        "owner": cast.qa_lead,
        "opened_by": cast.qa_lead,
        "opened_at": now,
        "source": Source.CLINICIAN,
        "reporter": "Dr Lee",
        "received_at": awareness_at,
    }
    feedback = Feedback.objects.create(
        number=f"FB-T-{n:04d}", description="It missed an episode.", **common
    )
    return Complaint.objects.create(
        number=f"CMP-T-{n:04d}",
        feedback=feedback,
        awareness_at=awareness_at,
        what_happened="The recording missed an atrial fibrillation episode.",
        serial="SN-100",
        lot="L-2603",
        patient_involved=True,
        patient_details="Patient 71, female.",
        patient_outcome="Admitted to hospital; recovered.",
        **common,
    )


def decide(cast, complaint, category, *, decided_at=None):
    """A signed reportability decision in force (create-and-sign through core)."""
    reportable = category != Category.NOT_REPORTABLE
    rule, deadline = (
        clocks.clock_for(category, complaint.awareness_at) if reportable else (None, None)
    )
    flags = {
        "death": False,
        "serious_deterioration": False,
        "public_health_threat": False,
        "unanticipated": False,
        **FLAGS[category],
    }
    return perform(
        actor=cast.qa_lead,
        record=complaint,
        meaning=DECIDED,
        credentials=SIGN,
        signed=lambda c: ReportabilityDecision(
            complaint=c,
            device_related=True,
            trend_candidate=False,
            category=category,
            rationale="Judged by the QA lead.",
            rule=rule,
            deadline_at=deadline,
            decided_by=cast.qa_lead,
            decided_at=decided_at or complaint.awareness_at + dt.timedelta(hours=1),
            **flags,
        ),
        change=lambda locked, decision: decision,
    )


def reportable_complaint(cast, device, awareness_at, category=Category.DEATH_OR_UNANTICIPATED):
    complaint = make_complaint(cast, device, awareness_at)
    decide(cast, complaint, category)
    return complaint


def submitted(cast, complaint, report_type="initial", *, at=None, **fields):
    report = actions.draft_report(
        actor=cast.qa_lead, complaint=complaint, report_type=report_type, fields=fields
    )
    return actions.submit_report(
        actor=cast.qa_lead,
        report=report,
        mhra_reference="MHRA-1",
        submitted_at=at or complaint.awareness_at + dt.timedelta(days=1),
        credentials=SIGN,
    )


@pytest.fixture
def complaint_pages(monkeypatch):
    """The complaints area's pages are built on another branch: until they are merged,
    a complaint's link (in the record tail) points at a stand-in address."""
    real = trail.reverse

    def reverse_or_stand_in(name, *args, **kwargs):
        try:
            return real(name, *args, **kwargs)
        except NoReverseMatch:
            return f"/stand-in/{name}/"

    monkeypatch.setattr(trail, "reverse", reverse_or_stand_in)
