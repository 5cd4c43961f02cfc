"""Helpers of the complaints tests: feedback logged, a complaint opened from it, a
decision signed, a complaint ready to close."""

import datetime as dt

from openqms.events.actions import complaints as actions

from .conftest import SIGN, uk

SERIOUS = {
    "device_related": True,
    "death": False,
    "serious_deterioration": True,
    "public_health_threat": False,
    "unanticipated": True,
    "trend_candidate": False,
}
NOT_SERIOUS = dict.fromkeys(SERIOUS, False) | {"device_related": True}


def log(cast, **fields):
    data = {
        "title": "Missed AF episode",
        "source": "clinician",
        "received_at": uk("2026-03-02 09:30"),
        "description": "The device did not flag an AF episode.",
        "reporter": "Dr Patel",
    }
    return actions.log_feedback(actor=cast.author, **(data | fields))


def open_complaint(cast, device, **fields):
    feedback = log(cast)
    data = {"device": device, "what_happened": "AF episode missed; patient admitted."}
    return actions.classify_complaint(actor=cast.qa_lead, feedback=feedback, **(data | fields))


def decide(cast, complaint, answers=SERIOUS, rationale="Admitted to hospital.", actor=None):
    return actions.decide_reportability(
        actor=actor or cast.qa_lead,
        complaint=complaint,
        answers=answers,
        rationale=rationale,
        credentials=SIGN,
    )


def ready_to_close(cast, device, **edits):
    complaint = open_complaint(cast, device)
    decide(cast, complaint, NOT_SERIOUS, "No serious outcome.")
    data = {
        "investigation": "Logs reviewed.",
        "root_cause": "Threshold too high.",
        "capa_needed": False,
        "capa_reason": "Known issue, fixed in 2.2.",
        "reply": "Thank you; fixed in 2.2.",
    }
    return actions.edit_complaint(actor=cast.qa_lead, complaint=complaint, **(data | edits))


def final_report_submitted(cast, complaint):
    """Vigilance's guard on closing: a reportable complaint closes only after its final
    incident report went to the MHRA (initial, then final, through vigilance's actions)."""
    from openqms.events.actions import vigilance

    complaint = type(complaint).objects.get(pk=complaint.pk)
    for n, report_type in enumerate(("initial", "final"), start=1):
        report = vigilance.draft_report(
            actor=cast.qa_lead, complaint=complaint, report_type=report_type
        )
        vigilance.submit_report(
            actor=cast.qa_lead,
            report=report,
            mhra_reference=f"MHRA-{n}",
            submitted_at=complaint.awareness_at + dt.timedelta(days=n),
            credentials=SIGN,
        )
