import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.events.actions import complaints as actions
from openqms.events.models import Complaint, Feedback
from openqms.testing import changes_of, event_count, events_since, last_event

from .complaints_setup import log
from .conftest import uk


@pytest.mark.verifies("EVT-001")
def test_anyone_in_the_qms_logs_feedback_with_one_event(cast):
    before = event_count()
    feedback = log(cast)
    assert feedback.number.startswith("FB-") and feedback.classification == "pending"
    [event] = events_since(before)
    assert (event.action, event.object_id) == ("events.feedback.logged", str(feedback.pk))
    assert changes_of(event)["source"] == [None, "clinician"]


@pytest.mark.verifies("EVT-001")
def test_feedback_without_a_description_is_refused_and_nothing_is_written(cast):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        log(cast, description=" ")
    assert "description" in refused.value.fields
    assert (event_count(), Feedback.objects.count()) == (before, 0)


@pytest.mark.verifies("EVT-001", refusal=True)
def test_the_outsider_cannot_log_feedback(cast):
    with pytest.raises(PermissionRefused):
        actions.log_feedback(
            actor=cast.outsider,
            title="x",
            source="user",
            received_at=uk("2026-03-02 09:30"),
            description="y",
        )
    assert Feedback.objects.count() == 0


@pytest.mark.verifies("EVT-001")
def test_feedback_classified_not_a_complaint_keeps_the_reason(cast):
    feedback = log(cast)
    actions.classify_not_complaint(actor=cast.qa_lead, feedback=feedback, reason="A wish.")
    feedback.refresh_from_db()
    assert (feedback.classification, feedback.classification_reason) == ("not_complaint", "A wish.")
    event = last_event()
    assert (event.action, changes_of(event), event.reason) == (
        "events.feedback.classified",
        {"classification": ["pending", "not_complaint"]},
        "A wish.",
    )


@pytest.mark.verifies("EVT-001")
def test_not_a_complaint_needs_a_reason(cast):
    feedback = log(cast)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.classify_not_complaint(actor=cast.qa_lead, feedback=feedback, reason="")
    assert "reason" in refused.value.fields
    feedback.refresh_from_db()
    assert (feedback.classification, event_count()) == ("pending", before)


@pytest.mark.verifies("EVT-001")
def test_the_author_cannot_classify_feedback(cast, device):
    feedback = log(cast)
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.classify_complaint(
            actor=cast.author, feedback=feedback, device=device, what_happened="x"
        )
    assert (event_count(), Complaint.objects.count()) == (before, 0)


@pytest.mark.verifies("EVT-002")
def test_a_complaint_opens_with_awareness_defaulting_to_received(cast, device):
    feedback = log(cast)
    before = event_count()
    complaint = actions.classify_complaint(
        actor=cast.qa_lead,
        feedback=feedback,
        device=device,
        what_happened="Missed",
        lot="L1",
        incident_type="serious_incident",
    )
    assert complaint.number.startswith("CMP-")
    assert complaint.awareness_at == uk("2026-03-02 09:30")
    classified, opened = events_since(before)
    assert (classified.action, changes_of(classified)) == (
        "events.feedback.classified",
        {"classification": ["pending", "complaint"]},
    )
    assert (opened.action, opened.object_id) == ("events.complaint.opened", str(complaint.pk))
    assert changes_of(opened)["lot"] == [None, "L1"]


@pytest.mark.verifies("EVT-002")
def test_the_awareness_time_given_is_kept(cast, device):
    complaint = actions.classify_complaint(
        actor=cast.qa_lead,
        feedback=log(cast),
        device=device,
        what_happened="Missed",
        awareness_at="2026-03-03 08:00",
    )
    assert complaint.awareness_at == uk("2026-03-03 08:00")


@pytest.mark.verifies("EVT-002", refusal=True)
def test_a_complaint_needs_its_device(cast):
    feedback = log(cast)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.classify_complaint(
            actor=cast.qa_lead, feedback=feedback, device=None, what_happened="x"
        )
    assert "device" in refused.value.fields
    feedback.refresh_from_db()
    assert (feedback.classification, event_count()) == ("pending", before)


@pytest.mark.verifies("EVT-001")
def test_not_a_complaint_may_be_reclassified_with_a_reason(cast, device):
    feedback = log(cast)
    actions.classify_not_complaint(actor=cast.qa_lead, feedback=feedback, reason="A wish.")
    with pytest.raises(InvalidInput):
        actions.classify_complaint(
            actor=cast.qa_lead, feedback=feedback, device=device, what_happened="x"
        )
    complaint = actions.classify_complaint(
        actor=cast.qa_lead,
        feedback=feedback,
        device=device,
        what_happened="x",
        reason="Patient harmed after all.",
    )
    assert complaint.feedback_id == feedback.pk
    classified = events_since(event_count() - 2)[0]
    assert (changes_of(classified), classified.reason) == (
        {"classification": ["not_complaint", "complaint"]},
        "Patient harmed after all.",
    )


@pytest.mark.verifies("EVT-001")
def test_a_complaint_cannot_be_classified_twice(cast, device):
    feedback = log(cast)
    actions.classify_complaint(
        actor=cast.qa_lead, feedback=feedback, device=device, what_happened="x"
    )
    with pytest.raises(TransitionNotAllowed):
        actions.classify_not_complaint(actor=cast.qa_lead, feedback=feedback, reason="No")
