"""The complaints part of the demo story (Halden Health Ltd): a serious incident with
its 10-day clock running (4 days left), one reported and then closed by vigilance, a
non-serious trend candidate that needs a CAPA, feedback that is not a complaint, and an
expected side effect of the patch applicator. Idempotent; skips without the devices."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from openqms.core.demo import DEMO_PASSWORD
from openqms.core.models import User
from openqms.core.signatures import Credentials
from openqms.devices.models import Device
from openqms.events.actions import complaints as actions
from openqms.events.models import Complaint, Feedback

UK = ZoneInfo("Europe/London")
MISSED_AF = "Missed atrial fibrillation episode, patient admitted"
LEAD = "Electrode lead detached during recording"
APP = "App closes when exporting a report"
DARK = "Request for a dark mode"
REDNESS = "Patch applicator adhesive leaves skin redness"

NO = dict.fromkeys(actions.QUESTIONS, False)


def _days_ago(days: int, hour: int = 9, minute: int = 30) -> dt.datetime:
    day = timezone.now().astimezone(UK).date() - dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=UK)


def _complaint(
    author: User, qa: User, device: Device, title: str, aware: dt.datetime, **fields
) -> Complaint:
    feedback = actions.log_feedback(
        actor=author,
        title=title,
        source=fields.pop("source", "clinician"),
        received_at=aware,
        description=fields["what_happened"],
        reporter=fields.pop("reporter", ""),
        device=device,
    )
    return actions.classify_complaint(
        actor=qa, feedback=feedback, device=device, model=device.model, **fields
    )


def _decide(qa: User, complaint: Complaint, rationale: str, **answers: bool) -> None:
    actions.decide_reportability(
        actor=qa,
        complaint=complaint,
        answers=NO | answers,
        rationale=rationale,
        credentials=Credentials(DEMO_PASSWORD),
    )


def run() -> None:
    if Complaint.objects.filter(title=MISSED_AF).exists():
        return
    rhythm = Device.objects.filter(name="RhythmCheck").first()
    patch = Device.objects.filter(name="RhythmCheck patch applicator").first()
    qa, author = (
        User.objects.filter(username="qa").first(),
        User.objects.filter(username="author").first(),
    )
    if rhythm is None or qa is None or author is None:
        return
    missed = _complaint(
        author,
        qa,
        rhythm,
        MISSED_AF,
        _days_ago(6),
        what_happened="A 3-hour AF episode was not flagged; the patient was admitted.",
        incident_type="serious_incident",
        reporter="Cardiology, Halden General",
    )
    actions.edit_complaint(
        actor=qa,
        complaint=missed,
        patient_involved=True,
        patient_details="Male, 68, paroxysmal AF under monitoring.",
        patient_outcome="Admitted with a transient ischaemic attack; recovering.",
    )
    _decide(
        qa,
        missed,
        "The missed alert may have delayed treatment; deterioration not anticipated in "
        "the risk analysis.",
        device_related=True,
        serious_deterioration=True,
        unanticipated=True,
    )
    lead = _complaint(
        author,
        qa,
        rhythm,
        LEAD,
        _days_ago(3, 14, 0),
        what_happened="The electrode lead came off mid-recording; the patient fell while "
        "reattaching it.",
        incident_type="serious_incident",
        lot="L-2409",
    )
    _decide(
        qa,
        lead,
        "Injury requiring treatment; a known risk, so other serious incident.",
        device_related=True,
        serious_deterioration=True,
    )
    actions.edit_complaint(
        actor=qa,
        complaint=lead,
        patient_involved=True,
        patient_details="Adult patient on ambulatory ECG monitoring.",
        patient_outcome="Fell while reattaching the lead; minor injury treated, recovered.",
        investigation="Connector retention force below specification in lot L-2409.",
        root_cause="Supplier moulding change not notified.",
        capa_needed=False,
        capa_reason="Covered by the supplier nonconformity and its corrective action.",
        reply="Thank you; replacement leads sent and the lot withdrawn.",
        replied_at=timezone.now(),
    )
    app = _complaint(
        author,
        qa,
        rhythm,
        APP,
        _days_ago(20, 11, 15),
        what_happened="The app closes when a clinician exports a report to PDF.",
        incident_type="non_serious_incident",
        source="user",
    )
    _decide(
        qa,
        app,
        "No harm; a usability failure. Counted for trends.",
        device_related=True,
        trend_candidate=True,
    )
    actions.edit_complaint(
        actor=qa,
        complaint=app,
        investigation="Reproduced with reports over 200 pages.",
        root_cause="Memory exhaustion in the PDF export.",
        capa_needed=True,
        capa_reason="Recurring across sites.",
    )
    dark = actions.log_feedback(
        actor=author,
        title=DARK,
        source="user",
        received_at=_days_ago(12),
        description="Could the app have a dark mode for night shifts?",
    )
    actions.classify_not_complaint(
        actor=qa, feedback=dark, reason="A feature request; it alleges no deficiency."
    )
    if patch is not None and not Feedback.objects.filter(title=REDNESS).exists():
        redness = _complaint(
            author,
            qa,
            patch,
            REDNESS,
            _days_ago(9),
            what_happened="Mild skin redness under the patch after 48 hours.",
            incident_type="expected_side_effect",
        )
        _decide(
            qa,
            redness,
            "An expected side effect listed in the instructions for use; not serious.",
            device_related=True,
        )
