import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.errors import (
    InvalidInput,
    PermissionRefused,
    ReauthenticationFailed,
    TransitionNotAllowed,
)
from openqms.core.signatures import Credentials, manifestations
from openqms.documents.models import Revision
from openqms.testing import changes_of, event_count, events_since
from openqms.training import actions, matrix
from openqms.training.models import Assignment, AssignmentState, Evaluation, Holding, Requirement

from .conftest import SIGN, open_assignments, status_of


@pytest.fixture
def completed(cast, engineer, sop_a):
    (assignment,) = open_assignments(cast.trainee)
    return actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)


def _evaluate(cast, result="effective", actor=None, credentials=SIGN, **subject):
    return actions.evaluate_training(
        actor=actor or cast.qa_lead,
        method="Observed at work",
        result=result,
        comment="Follows the procedure",
        credentials=credentials,
        **subject,
    )


def _nothing_written(before):
    assert not Evaluation.objects.exists()
    assert event_count() == before


@pytest.mark.verifies("TRN-009")
def test_an_evaluation_is_signed_evaluated_and_audited(cast, completed):
    before = event_count()
    evaluation = _evaluate(cast, assignment=completed)
    assert (evaluation.person, evaluation.evaluator, evaluation.job_role) == (
        cast.trainee,
        cast.qa_lead,
        None,
    )
    [signed, recorded] = events_since(before)
    assert (signed.action, changes_of(signed)["meaning"]) == ("core.signature.signed", "evaluated")
    assert (recorded.action, changes_of(recorded), recorded.reason) == (
        "training.evaluation.recorded",
        {
            "person": "trainee",
            "subject": "SOP-001 rev A",
            "method": "Observed at work",
            "result": "effective",
        },
        "Follows the procedure",
    )
    [shown] = manifestations(evaluation)
    assert (shown.printed_name, shown.meaning, shown.valid) == ("Quinn Avery", "evaluated", True)
    completed.refresh_from_db()
    assert completed.state == AssignmentState.COMPLETED


@pytest.mark.verifies("TRN-009")
def test_not_effective_closes_the_training_and_assigns_it_again(cast, completed, sop_a):
    before = event_count()
    _evaluate(cast, result="not_effective", assignment=completed)
    events = events_since(before)
    assert [e.action for e in events] == [
        "core.signature.signed",
        "training.evaluation.recorded",
        "training.assignment.ineffective",
        "training.assignment.created",
    ]
    assert (events[2].object_id, changes_of(events[2])) == (
        str(completed.pk),
        {
            "state": ["completed", "ineffective"],
            "step": "evaluate_not_effective",
            "person": "trainee",
            "document": "SOP-001",
            "revision": "A",
        },
    )
    due = timezone.localdate() + dt.timedelta(days=30)
    assert changes_of(events[-1]) == {
        "document": "SOP-001",
        "revision": "A",
        "due_date": due.isoformat(),
        "people": ["trainee"],
    }
    completed.refresh_from_db()
    assert (completed.state, completed.closed_reason) == (
        AssignmentState.INEFFECTIVE,
        "Evaluated as not effective",
    )
    [again] = open_assignments(cast.trainee)
    assert (again.revision_id, again.due_date, again.by_hand) == (sop_a.pk, due, True)
    assert status_of(cast.trainee, sop_a.document) == matrix.DUE


