import pytest
from django.db import models

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.models import Signature
from openqms.core.signatures import Credentials
from openqms.core.workflow import Transition, Workflow
from openqms.testapp.actions import REVIEW, create_specimen, take_step
from openqms.testapp.models import EDIT, Specimen, SpecimenState
from openqms.testing import PASSWORD, changes_of, event_count, events_since
from tests.core.specimens import give_specimen_rights, submitted_specimen

GOOD = Credentials(PASSWORD)


@pytest.fixture
def rights(cast):
    give_specimen_rights(cast)
    return cast


def test_a_step_changes_state_and_writes_its_event(rights):
    specimen = create_specimen(actor=rights.author, title="T", body="B")
    before = event_count()
    specimen = take_step(actor=rights.author, specimen=specimen, step="submit")
    assert specimen.state == SpecimenState.IN_REVIEW
    [event] = events_since(before)
    assert event.action == "testapp.specimen.submitted"
    assert changes_of(event) == {"state": ["draft", "in_review"], "step": "submit"}
    assert event.actor_id == rights.author.pk


def test_a_signed_step_writes_signature_and_transition_in_one_go(rights):
    specimen = submitted_specimen(rights)
    before = event_count()
    specimen = take_step(
        actor=rights.approver,
        specimen=specimen,
        step="approve",
        credentials=GOOD,
        reason="Looks right",
    )
    assert specimen.state == SpecimenState.APPROVED
    signed, approved = events_since(before)
    assert signed.action == "core.signature.signed"
    assert changes_of(signed)["meaning"] == "approved"
    assert approved.action == "testapp.specimen.approved"
    sig = Signature.objects.get(object_id=str(specimen.pk))
    assert (sig.signer, sig.meaning, sig.object_version) == (rights.approver, "approved", "1")
    assert sig.audit_event_id == signed.seq


def _unchanged(specimen, state, before):
    specimen.refresh_from_db()
    assert specimen.state == state
    assert event_count() == before
    assert not Signature.objects.exists()


def test_step_from_the_wrong_state_is_refused(rights):
    specimen = create_specimen(actor=rights.author, title="T")
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="cannot be done while the record is draft"):
        take_step(actor=rights.approver, specimen=specimen, step="approve", credentials=GOOD)
    _unchanged(specimen, SpecimenState.DRAFT, before)


def test_step_without_the_permission_is_refused(rights):
    specimen = submitted_specimen(rights)
    before = event_count()
    with pytest.raises(PermissionRefused, match="Approve specimens"):
        take_step(actor=rights.reviewer, specimen=specimen, step="approve", credentials=GOOD)
    _unchanged(specimen, SpecimenState.IN_REVIEW, before)


def test_author_cannot_approve_own_work(rights):
    specimen = submitted_specimen(rights)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="cannot approve their own"):
        take_step(actor=rights.author, specimen=specimen, step="approve", credentials=GOOD)
    _unchanged(specimen, SpecimenState.IN_REVIEW, before)


def test_refused_step_does_not_count_as_a_failed_signing(rights):
    specimen = submitted_specimen(rights)
    with pytest.raises(TransitionNotAllowed):
        take_step(
            actor=rights.author, specimen=specimen, step="approve", credentials=Credentials("wrong")
        )
    rights.author.refresh_from_db()
    assert rights.author.failed_sign_ins == 0


def test_a_step_needing_a_reason_refuses_without_one(rights):
    specimen = submitted_specimen(rights)
    before = event_count()
    with pytest.raises(InvalidInput, match="reason"):
        take_step(actor=rights.approver, specimen=specimen, step="reject", reason=" ")
    _unchanged(specimen, SpecimenState.IN_REVIEW, before)
    specimen = take_step(
        actor=rights.approver, specimen=specimen, step="reject", reason="Step 2 missing"
    )
    assert specimen.state == SpecimenState.DRAFT


def test_unknown_step_is_refused(rights):
    specimen = submitted_specimen(rights)
    with pytest.raises(TransitionNotAllowed, match="no step called"):
        take_step(actor=rights.approver, specimen=specimen, step="publish")


def test_state_is_rechecked_under_the_lock(rights):
    """A stale copy in memory does not let a step run twice."""
    specimen = submitted_specimen(rights)
    stale = Specimen.objects.get(pk=specimen.pk)
    take_step(actor=rights.approver, specimen=specimen, step="approve", credentials=GOOD)
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        take_step(actor=rights.qa_lead, specimen=stale, step="approve", credentials=GOOD)
    assert event_count() == before
    assert Signature.objects.count() == 1


def test_available_steps_follow_state_permission_and_guards(rights):
    specimen = submitted_specimen(rights)
    assert [t.name for t in REVIEW.available(specimen, rights.approver)] == ["approve", "reject"]
    assert [t.name for t in REVIEW.available(specimen, rights.author)] == ["reject"]
    assert REVIEW.available(specimen, rights.outsider) == []


class _States(models.TextChoices):
    A = "a"
    B = "b"


@pytest.mark.parametrize(
    ("transition", "problem"),
    [
        (Transition("go", ("a",), "z", EDIT, "testapp.specimen.edited"), "state"),
        (Transition("go", ("a",), "b", "no.such:perm", "testapp.specimen.edited"), "permission"),
        (Transition("go", ("a",), "b", EDIT, "no.such.event"), "audit event"),
        (
            Transition("go", ("a",), "b", EDIT, "testapp.specimen.edited", signature="blessed"),
            "meaning",
        ),
    ],
)
def test_a_workflow_that_names_unknown_things_cannot_be_declared(transition, problem):
    with pytest.raises(ValueError, match=problem):
        Workflow(model=Specimen, states=_States, transitions=[transition])
