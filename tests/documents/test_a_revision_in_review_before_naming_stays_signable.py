"""Review finding 2: migration 0017 named nobody on revisions already in review, and
the new guards refused anyone not named, so such a revision could only be returned to
draft (voiding its review signatures). Until it is returned, the rule before naming
holds for a revision in review with nobody named: anyone with the permission reviews
or approves it, a review comes first, and one approval completes it."""

import pytest

from openqms.core.errors import TransitionNotAllowed
from openqms.documents import actions, assignments
from openqms.documents.models import ReviewAssignment
from openqms.testing import event_count
from tests.documents.conftest import SIGN
from tests.documents.named_review import submit


@pytest.fixture
def legacy(cast, draft):
    """In review as a release before naming left it: no ReviewAssignment row."""
    revision = submit(cast, draft)
    ReviewAssignment.objects.filter(revision=revision).delete()
    return revision


def test_anyone_permitted_reviews_then_one_approval_completes_it(cast, legacy):
    assert assignments.unnamed(legacy)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="It needs a reviewer's signature"):
        actions.take_step(actor=cast.approver, revision=legacy, step="approve", credentials=SIGN)
    assert event_count() == before
    actions.take_step(actor=cast.reviewer, revision=legacy, step="review", credentials=SIGN)
    done = actions.take_step(actor=cast.approver, revision=legacy, step="approve", credentials=SIGN)
    assert done.state == "effective"


def test_a_named_revision_keeps_the_named_rule(cast, draft):
    revision = submit(cast, draft)
    assert not assignments.unnamed(revision)
    with pytest.raises(TransitionNotAllowed, match="you are not one of them"):
        actions.take_step(actor=cast.qa_lead, revision=revision, step="review", credentials=SIGN)
