"""Submitting for review refuses to name people the training gate would stop from signing:
the revision would wait on them and they could not unblock it (walk finding 1). The
message names each of them, the role, and what puts it right."""

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.html import escape

from openqms.core.errors import InvalidInput
from openqms.documents import actions
from openqms.documents.models import ReviewAssignment
from openqms.testing import event_count, named
from openqms.training import actions as training
from tests.documents.conftest import SIGN

REFUSED = (
    "Some of the people named could not sign this revision yet, so it would wait on them. "
    "Riley Reviewer (as reviewer): “You are not trained on SOP-001 rev A, the current "
    "revision of SOP-001, and no training on it is assigned to you: ask QA (Ada "
    "Administrator, Quinn Avery) to assign you training on SOP-001 rev A before you sign as "
    "its reviewer.” Name someone else, or have QA put it right first (training is assigned "
    "under Training → Assign training) and submit again."
)


@pytest.fixture
def draft_b(cast, effective):
    training.update_training_rule(
        actor=cast.qa_lead,
        doc_type=effective.document.doc_type,
        due_days=30,
        gate=True,
        effectiveness_check=False,
        reason="Gate procedures",
    )
    return actions.start_revision(
        actor=cast.author, document=effective.document, change_reason="Update"
    )


def _train(cast, person, effective):
    assignment = training.assign_training(
        actor=cast.qa_lead,
        person=person,
        document=effective.document,
        due_date=timezone.localdate() + dt.timedelta(days=7),
        reason="Before signing",
    )
    training.sign_trained(actor=person, assignment=assignment, credentials=SIGN)


@pytest.mark.verifies("TRN-024", refusal=True)
def test_an_untrained_reviewer_is_named_in_the_refusal(cast, effective, draft_b):
    _train(cast, cast.approver, effective)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.take_step(actor=cast.author, revision=draft_b, step="submit", **named(cast))
    assert refused.value.message == REFUSED
    assert refused.value.fields == {"reviewers": "Could not sign yet."}
    draft_b.refresh_from_db()
    assert draft_b.state == "draft"
    assert not ReviewAssignment.objects.filter(revision=draft_b).exists()
    assert event_count() == before


@pytest.mark.verifies("TRN-024")
def test_once_trained_they_can_be_named(cast, effective, draft_b):
    for person in (cast.reviewer, cast.approver):
        _train(cast, person, effective)
    submitted = actions.take_step(actor=cast.author, revision=draft_b, step="submit", **named(cast))
    assert submitted.state == "in_review"


def test_the_submit_page_shows_the_refusal(signed_in, cast, effective, draft_b):
    _train(cast, cast.approver, effective)
    before = event_count()
    page = signed_in(cast.author).post(
        "/documents/SOP-001/B/submit/",
        {"reviewer_1": cast.reviewer.pk, "approver_1": cast.approver.pk, "due_date": "2099-01-01"},
        follow=True,
    )
    assert escape(REFUSED) in page.content.decode()
    draft_b.refresh_from_db()
    assert draft_b.state == "draft" and event_count() == before
