import pytest

from openqms.core import modules
from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.models import Signature
from openqms.core.modules import Module
from openqms.core.signatures import manifestations
from openqms.documents import actions, hooks
from openqms.documents.models import Revision
from openqms.testing import event_count, events_since, named
from tests.documents.conftest import SIGN


def _unchanged(revision, state, before):
    revision.refresh_from_db()
    assert revision.state == state
    assert event_count() == before


@pytest.mark.verifies("DOC-001")
def test_reviewed_and_approved_revision_becomes_effective_today(cast, draft):
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    before = event_count()
    revision = actions.take_step(
        actor=cast.approver, revision=revision, step="approve", credentials=SIGN
    )
    assert revision.state == "effective"
    assert [e.action for e in events_since(before)] == [
        "core.signature.signed",
        "documents.revision.approved",
        "documents.revision.effective",
    ]
    shown = {m.meaning: m for m in manifestations(revision)}
    assert set(shown) == {"reviewed", "approved"} and all(m.valid for m in shown.values())
    revision.document.refresh_from_db()
    assert revision.document.next_review is not None


@pytest.mark.verifies("DOC-002", refusal=True)
def test_author_cannot_approve_or_review_their_own_revision(cast, draft):
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    before = event_count()
    with pytest.raises((TransitionNotAllowed, PermissionRefused)):
        actions.take_step(actor=cast.author, revision=revision, step="review", credentials=SIGN)
    with pytest.raises((TransitionNotAllowed, PermissionRefused)):
        actions.take_step(actor=cast.author, revision=revision, step="approve", credentials=SIGN)
    _unchanged(revision, "in_review", before)


@pytest.mark.verifies("DOC-002", refusal=True)
def test_qa_lead_who_wrote_it_still_cannot_approve_it(cast, sop_type):
    revision = actions.create_document(
        actor=cast.qa_lead, doc_type=sop_type, title="Policy", body="Text"
    )
    revision = actions.take_step(
        actor=cast.qa_lead, revision=revision, step="submit", **named(cast)
    )
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="cannot approve their own"):
        actions.take_step(actor=cast.qa_lead, revision=revision, step="approve", credentials=SIGN)
    _unchanged(revision, "in_review", before)


@pytest.mark.verifies("DOC-001", refusal=True)
def test_approval_needs_a_review_first_when_the_type_asks(cast, draft):
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="reviewer's signature"):
        actions.take_step(actor=cast.approver, revision=revision, step="approve", credentials=SIGN)
    _unchanged(revision, "in_review", before)


@pytest.mark.verifies("DOC-001", refusal=True)
def test_skipping_review_by_approving_a_draft_is_refused(cast, draft):
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="while the record is draft"):
        actions.take_step(actor=cast.approver, revision=draft, step="approve", credentials=SIGN)
    _unchanged(draft, "draft", before)


@pytest.mark.verifies("DOC-004", refusal=True)
def test_content_cannot_change_in_review(cast, draft):
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="Only a draft can be edited"):
        actions.edit_draft(
            actor=cast.author,
            revision=revision,
            body="sneaky",
            change_summary="",
            change_reason="x",
        )
    _unchanged(revision, "in_review", before)
    assert Revision.objects.get(pk=revision.pk).body == draft.body


@pytest.mark.verifies("DOC-004")
def test_returning_to_draft_voids_the_signatures_visibly(cast, draft):
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    with pytest.raises(InvalidInput, match="reason"):
        actions.take_step(actor=cast.approver, revision=revision, step="reject")
    before = event_count()
    revision = actions.take_step(
        actor=cast.approver, revision=revision, step="reject", reason="Section 3 is missing"
    )
    assert revision.state == "draft"
    assert [e.action for e in events_since(before)] == [
        "documents.revision.rejected",
        "core.signature.voided",
    ]
    [shown] = manifestations(revision)
    assert not shown.valid and shown.problem == "voided: Returned to draft"
    assert Signature.objects.get().voided_at is not None


@pytest.mark.verifies("DOC-001", refusal=True)
def test_wrong_password_at_approval_signs_nothing(cast, draft):
    revision = actions.take_step(actor=cast.author, revision=draft, step="submit", **named(cast))
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    before = event_count()
    with pytest.raises(Exception, match="password is not correct"):
        actions.take_step(
            actor=cast.approver, revision=revision, step="approve", credentials=type(SIGN)("wrong")
        )
    revision.refresh_from_db()
    assert revision.state == "in_review"
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]


def test_other_modules_hear_when_a_revision_becomes_effective(cast, draft):
    heard = []
    listener = Module(
        label="listener",
        listens={hooks.REVISION_EFFECTIVE: lambda rev, actor: heard.append((rev.label, actor))},
    )
    with modules.temporarily(listener):
        revision = actions.take_step(
            actor=cast.author, revision=draft, step="submit", **named(cast)
        )
        actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
        actions.take_step(actor=cast.approver, revision=revision, step="approve", credentials=SIGN)
    assert heard == [("A", cast.approver)]
