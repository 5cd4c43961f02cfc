"""The pages: feedback logged and classified, a complaint edited, decided and closed with
the signing dialog, errors shown again with what was typed; outsiders meet 404."""

import pytest

from openqms.events.models import Complaint, Feedback, ReportabilityDecision
from openqms.testing import PASSWORD, event_count

from .complaints_setup import final_report_submitted, log, open_complaint, ready_to_close
from .conftest import SIGN  # noqa: F401


@pytest.mark.verifies("EVT-001")
def test_feedback_is_logged_and_classified_from_the_pages(cast, device, signed_in):
    client = signed_in(cast.author)
    response = client.post(
        "/events/feedback/new/",
        {
            "title": "Lead fell off",
            "source": "user",
            "received_at": "2026-03-02T09:30",
            "description": "The lead fell off.",
        },
    )
    feedback = Feedback.objects.get()
    assert response.url == f"/events/feedback/{feedback.pk}/"
    client = signed_in(cast.qa_lead)
    response = client.post(
        f"/events/feedback/{feedback.pk}/classify/",
        {"device": device.pk, "incident_type": "none", "what_happened": "Lead fell off."},
    )
    complaint = Complaint.objects.get()
    assert response.url == f"/events/complaints/{complaint.pk}/"
    assert "Lead fell off" in client.get(response.url).content.decode()


def test_a_bad_form_shows_its_errors_with_what_was_typed(cast, signed_in):
    client = signed_in(cast.author)
    before = event_count()
    html = client.post(
        "/events/feedback/new/",
        {"title": "Kept title", "source": "user", "received_at": "2026-03-02T09:30"},
    ).content.decode()
    assert "Kept title" in html and "This field is required" in html
    assert event_count() == before


@pytest.mark.verifies("EVT-001")
def test_not_a_complaint_without_a_reason_is_shown_again(cast, signed_in):
    feedback = log(cast)
    html = (
        signed_in(cast.qa_lead)
        .post(f"/events/feedback/{feedback.pk}/not-complaint/", {})
        .content.decode()
    )
    assert "This field is required" in html
    feedback.refresh_from_db()
    assert feedback.classification == "pending"


@pytest.mark.verifies("EVT-006", "EVT-008")
def test_the_decision_and_closure_are_signed_from_the_page(cast, device, signed_in):
    complaint = ready_to_close(cast, device)
    client = signed_in(cast.qa_lead)
    html = client.get(f"/events/complaints/{complaint.pk}/").content.decode()
    assert "Sign a reportability decision" in html and "Sign the closure" in html
    from openqms.core.signatures import content_hash

    shown = content_hash(Complaint.objects.get().signature_content())
    answers = dict.fromkeys(
        ["device_related", "serious_deterioration", "unanticipated"], "yes"
    ) | dict.fromkeys(["death", "public_health_threat", "trend_candidate"], "no")
    client.post(
        f"/events/complaints/{complaint.pk}/decide/",
        answers | {"rationale": "Admitted.", "password": PASSWORD, "content_hash": shown},
    )
    assert ReportabilityDecision.objects.get(in_force=True).category == "death_or_unanticipated"
    final_report_submitted(cast, complaint)  # vigilance's guard on closing
    client.post(
        f"/events/complaints/{complaint.pk}/close/",
        {"closure_note": "Done.", "password": PASSWORD, "content_hash": shown},
    )
    complaint.refresh_from_db()
    assert complaint.state == "closed"
    html = client.get(f"/events/complaints/{complaint.pk}/").content.decode()
    assert "superseded" in html and "in force" in html


@pytest.mark.verifies("EVT-003")
def test_the_edit_form_saves_and_the_author_sees_no_forms(cast, device, signed_in):
    complaint = open_complaint(cast, device)
    client = signed_in(cast.qa_lead)
    client.post(
        f"/events/complaints/{complaint.pk}/edit/",
        {"incident_type": "none", "investigation": "Read the logs.", "capa_needed": ""},
    )
    complaint.refresh_from_db()
    assert complaint.investigation == "Read the logs."
    html = signed_in(cast.author).get(f"/events/complaints/{complaint.pk}/").content.decode()
    assert "Sign a reportability decision" not in html and "Investigation and reply" not in html
    assert (
        signed_in(cast.author).post(f"/events/complaints/{complaint.pk}/edit/", {}).status_code
        == 404
    )


@pytest.mark.verifies("EVT-038", refusal=True)
def test_the_outsider_meets_404(cast, device, signed_in):
    complaint = open_complaint(cast, device)
    client = signed_in(cast.outsider)
    for url in ("/events/feedback/", "/events/complaints/", f"/events/complaints/{complaint.pk}/"):
        assert client.get(url).status_code == 404
