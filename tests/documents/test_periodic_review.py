import pytest

from openqms.core.errors import InvalidInput, ReauthenticationFailed, TransitionNotAllowed
from openqms.core.signatures import Credentials, manifestations
from openqms.documents import actions
from openqms.documents.models import PeriodicReview
from openqms.testing import event_count, events_since
from tests.documents.conftest import SIGN

pytestmark = pytest.mark.verifies("DOC-012")


def test_no_change_needed_is_a_signed_record_and_sets_the_next_review(cast, effective):
    document = effective.document
    document.refresh_from_db()
    due = document.next_review
    before = event_count()
    review = actions.complete_periodic_review(
        actor=cast.reviewer,
        document=document,
        outcome="no_change",
        comment="Still accurate",
        credentials=SIGN,
    )
    assert [e.action for e in events_since(before)] == [
        "core.signature.signed",
        "documents.periodic_review.completed",
    ]
    [shown] = manifestations(review)
    assert (shown.printed_name, shown.meaning, shown.valid) == ("Riley Reviewer", "reviewed", True)
    document.refresh_from_db()
    assert document.next_review == due  # reviewed today: the next one is a period away
    assert review.due_date == due


def test_change_needed_starts_the_next_draft(cast, effective):
    actions.complete_periodic_review(
        actor=cast.qa_lead,
        document=effective.document,
        outcome="change_needed",
        comment="Clause 4.2.5 changed",
        credentials=SIGN,
    )
    draft = effective.document.revisions.get(label="B")
    assert (draft.state, draft.change_reason) == ("draft", "Periodic review: Clause 4.2.5 changed")
    effective.refresh_from_db()
    assert effective.state == "effective"


@pytest.mark.verifies("DOC-012", refusal=True)
def test_a_review_needs_the_password(cast, effective):
    before = event_count()
    with pytest.raises(ReauthenticationFailed):
        actions.complete_periodic_review(
            actor=cast.reviewer,
            document=effective.document,
            outcome="no_change",
            comment="ok",
            credentials=Credentials("wrong"),
        )
    assert not PeriodicReview.objects.exists()
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]


@pytest.mark.parametrize(
    ("outcome", "comment", "problem"), [("maybe", "x", "outcome"), ("no_change", " ", "comment")]
)
def test_bad_review_input_is_refused(cast, effective, outcome, comment, problem):
    before = event_count()
    with pytest.raises(InvalidInput, match=problem):
        actions.complete_periodic_review(
            actor=cast.reviewer,
            document=effective.document,
            outcome=outcome,
            comment=comment,
            credentials=SIGN,
        )
    assert event_count() == before


def test_a_document_without_an_effective_revision_cannot_be_reviewed(cast, draft):
    with pytest.raises(TransitionNotAllowed, match="no effective revision"):
        actions.complete_periodic_review(
            actor=cast.reviewer,
            document=draft.document,
            outcome="no_change",
            comment="ok",
            credentials=SIGN,
        )
    assert not PeriodicReview.objects.exists()
