import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from openqms.core.errors import InvalidInput, TransitionNotAllowed
from openqms.core.models import Signature
from openqms.core.signatures import manifestations
from openqms.testing import changes_of, event_count, events_since
from openqms.training import actions, matrix
from openqms.training.models import Assignment, AssignmentState, Method, TrainingSession

from .conftest import SIGN, make_person, new_revision, open_assignments, status_of


@pytest.fixture
def newcomer(db):
    return make_person("newcomer", "Nico Newcomer")


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


def test_recording_a_session_is_audited(cast, engineer, sop_a, newcomer):
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


def test_the_trainers_signature_completes_every_attendees_training(
    cast, engineer, sop_a, newcomer, django_capture_on_commit_callbacks
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
    done = {a.person.username: a for a in Assignment.objects.filter(revision=sop_a)}
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


def test_only_the_trainer_signs_the_session(cast, engineer, sop_a, newcomer):
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


def test_a_session_is_signed_once(cast, engineer, sop_a):
    session = _record(cast, sop_a, [cast.trainee])
    actions.sign_session(actor=cast.reviewer, session=session, credentials=SIGN)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="signed this session already"):
        actions.sign_session(actor=cast.reviewer, session=session, credentials=SIGN)
    assert event_count() == before


def test_a_session_on_a_superseded_revision_is_refused(cast, engineer, sop_a):
    new_revision(cast, sop_a)
    sop_a.refresh_from_db()
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="the current revision is B"):
        _record(cast, sop_a, [cast.trainee])
    assert not TrainingSession.objects.exists()
    assert event_count() == before


def test_a_session_whose_revision_was_superseded_before_signing_is_refused(cast, engineer, sop_a):
    session = _record(cast, sop_a, [cast.trainee])
    rev_b = new_revision(cast, sop_a)
    session.refresh_from_db()
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="the current revision is B"):
        actions.sign_session(actor=cast.reviewer, session=session, credentials=SIGN)
    session.refresh_from_db()
    assert session.signed_at is None
    assert [a.revision_id for a in open_assignments(cast.trainee)] == [rev_b.pk]
    assert not Assignment.objects.filter(revision=sop_a, state=AssignmentState.COMPLETED)
    assert event_count() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"attendees": []}, "Name who attended"),
        ({"held_on": timezone.localdate() + dt.timedelta(days=1)}, "once held"),
        ({"material": " "}, "material"),
    ],
)
def test_bad_sessions_are_refused(cast, engineer, sop_a, change, message):
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


def test_the_trainer_is_not_an_attendee(cast, engineer, sop_a):
    before = event_count()
    with pytest.raises(InvalidInput, match="not an attendee"):
        _record(cast, sop_a, [cast.trainee, cast.reviewer])
    assert not TrainingSession.objects.exists()
    assert event_count() == before
