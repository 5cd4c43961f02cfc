"""QA replaces a named reviewer or approver who has not signed, with a reason: audited,
the old row kept and ended, the new person signs in their place."""

import pytest

from openqms.core.errors import PermissionRefused, TransitionNotAllowed
from openqms.documents import actions
from openqms.documents.models import ReviewAssignment
from openqms.testing import changes_of, event_count, last_event
from tests.documents.conftest import SIGN
from tests.documents.named_review import submit


def test_qa_replaces_a_reviewer_with_a_reason(cast, draft):
    revision = submit(cast, draft)
    old = ReviewAssignment.objects.get(role="reviewer")
    new = actions.reassign_reviewer(
        actor=cast.qa_lead, assignment=old, person=cast.qa_lead, reason="Riley is on leave"
    )
    event = last_event()
    assert (event.action, event.reason) == ("documents.review.reassigned", "Riley is on leave")
    assert changes_of(event) == {"role": "reviewer", "reviewer": ["reviewer", "qa-lead"]}
    old.refresh_from_db()
    assert old.end_reason == "Replaced by Quinn Avery: Riley is on leave"
    assert (new.position, new.due_date) == (old.position, old.due_date)
    with pytest.raises(TransitionNotAllowed, match="not one of them"):
        actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    actions.take_step(actor=cast.qa_lead, revision=revision, step="review", credentials=SIGN)


def test_only_qa_reassigns(cast, draft):
    submit(cast, draft)
    old = ReviewAssignment.objects.get(role="reviewer")
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.reassign_reviewer(
            actor=cast.author, assignment=old, person=cast.qa_lead, reason="Faster"
        )
    assert event_count() == before and ReviewAssignment.objects.count() == 2


def test_a_signed_review_is_not_reassigned(cast, draft):
    revision = submit(cast, draft)
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    old = ReviewAssignment.objects.get(role="reviewer")
    with pytest.raises(TransitionNotAllowed, match="has already signed"):
        actions.reassign_reviewer(
            actor=cast.qa_lead, assignment=old, person=cast.qa_lead, reason="Again"
        )
