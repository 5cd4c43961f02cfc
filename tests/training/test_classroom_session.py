import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.models import Signature
from openqms.core.signatures import manifestations
from openqms.testing import changes_of, event_count, events_since
from openqms.training import actions, matrix
from openqms.training.models import Assignment, AssignmentState, Method, TrainingSession

from .conftest import SIGN, make_person, new_revision, open_assignments, sign_all, status_of


@pytest.fixture
def newcomer(db):
    return make_person("newcomer", "Nico Newcomer")


@pytest.fixture
def trainer(cast, engineer, sop_a):
    """The reviewer, who gives the sessions: holds the job role and is trained on rev A."""
    actions.take_job_role(actor=cast.qa_lead, person=cast.reviewer, job_role=engineer)
    sign_all(cast.reviewer)
    return cast.reviewer


def _record(cast, revision, attendees, **kwargs):
    return actions.record_session(
        actor=cast.qa_lead,
        revision=revision,
        trainer=cast.reviewer,
        held_on=timezone.localdate(),
        attendees=attendees,
        material="Walk-through of SOP-001",
        **kwargs,
    )


@pytest.mark.verifies("TRN-007")
def test_recording_a_session_is_audited(cast, trainer, sop_a, newcomer):
    before = event_count()
    session = _record(cast, sop_a, [cast.trainee, newcomer, cast.trainee])
    assert sorted(session.attendees.values_list("username", flat=True)) == ["newcomer", "trainee"]
    [event] = events_since(before)
    assert (event.action, changes_of(event)) == (
        "training.session.recorded",
        {
            "revision": "SOP-001 rev A",
            "trainer": "reviewer",
            "held_on": timezone.localdate().isoformat(),
            "attendees": ["newcomer", "trainee"],
            "material_sha256": None,
        },
    )


@pytest.mark.verifies("TRN-007")
def test_the_trainers_signature_completes_every_attendees_training(
    cast, trainer, sop_a, newcomer, django_capture_on_commit_callbacks
):
    session = _record(cast, sop_a, [cast.trainee, newcomer])
    (open_one,) = open_assignments(cast.trainee)
    before = event_count()
    with django_capture_on_commit_callbacks(execute=True):
        actions.sign_session(actor=cast.reviewer, session=session, credentials=SIGN)
    assert [e.action for e in events_since(before)] == [
        "core.signature.signed",
        "training.assignment.created",
        "training.assignment.completed",
        "training.assignment.completed",
        "training.session.signed",
    ]
    assert changes_of(events_since(before)[1])["people"] == ["newcomer"]
    assert mail.outbox == []  # nothing is asked of them: no "training assigned" email
    done = {
        a.person.username: a
        for a in Assignment.objects.filter(revision=sop_a).exclude(person=trainer)
    }
    assert sorted(done) == ["newcomer", "trainee"]
    assert done["trainee"].pk == open_one.pk
    for a in done.values():
        assert (a.state, a.method, a.session_id) == ("completed", Method.SESSION, session.pk)
    assert done["newcomer"].by_hand
    session.refresh_from_db()
    assert session.signed_at is not None
    [shown] = manifestations(session)
    assert (shown.printed_name, shown.meaning, shown.valid) == ("Riley Reviewer", "delivered", True)
    assert status_of(cast.trainee, sop_a.document) == matrix.CURRENT


@pytest.mark.verifies("TRN-007", refusal=True)
def test_only_the_trainer_signs_the_session(cast, trainer, sop_a, newcomer):
    session = _record(cast, sop_a, [cast.trainee, newcomer])
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="Only the session's trainer"):
        actions.sign_session(actor=cast.qa_lead, session=session, credentials=SIGN)
    session.refresh_from_db()
    assert session.signed_at is None
    assert [a.revision_id for a in open_assignments(cast.trainee)] == [sop_a.pk]
    assert not newcomer.assignments.exists()
    assert not Signature.objects.filter(meaning="delivered").exists()
    assert event_count() == before


def test_a_session_is_signed_once(cast, trainer, sop_a):
    session = _record(cast, sop_a, [cast.trainee])
    actions.sign_session(actor=cast.reviewer, session=session, credentials=SIGN)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="signed this session already"):
        actions.sign_session(actor=cast.reviewer, session=session, credentials=SIGN)
    assert event_count() == before


def test_a_session_on_a_superseded_revision_is_refused(cast, trainer, sop_a):
    new_revision(cast, sop_a)
    sign_all(trainer)  # trained on rev B: what is refused is the revision, not the trainer
    sop_a.refresh_from_db()
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="the current revision is B"):
        _record(cast, sop_a, [cast.trainee])
    assert not TrainingSession.objects.exists()
    assert event_count() == before


