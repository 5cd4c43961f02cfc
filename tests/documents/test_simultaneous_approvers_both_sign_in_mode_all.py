"""Review finding 7: with mode "all" and two named approvers signing at once, both were
shown "sign_approval" (chosen before the lock); the second, re-checked under the lock,
was refused with "This approval completes the revision's approval" after typing the
password. The choice is now made under the signing lock, by one rule
(documents.assignments.approval_step): the second signature completes the approval."""

import pytest

from openqms.core import signing
from openqms.core.errors import InvalidInput
from openqms.core.models import Signature
from openqms.documents import actions
from openqms.documents.assignments import approval_step
from openqms.documents.models import Revision
from openqms.testing import event_count, events_since
from tests.documents.conftest import SIGN
from tests.documents.named_review import submit


@pytest.fixture
def reviewed(cast, draft):
    revision = submit(cast, draft, approvers=[cast.approver, cast.qa_lead])
    actions.take_step(actor=cast.reviewer, revision=revision, step="review", credentials=SIGN)
    return revision


def _other_signs_while_typing(monkeypatch, cast, revision):
    """qa-lead's approval lands after approver's step was checked, before the lock."""
    real = signing.reauthenticate

    def reauthenticate(*, signer, **kwargs):
        real(signer=signer, **kwargs)
        if signer == cast.approver:
            actions.take_step(
                actor=cast.qa_lead, revision=revision, step="approve", credentials=SIGN
            )

    monkeypatch.setattr(signing, "reauthenticate", reauthenticate)


def test_the_second_signature_completes_the_approval(monkeypatch, cast, reviewed):
    assert approval_step(reviewed, cast.approver, set()) == "sign_approval"
    _other_signs_while_typing(monkeypatch, cast, reviewed)
    before = event_count()
    done = actions.take_step(
        actor=cast.approver, revision=reviewed, step="approve", credentials=SIGN
    )
    assert done.state == "effective"
    steps = [
        (e.action, e.actor.username)
        for e in events_since(before)
        if e.action.startswith("documents.revision.approv")
    ]
    assert steps == [
        ("documents.revision.approval_signed", "qa-lead"),
        ("documents.revision.approved", "approver"),
    ]
    signers = Signature.objects.filter(meaning="approved").values_list(
        "signer__username", flat=True
    )
    assert sorted(signers) == ["approver", "qa-lead"]


def test_no_retraining_belongs_to_the_completing_approval_only(cast, reviewed):
    reviewed.sequence = 2  # the decision is refused for a first revision anyway
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.take_step(
            actor=cast.approver,
            revision=reviewed,
            step="approve",
            credentials=SIGN,
            no_retraining="Typo fix only",
        )
    assert refused.value.fields == {"justification": "Not the last approval."}
    assert event_count() == before
    assert Revision.objects.get(pk=reviewed.pk).state == "in_review"
