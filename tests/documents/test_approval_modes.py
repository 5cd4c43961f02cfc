"""The type's approval mode: "all" needs every named approver, "sequence" refuses a
signature out of the order named, "any" approves after one."""

import pytest

from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import Signature
from openqms.documents import actions
from openqms.testing import changes_of, event_count, events_since, last_event
from tests.documents.conftest import SIGN
from tests.documents.named_review import set_mode, submit


def _reviewed(cast, draft, **names):
    revision = submit(cast, draft, approvers=[cast.approver, cast.qa_lead], **names)
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    return revision


@pytest.mark.verifies("DOC-007")
def test_all_needs_every_named_approver(cast, draft):
    revision = _reviewed(cast, draft)
    before = event_count()
    first = actions.take_step(
        actor=cast.qa_lead, revision=revision, step="approve", credentials=SIGN
    )
    assert first.state == "in_review"
    assert [e.action for e in events_since(before)] == [
        "core.signature.signed",
        "documents.revision.approval_signed",
    ]
    last = actions.take_step(
        actor=cast.approver, revision=revision, step="approve", credentials=SIGN
    )
    assert last.state == "effective"
    signers = Signature.objects.filter(meaning="approved").values_list(
        "signer__username", flat=True
    )
    assert sorted(signers) == ["approver", "qa-lead"]


@pytest.mark.verifies("DOC-007", refusal=True)
def test_an_approver_cannot_sign_twice(cast, draft):
    revision = _reviewed(cast, draft)
    actions.take_step(actor=cast.qa_lead, revision=revision, step="approve", credentials=SIGN)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="You have already approved revision A"):
        actions.take_step(actor=cast.qa_lead, revision=revision, step="approve", credentials=SIGN)
    assert event_count() == before


@pytest.mark.verifies("DOC-007", refusal=True)
def test_sequence_refuses_an_approval_out_of_order(cast, sop_type, draft):
    set_mode(cast, sop_type, "sequence")
    revision = _reviewed(cast, draft)
    before = event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        actions.take_step(actor=cast.qa_lead, revision=revision, step="approve", credentials=SIGN)
    assert refused.value.message == (
        "Approvals are signed in the order named: Morgan Approver approves first."
    )
    assert event_count() == before
    actions.take_step(actor=cast.approver, revision=revision, step="approve", credentials=SIGN)
    done = actions.take_step(
        actor=cast.qa_lead, revision=revision, step="approve", credentials=SIGN
    )
    assert done.state == "effective"


def test_sequence_refuses_a_review_out_of_order(cast, sop_type, draft):
    set_mode(cast, sop_type, "sequence")
    revision = submit(cast, draft, reviewers=[cast.reviewer, cast.qa_lead])
    before = event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        actions.take_step(actor=cast.qa_lead, revision=revision, step="review", credentials=SIGN)
    assert refused.value.message == (
        "Reviews are signed in the order named: Riley Reviewer reviews first."
    )
    assert event_count() == before


def test_all_waits_for_every_named_reviewer_before_approval(cast, draft):
    revision = submit(cast, draft, reviewers=[cast.reviewer, cast.qa_lead])
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    before = event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        actions.take_step(actor=cast.approver, revision=revision, step="approve", credentials=SIGN)
    assert refused.value.message == (
        "It needs a reviewer's signature before approval: Quinn Avery to review."
    )
    assert event_count() == before


@pytest.mark.verifies("DOC-007")
def test_any_approves_after_one_named_approver(cast, sop_type, draft):
    set_mode(cast, sop_type, "any")
    revision = _reviewed(cast, draft)
    approved = actions.take_step(
        actor=cast.approver, revision=revision, step="approve", credentials=SIGN
    )
    assert approved.state == "effective"


def test_the_mode_is_changed_with_a_reason_and_audited(cast, sop_type):
    assert sop_type.approval_mode == "all"
    set_mode(cast, sop_type, "sequence")
    event = last_event()
    assert (event.action, event.reason) == ("documents.type.updated", "Approval mode for this type")
    assert changes_of(event) == {"approval_mode": ["all", "sequence"]}


def test_the_mode_cannot_change_while_a_revision_is_in_review(cast, sop_type, draft):
    submit(cast, draft)
    before = event_count()
    with pytest.raises(InvalidInput, match="submitted under the current approval mode"):
        set_mode(cast, sop_type, "any")
    sop_type.refresh_from_db()
    assert sop_type.approval_mode == "all"
    assert event_count() == before
