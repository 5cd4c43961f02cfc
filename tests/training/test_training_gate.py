import pytest

from openqms.core.errors import TransitionNotAllowed
from openqms.core.models import Signature
from openqms.core.signatures import Credentials
from openqms.documents import actions as documents
from openqms.documents.models import PeriodicReview, Revision
from openqms.testing import event_count, named
from openqms.training import actions

from .conftest import SIGN, approve, new_document, new_revision, open_assignments, sign_all


def refusal(role: str, revision: str = "A") -> str:
    """The gate's reason to someone with no training assigned on SOP-001 rev `revision`."""
    return (
        f"You are not trained on SOP-001 rev {revision}, the current revision of SOP-001, "
        "and no training on it is assigned to you: ask QA (Ada Administrator, Quinn Avery) "
        f"to assign you training on SOP-001 rev {revision} before you sign as its {role}."
    )


REFUSAL = refusal("approver")


@pytest.fixture
def gated(cast, sop_type):
    _gate_on(cast, sop_type)


def _gate_on(cast, sop_type):
    actions.update_training_rule(
        actor=cast.qa_lead,
        doc_type=sop_type,
        due_days=30,
        gate=True,
        effectiveness_check=False,
        reason="Gate procedures",
    )


@pytest.fixture
def rev_b(cast, sop_a):
    """SOP-001 revision B, submitted for review (A is in force)."""
    draft = documents.start_revision(actor=cast.author, document=sop_a.document, change_reason="x")
    draft = documents.edit_draft(
        actor=cast.author, revision=draft, body="New.", change_summary="x", change_reason="x"
    )
    return documents.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))


def _train(cast, person, engineer):
    actions.take_job_role(actor=cast.qa_lead, person=person, job_role=engineer)
    sign_all(person)


def _refused(cast, person, revision, step):
    signatures, before = Signature.objects.count(), event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        documents.take_step(actor=person, revision=revision, step=step, credentials=SIGN)
    assert refused.value.message == refusal({"review": "reviewer", "approve": "approver"}[step])
    revision.refresh_from_db()
    assert revision.state == "in_review"
    assert Signature.objects.count() == signatures
    assert event_count() == before
    person.refresh_from_db()
    assert person.failed_sign_ins == 0  # refused before the password was checked


@pytest.mark.verifies("TRN-001", refusal=True)
def test_an_untrained_reviewer_is_refused_and_told_why(cast, engineer, rev_b, gated):
    _refused(cast, cast.reviewer, rev_b, "review")


@pytest.mark.verifies("TRN-001", refusal=True)
def test_an_untrained_approver_is_refused_and_told_why(cast, engineer, rev_b, gated):
    _train(cast, cast.reviewer, engineer)
    documents.take_step(actor=cast.reviewer, revision=rev_b, step="review", credentials=SIGN)
    _refused(cast, cast.approver, rev_b, "approve")


@pytest.mark.verifies("TRN-001")
def test_trained_reviewers_and_approvers_sign(cast, engineer, rev_b, gated):
    for person in (cast.reviewer, cast.approver):
        _train(cast, person, engineer)
    documents.take_step(actor=cast.reviewer, revision=rev_b, step="review", credentials=SIGN)
    documents.take_step(actor=cast.approver, revision=rev_b, step="approve", credentials=SIGN)
    rev_b.refresh_from_db()
    assert rev_b.state == "effective"


@pytest.mark.verifies("TRN-001", refusal=True)
def test_training_on_an_older_revision_does_not_open_the_gate(cast, engineer, sop_a):
    for person in (cast.reviewer, cast.approver):
        _train(cast, person, engineer)
    new_revision(cast, sop_a)  # B: both trained on A, which was in force
    draft = documents.start_revision(actor=cast.author, document=sop_a.document, change_reason="x")
    draft = documents.edit_draft(
        actor=cast.author, revision=draft, body="C.", change_summary="x", change_reason="x"
    )
    rev_c = documents.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    _gate_on(cast, sop_a.document.doc_type)  # on once C was submitted
    signatures, before = Signature.objects.count(), event_count()
    with pytest.raises(TransitionNotAllowed, match="not trained on SOP-001 rev B"):
        documents.take_step(actor=cast.reviewer, revision=rev_c, step="review", credentials=SIGN)
    assert (Signature.objects.count(), event_count()) == (signatures, before)


def test_with_the_gate_off_nobody_is_refused(cast, engineer, sop_a):
    rev_b = new_revision(cast, sop_a)
    assert rev_b.state == "effective"
    assert not cast.reviewer.assignments.exists() and not cast.approver.assignments.exists()


def test_a_first_revision_is_not_gated(cast, engineer, gated, sop_type):
    revision = new_document(cast, sop_type, "Cleaning")
    assert revision.state == "effective"


def test_the_periodic_review_of_a_gated_document_by_an_untrained_person_is_refused(
    cast, engineer, gated, sop_a
):
    before = event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        documents.complete_periodic_review(
            actor=cast.reviewer,
            document=sop_a.document,
            outcome="no_change",
            comment="Still accurate",
            credentials=Credentials("a wrong password"),
        )
    assert refused.value.message == refusal("reviewer")  # before the password: no failed signing
    assert not PeriodicReview.objects.exists()
    assert event_count() == before
    cast.reviewer.refresh_from_db()
    assert cast.reviewer.failed_sign_ins == 0
    _train(cast, cast.reviewer, engineer)
    review = documents.complete_periodic_review(
        actor=cast.reviewer,
        document=sop_a.document,
        outcome="no_change",
        comment="Still accurate",
        credentials=SIGN,
    )
    assert review.reviewer == cast.reviewer


def test_no_retraining_revisions_keep_those_trained_on_the_earlier_one_trained(
    cast, engineer, gated, sop_a
):
    for person in (cast.reviewer, cast.approver):
        _train(cast, person, engineer)
    new_revision(cast, sop_a, no_retraining="Typo")
    draft = documents.start_revision(actor=cast.author, document=sop_a.document, change_reason="x")
    draft = documents.edit_draft(
        actor=cast.author, revision=draft, body="C.", change_summary="x", change_reason="x"
    )
    rev_c = approve(cast, draft)
    assert rev_c.state == "effective"
    assert Revision.objects.get(document=sop_a.document, label="B").state == "superseded"


def test_signing_training_itself_is_never_gated(cast, engineer, gated, sop_a):
    (assignment,) = open_assignments(cast.trainee)
    done = actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    assert done.state == "completed"
