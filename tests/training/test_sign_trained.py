import pytest

from openqms.core.errors import NotFound, ReauthenticationFailed, TransitionNotAllowed
from openqms.core.models import Signature
from openqms.core.signatures import Credentials, content_hash, manifestations
from openqms.testing import changes_of, event_count, events_since
from openqms.training import actions, matrix
from openqms.training.models import Assignment, AssignmentState, Method

from .conftest import SIGN, make_person, new_revision, open_assignments, status_of


@pytest.fixture
def assignment(cast, engineer, sop_a):
    (assignment,) = open_assignments(cast.trainee)
    return assignment


def _unchanged(assignment, before):
    assignment.refresh_from_db()
    assert (assignment.state, assignment.completed_at, assignment.method) == ("open", None, "")
    assert not Signature.objects.filter(meaning="trained").exists()
    assert event_count() == before


@pytest.mark.verifies("TRN-003")
def test_read_and_understood_completes_the_training_with_a_signature(cast, assignment, sop_a):
    before = event_count()
    done = actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    assert (done.state, done.method) == (AssignmentState.COMPLETED, Method.SIGNATURE)
    assert done.completed_at is not None
    [signed, completed] = events_since(before)
    assert (signed.action, changes_of(signed)["meaning"], changes_of(signed)["version"]) == (
        "core.signature.signed",
        "trained",
        "A",
    )
    assert (completed.action, changes_of(completed)) == (
        "training.assignment.completed",
        {
            "state": ["open", "completed"],
            "step": "sign",
            "method": ["", "signature"],
            "person": "trainee",
            "document": "SOP-001",
            "revision": "A",
        },
    )
    assert status_of(cast.trainee, sop_a.document) == matrix.CURRENT


@pytest.mark.verifies("TRN-003")
def test_the_signature_binds_the_exact_revision_content(cast, assignment, sop_a):
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    assignment.refresh_from_db()
    [shown] = manifestations(assignment)
    assert (shown.printed_name, shown.meaning, shown.object_version, shown.valid) == (
        "Taylor Trainee",
        "trained",
        "A",
        True,
    )
    signature = Signature.objects.get(meaning="trained")
    assert signature.content_hash == content_hash(
        {
            "person": "trainee",
            "document": "SOP-001",
            "title": "Document control",
            "revision": "A",
            "revision_content": sop_a.signature_content(),
        }
    )


@pytest.mark.verifies("TRN-005")
def test_a_training_on_revision_a_does_not_count_for_revision_b(cast, assignment, sop_a):
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    rev_b = new_revision(cast, sop_a)
    assert status_of(cast.trainee, sop_a.document) == matrix.DUE
    assert matrix.is_trained(cast.trainee, sop_a.document_id) == (False, rev_b)


@pytest.mark.verifies("TRN-005", refusal=True)
def test_signing_training_on_a_superseded_revision_is_refused(cast, assignment, sop_a):
    new_revision(cast, sop_a)
    assignment.refresh_from_db()
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="the current revision is B"):
        actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    assignment.refresh_from_db()
    assert (assignment.state, assignment.completed_at) == (AssignmentState.SUPERSEDED, None)
    assert not Signature.objects.filter(meaning="trained").exists()
    assert event_count() == before


@pytest.mark.verifies("TRN-019", refusal=True)
def test_a_stale_copy_of_a_superseded_assignment_is_refused_under_the_lock(cast, assignment, sop_a):
    new_revision(cast, sop_a)  # `assignment` still says open, on revision A in force
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="the current revision is B"):
        actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    assert not Signature.objects.filter(meaning="trained").exists()
    assert event_count() == before


@pytest.mark.verifies("TRN-004", refusal=True)
def test_nobody_signs_someone_elses_training(cast, assignment):
    colleague = make_person("colleague", "Casey Colleague")
    before = event_count()
    with pytest.raises(NotFound):
        actions.sign_trained(actor=colleague, assignment=assignment, credentials=SIGN)
    _unchanged(assignment, before)


@pytest.mark.verifies("TRN-003", refusal=True)
def test_a_wrong_password_is_refused_and_counted_as_a_failed_signing(cast, assignment):
    before = event_count()
    with pytest.raises(ReauthenticationFailed):
        actions.sign_trained(
            actor=cast.trainee, assignment=assignment, credentials=Credentials("wrong")
        )
    [failed] = events_since(before)
    assert (failed.action, failed.actor_id) == ("core.auth.signing_failed", cast.trainee.pk)
    cast.trainee.refresh_from_db()
    assert cast.trainee.failed_sign_ins == 1
    _unchanged(assignment, before + 1)


def test_signing_without_a_password_is_refused(cast, assignment):
    before = event_count()
    with pytest.raises(ReauthenticationFailed, match="needs your password"):
        actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=None)
    _unchanged(assignment, before)


@pytest.mark.verifies("TRN-005", refusal=True)
def test_completed_training_cannot_be_signed_again(cast, assignment):
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="cannot be done while the record is completed"):
        actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    assert Signature.objects.filter(meaning="trained").count() == 1
    assert event_count() == before


@pytest.mark.verifies("TRN-003", refusal=True)
def test_content_changed_since_it_was_shown_is_not_signed(cast, assignment):
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="changed after you opened it"):
        actions.sign_trained(
            actor=cast.trainee,
            assignment=assignment,
            credentials=Credentials(SIGN.password, content_hash="0" * 64),
        )
    _unchanged(assignment, before)
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.OPEN
