"""Only the people named when a revision was submitted sign its review or approval;
anyone else, however permitted, is refused with a clear message and nothing is signed."""

import pytest

from openqms.core.errors import TransitionNotAllowed
from openqms.core.models import Signature
from openqms.documents import actions
from openqms.testing import event_count
from tests.documents.conftest import SIGN
from tests.documents.named_review import submit


@pytest.mark.verifies("DOC-005", refusal=True)
def test_an_unnamed_reviewer_cannot_review(cast, draft):
    revision = submit(cast, draft)
    before = event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        actions.take_step(actor=cast.qa_lead, revision=revision, step="review", credentials=SIGN)
    assert refused.value.message == (
        "Only the people named as reviewers of SOP-001 rev A review it, and you are not one "
        "of them."
    )
    assert event_count() == before
    assert not Signature.objects.exists()


@pytest.mark.verifies("DOC-005", refusal=True)
def test_an_unnamed_approver_cannot_approve(cast, draft):
    revision = submit(cast, draft)
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    before = event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        actions.take_step(actor=cast.qa_lead, revision=revision, step="approve", credentials=SIGN)
    assert refused.value.message == (
        "Only the people named as approvers of SOP-001 rev A approve it, and you are not one "
        "of them."
    )
    revision.refresh_from_db()
    assert revision.state == "in_review"
    assert event_count() == before
    assert not Signature.objects.filter(meaning="approved").exists()


@pytest.mark.verifies("DOC-005")
def test_the_named_people_sign_and_their_rows_say_when(cast, draft):
    revision = submit(cast, draft)
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    approved = actions.take_step(
        actor=cast.approver, revision=revision, step="approve", credentials=SIGN
    )
    assert approved.state == "effective"
    assert all(a.signed_at is not None for a in approved.review_assignments.all())


def test_returning_to_draft_ends_the_named_rows_and_a_new_submission_names_again(cast, draft):
    revision = submit(cast, draft)
    revision = actions.take_step(
        actor=cast.reviewer, revision=revision, step="reject", reason="Section 2"
    )
    assert [a.end_reason for a in revision.review_assignments.all()] == [
        "Returned to draft",
        "Returned to draft",
    ]
    revision = submit(cast, revision, reviewers=[cast.qa_lead])
    with pytest.raises(TransitionNotAllowed, match="not one of them"):
        actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    actions.take_step(actor=cast.qa_lead, revision=revision, step="review", credentials=SIGN)