def test_the_matrix_of_a_past_day_counts_ineffective_training_until_its_evaluation(
    cast, completed, sop_a
):
    _evaluate(cast, result="not_effective", assignment=completed)
    # The history, moved back: effective and held 20 days ago, trained 10 days ago,
    # evaluated (and assigned again) 3 days ago, each at noon.
    today = timezone.localdate()

    def noon(days_ago):
        day = today - dt.timedelta(days=days_ago)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))

    def on(days_ago):
        return status_of(cast.trainee, sop_a.document, as_of=today - dt.timedelta(days=days_ago))

    Revision.objects.filter(pk=sop_a.pk).update(became_effective_at=noon(20))
    Holding.objects.filter(person=cast.trainee).update(started_on=today - dt.timedelta(days=20))
    Requirement.objects.update(added_at=noon(20))
    Assignment.objects.filter(pk=completed.pk).update(
        assigned_at=noon(20), completed_at=noon(10), closed_at=noon(3)
    )
    [again] = open_assignments(cast.trainee)
    Assignment.objects.filter(pk=again.pk).update(assigned_at=noon(3))
    assert [on(11), on(10), on(4)] == [matrix.DUE, matrix.CURRENT, matrix.CURRENT]
    assert [on(3), on(2), on(0)] == [matrix.DUE, matrix.DUE, matrix.DUE]


@pytest.mark.verifies("TRN-009", refusal=True)
def test_nobody_evaluates_their_own_training(cast, engineer, sop_a):
    actions.take_job_role(actor=cast.qa_lead, person=cast.qa_lead, job_role=engineer)
    (own,) = open_assignments(cast.qa_lead)
    own = actions.sign_trained(actor=cast.qa_lead, assignment=own, credentials=SIGN)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="Nobody evaluates their own"):
        _evaluate(cast, assignment=own)
    _nothing_written(before)


def test_only_completed_training_is_evaluated(cast, engineer, sop_a):
    (pending,) = open_assignments(cast.trainee)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="Only completed training"):
        _evaluate(cast, assignment=pending)
    _nothing_written(before)


def test_only_evaluators_evaluate(cast, completed):
    before = event_count()
    with pytest.raises(PermissionRefused):
        _evaluate(cast, actor=cast.approver, assignment=completed)
    _nothing_written(before)


@pytest.mark.verifies("TRN-009", refusal=True)
def test_a_wrong_password_evaluates_nothing(cast, completed):
    before = event_count()
    with pytest.raises(ReauthenticationFailed):
        _evaluate(cast, assignment=completed, credentials=Credentials("wrong"))
    assert not Evaluation.objects.exists()
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]
    completed.refresh_from_db()
    assert completed.state == AssignmentState.COMPLETED


def test_a_job_role_evaluation_needs_the_person_to_hold_it(cast, engineer):
    qa = actions.create_job_role(actor=cast.qa_lead, name="QA specialist")
    before = event_count()
    with pytest.raises(InvalidInput, match="does not hold “QA specialist”"):
        _evaluate(cast, person=cast.trainee, job_role=qa)
    _nothing_written(before)
    evaluation = _evaluate(cast, person=cast.trainee, job_role=engineer)
    assert (evaluation.job_role, evaluation.assignment) == (engineer, None)
    recorded = events_since(before)[-1]
    assert (recorded.action, changes_of(recorded)["subject"]) == (
        "training.evaluation.recorded",
        "Software engineer",
    )
    [shown] = manifestations(evaluation)
    assert (shown.meaning, shown.valid) == ("evaluated", True)


def test_a_job_role_evaluation_of_an_ended_holding_is_refused(cast, engineer):
    holding = cast.trainee.job_roles_held.get()
    actions.leave_job_role(actor=cast.qa_lead, holding=holding, reason="Moved")
    before = event_count()
    with pytest.raises(InvalidInput, match="does not hold"):
        _evaluate(cast, person=cast.trainee, job_role=engineer)
    _nothing_written(before)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [("result", "maybe", "Choose the result"), ("comment", " ", "comment")],
)
def test_bad_evaluations_are_refused(cast, completed, field, value, message):
    fields = {
        "actor": cast.qa_lead,
        "method": "Test",
        "result": "effective",
        "comment": "Fine",
        "credentials": SIGN,
        "assignment": completed,
        field: value,
    }
    before = event_count()
    with pytest.raises(InvalidInput, match=message):
        actions.evaluate_training(**fields)
    _nothing_written(before)
