"""With the training gate on for procedures, someone untrained on the revision in force
is not offered the signing step, and the revision page says why instead of hiding it."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.models import Signature
from openqms.documents import actions
from openqms.testing import PASSWORD, event_count, named
from openqms.training import actions as training
from tests.documents.conftest import SIGN


def _why(role: str) -> str:
    """The gate's reason when no training is assigned: who can assign it, and the role."""
    return (
        "You are not trained on SOP-001 rev A, the current revision of SOP-001, and no "
        "training on it is assigned to you: ask QA (Ada Administrator, Quinn Avery) to "
        f"assign you training on SOP-001 rev A before you sign as its {role}."
    )


WHY = _why("approver")


@pytest.fixture
def revision_b(cast, effective):
    """SOP-001 rev B reviewed (before the gate was on), waiting for approval."""
    draft = actions.start_revision(
        actor=cast.author, document=effective.document, change_reason="Update"
    )
    draft = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=draft, step="review", credentials=SIGN)
    return draft


@pytest.fixture
def gate(cast, effective):
    training.update_training_rule(
        actor=cast.qa_lead,
        doc_type=effective.document.doc_type,
        due_days=30,
        gate=True,
        effectiveness_check=False,
        reason="Gate procedures",
    )


def _train(cast, person, effective):
    assignment = training.assign_training(
        actor=cast.qa_lead,
        person=person,
        document=effective.document,
        due_date=timezone.localdate() + dt.timedelta(days=7),
        reason="Before approving",
    )
    training.sign_trained(actor=person, assignment=assignment, credentials=SIGN)


def test_an_untrained_approver_is_told_why_approval_is_not_offered(
    signed_in, cast, revision_b, gate
):
    page = signed_in(cast.approver).get("/documents/SOP-001/B/").content.decode()
    assert "Sign: Approved" not in page
    assert "Approve: not offered to you." in page and WHY in page


def test_an_untrained_approvers_post_is_refused_with_the_reason(signed_in, cast, revision_b, gate):
    before = event_count()
    page = signed_in(cast.approver).post(
        "/documents/SOP-001/B/approve/", {"password": PASSWORD}, follow=True
    )
    assert WHY in page.content.decode()
    revision_b.refresh_from_db()
    assert revision_b.state == "in_review"
    assert not Signature.objects.filter(meaning="approved", object_id=str(revision_b.pk)).exists()
    assert event_count() == before


def test_once_trained_the_approver_is_offered_approval(
    signed_in, cast, revision_b, gate, effective
):
    _train(cast, cast.approver, effective)
    page = signed_in(cast.approver).get("/documents/SOP-001/B/").content.decode()
    assert "Sign: Approved" in page and WHY not in page


def test_without_the_gate_nothing_is_refused(signed_in, cast, revision_b):
    page = signed_in(cast.approver).get("/documents/SOP-001/B/").content.decode()
    assert "Sign: Approved" in page and "not offered to you" not in page


@pytest.fixture
def submitted_b(cast, effective):
    """SOP-001 rev B submitted (before the gate was on: it now refuses to name them)."""
    draft = actions.start_revision(
        actor=cast.author, document=effective.document, change_reason="Update"
    )
    return actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))


def test_an_untrained_reviewer_is_told_why_review_is_not_offered(
    signed_in, cast, submitted_b, gate
):
    page = signed_in(cast.reviewer).get("/documents/SOP-001/B/").content.decode()
    assert "Sign: Reviewed" not in page
    assert "Review: not offered to you." in page and _why("reviewer") in page
