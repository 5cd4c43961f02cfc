"""Design reviews: a signed record; each named person signs, the last one completes it."""

import pytest

from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import Signature
from openqms.design.actions import items as design
from openqms.design.actions import reviews
from openqms.design.models import DesignReview, ReviewState, SignState
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import SIGN, item


@pytest.fixture
def review(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    phase = reviews.create_phase(actor=cast.author, project=project, name="Design inputs")
    return reviews.create_review(
        actor=cast.author,
        project=project,
        title="Design input review",
        phase=phase,
        items=[req],
        participants=[cast.author, cast.approver],
        independent_reviewer=cast.reviewer,
        outcome="passed_with_actions",
        findings=[{"text": "REQ-1 needs a tolerance.", "owner": cast.author, "due": "2027-01-31"}],
    )


@pytest.mark.verifies("DES-027")
def test_a_review_is_recorded_with_its_participants_and_findings(cast, review):
    event = last_event()
    assert event.action == "design.review.created"
    assert changes_of(event)["independent_reviewer"] == [None, cast.reviewer.username]
    assert changes_of(event)["findings"] == [
        None,
        [["REQ-1 needs a tolerance.", cast.author.username, "2027-01-31"]],
    ]
    assert review.participants.count() == 3 and review.state == ReviewState.DRAFT


@pytest.mark.verifies("DES-027")
def test_every_named_person_signs_and_the_last_signature_completes_it(cast, review):
    reviews.submit_review(actor=cast.author, review=review)
    assert last_event().action == "design.review.submitted"
    reviews.sign_review(actor=cast.author, review=review, credentials=SIGN)
    reviews.sign_review(actor=cast.approver, review=review, credentials=SIGN)
    review.refresh_from_db()
    assert review.state == ReviewState.SIGNING
    assert last_event().action == "design.review.signed"
    reviews.sign_review(actor=cast.reviewer, review=review, credentials=SIGN)
    review.refresh_from_db()
    assert review.state == ReviewState.COMPLETE and review.completed_at is not None
    assert last_event().action == "design.review.completed"
    assert Signature.objects.filter(meaning="design_review_signed").count() == 3
    assert set(review.participants.values_list("state", flat=True)) == {SignState.SIGNED}


@pytest.mark.verifies("DES-027", refusal=True)
def test_someone_not_named_cannot_sign_a_review(cast, review):
    reviews.submit_review(actor=cast.author, review=review)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="not named"):
        reviews.sign_review(actor=cast.qa_lead, review=review, credentials=SIGN)
    assert (Signature.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-027", refusal=True)
def test_a_draft_review_is_not_signed_and_nobody_signs_twice(cast, review):
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="not waiting for signatures"):
        reviews.sign_review(actor=cast.author, review=review, credentials=SIGN)
    assert (Signature.objects.count(), event_count()) == (0, before)
    reviews.submit_review(actor=cast.author, review=review)
    reviews.sign_review(actor=cast.author, review=review, credentials=SIGN)
    with pytest.raises(TransitionNotAllowed):
        reviews.sign_review(actor=cast.author, review=review, credentials=SIGN)
    assert Signature.objects.count() == 1


@pytest.mark.verifies("DES-027", refusal=True)
def test_an_independent_reviewer_who_wrote_a_reviewed_item_is_refused(cast, project):
    req = design.create_item(
        actor=cast.reviewer, project=project, uid="REQ-1", item_type="design_input"
    )
    before = event_count()
    with pytest.raises(InvalidInput, match="must not have written what is reviewed"):
        reviews.create_review(
            actor=cast.author,
            project=project,
            title="Review",
            items=[req],
            participants=[cast.author],
            independent_reviewer=cast.reviewer,
            outcome="passed",
        )
    assert (DesignReview.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-027", refusal=True)
def test_the_independent_reviewer_is_not_also_a_participant(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    with pytest.raises(InvalidInput, match="not also one of the participants"):
        reviews.create_review(
            actor=cast.author,
            project=project,
            title="Review",
            items=[req],
            participants=[cast.reviewer],
            independent_reviewer=cast.reviewer,
            outcome="passed",
        )
    assert DesignReview.objects.count() == 0


@pytest.mark.verifies("DES-029")
def test_a_phase_is_closed_once(cast, project):
    phase = reviews.create_phase(actor=cast.author, project=project, name="Planning")
    reviews.close_phase(actor=cast.author, phase=phase)
    assert last_event().action == "design.phase.closed"
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="already closed"):
        reviews.close_phase(actor=cast.author, phase=phase)
    assert event_count() == before