def test_a_session_whose_revision_was_superseded_before_signing_is_refused(cast, trainer, sop_a):
    session = _record(cast, sop_a, [cast.trainee])
    rev_b = new_revision(cast, sop_a)
    sign_all(trainer)  # trained on rev B: what is refused is the revision, not the trainer
    session.refresh_from_db()
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="the current revision is B"):
        actions.sign_session(actor=cast.reviewer, session=session, credentials=SIGN)
    session.refresh_from_db()
    assert session.signed_at is None
    assert [a.revision_id for a in open_assignments(cast.trainee)] == [rev_b.pk]
    assert not cast.trainee.assignments.filter(revision=sop_a, state=AssignmentState.COMPLETED)
    assert event_count() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"attendees": []}, "Name who attended"),
        ({"held_on": timezone.localdate() + dt.timedelta(days=1)}, "once held"),
        ({"material": " "}, "material"),
    ],
)
def test_bad_sessions_are_refused(cast, trainer, sop_a, change, message):
    fields = {
        "actor": cast.qa_lead,
        "revision": sop_a,
        "trainer": cast.reviewer,
        "held_on": timezone.localdate(),
        "attendees": [cast.trainee],
        "material": "Walk-through",
        **change,
    }
    before = event_count()
    with pytest.raises(InvalidInput, match=message):
        actions.record_session(**fields)
    assert not TrainingSession.objects.exists()
    assert event_count() == before


def test_the_trainer_is_not_an_attendee(cast, trainer, sop_a):
    before = event_count()
    with pytest.raises(InvalidInput, match="not an attendee"):
        _record(cast, sop_a, [cast.trainee, cast.reviewer])
    assert not TrainingSession.objects.exists()
    assert event_count() == before


def test_a_plain_reader_records_no_session_even_one_they_gave(cast, engineer, sop_a, newcomer):
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.record_session(
            actor=cast.trainee,
            revision=sop_a,
            trainer=cast.trainee,
            held_on=timezone.localdate(),
            attendees=[newcomer],
            material="Walk-through",
        )
    assert not TrainingSession.objects.exists()
    assert not newcomer.assignments.exists()
    assert event_count() == before


@pytest.mark.verifies("TRN-007", refusal=True)
def test_a_trainer_never_trained_on_the_revision_is_refused(cast, engineer, sop_a):
    before = event_count()
    with pytest.raises(
        TransitionNotAllowed,
        match="Riley Reviewer is not trained on SOP-001 rev A, and cannot train others on it",
    ):
        _record(cast, sop_a, [cast.trainee])
    assert not TrainingSession.objects.exists()
    assert [a.revision_id for a in open_assignments(cast.trainee)] == [sop_a.pk]
    assert event_count() == before


def test_a_trainer_trained_only_on_an_earlier_revision_is_refused(cast, trainer, sop_a):
    rev_b = new_revision(cast, sop_a)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="not trained on SOP-001 rev B"):
        _record(cast, rev_b, [cast.trainee])
    assert not TrainingSession.objects.exists()
    assert event_count() == before


def test_a_minor_revision_keeps_the_trainer_trained(cast, trainer, sop_a):
    rev_b = new_revision(cast, sop_a, no_retraining="Typo")
    session = _record(cast, rev_b, [cast.trainee])
    actions.sign_session(actor=trainer, session=session, credentials=SIGN)
    [done] = Assignment.objects.filter(person=cast.trainee, revision=rev_b)
    assert (done.state, done.session_id) == (AssignmentState.COMPLETED, session.pk)


def test_a_trainer_whose_training_was_found_not_effective_signs_no_session(cast, trainer, sop_a):
    session = _record(cast, sop_a, [cast.trainee])
    (own,) = Assignment.objects.filter(person=trainer, state=AssignmentState.COMPLETED)
    actions.evaluate_training(
        actor=cast.qa_lead,
        method="Observed at work",
        result="not_effective",
        comment="Skips the review step",
        credentials=SIGN,
        assignment=own,
    )
    before = event_count()
    with pytest.raises(
        TransitionNotAllowed,
        match="Riley Reviewer is not trained on SOP-001 rev A, and cannot train others on it",
    ):
        actions.sign_session(actor=trainer, session=session, credentials=SIGN)
    session.refresh_from_db()
    assert session.signed_at is None
    assert [a.revision_id for a in open_assignments(cast.trainee)] == [sop_a.pk]
    assert not Signature.objects.filter(meaning="delivered").exists()
    assert event_count() == before
