"""The assignment lifecycle table answers "which steps may this person take now", and
the page, the API and My tasks show exactly that answer."""

import pytest

from openqms.core.errors import TransitionNotAllowed
from openqms.core.inbox import tasks_for
from openqms.testing import event_count
from openqms.training import actions
from openqms.training.lifecycle import ASSIGNMENT, allowed_steps
from openqms.training.models import AssignmentState, Evaluation

from .conftest import SIGN, new_revision, open_assignments

QUIZ = [{"text": "Clean with?", "choices": ["Water", "Sand"], "answer": 0}]


@pytest.fixture
def assignment(cast, engineer, sop_a):
    (assignment,) = open_assignments(cast.trainee)
    return assignment


def _everyone(cast, assignment):
    people = [cast.trainee, cast.qa_lead, cast.approver, cast.auditor, cast.outsider]
    return {p.username: allowed_steps(assignment, p) for p in people}


def test_the_table_declares_every_state_change_of_an_assignment():
    rows = {
        name: (t.sources, t.target, t.permission, t.signature, t.cascade)
        for name, t in ASSIGNMENT.transitions.items()
    }
    assert rows == {
        "quiz": (("open",), "open", "", None, False),
        "sign": (("open",), "completed", "", "trained", False),
        "evaluate": (
            ("completed",),
            "completed",
            "training.effectiveness:evaluate",
            "evaluated",
            False,
        ),
        "evaluate_not_effective": (
            ("completed",),
            "ineffective",
            "training.effectiveness:evaluate",
            "evaluated",
            False,
        ),
        "attend": (("open",), "completed", "", None, True),
        "supersede": (("open",), "superseded", "", None, True),
        "cancel": (("open",), "cancelled", "", None, True),
    }
    reached = {t.target for t in ASSIGNMENT.transitions.values()} | {AssignmentState.OPEN}
    assert reached == set(AssignmentState.values)


def test_only_the_trainee_may_sign_their_open_training(cast, assignment):
    assert _everyone(cast, assignment) == {
        "trainee": ["sign"],
        "qa-lead": [],
        "approver": [],
        "auditor": [],
        "outsider": [],
    }


def test_with_a_quiz_the_trainee_is_offered_the_quiz_then_the_signature(cast, assignment, sop_a):
    actions.save_quiz(actor=cast.qa_lead, document=sop_a.document, pass_mark=1, questions=QUIZ)
    assert allowed_steps(assignment, cast.trainee) == ["quiz"]
    actions.submit_quiz(actor=cast.trainee, assignment=assignment, answers=[1])
    assert allowed_steps(assignment, cast.trainee) == ["quiz"]
    actions.submit_quiz(actor=cast.trainee, assignment=assignment, answers=[0])
    assert allowed_steps(assignment, cast.trainee) == ["sign"]


def test_completed_training_is_offered_to_evaluators_only_and_never_to_the_trainee(
    cast, assignment
):
    done = actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    assert _everyone(cast, done) == {
        "trainee": [],
        "qa-lead": ["evaluate", "evaluate_not_effective"],
        "approver": [],
        "auditor": [],
        "outsider": [],
    }


def _evaluate(cast, assignment, result="effective"):
    return actions.evaluate_training(
        actor=cast.qa_lead,
        assignment=assignment,
        method="Observed at work",
        result=result,
        comment="Follows the procedure",
        credentials=SIGN,
    )


def test_evaluated_training_is_not_offered_for_evaluation_again(signed_in, cast, assignment):
    done = actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    _evaluate(cast, done)
    assert _everyone(cast, done) == {
        "trainee": [],
        "qa-lead": [],
        "approver": [],
        "auditor": [],
        "outsider": [],
    }
    page = signed_in(cast.qa_lead).get(f"/training/assignments/{done.pk}/").content.decode()
    assert "Evaluate effectiveness" not in page
    before = event_count()
    for result in ("effective", "not_effective"):
        with pytest.raises(TransitionNotAllowed, match="evaluated already"):
            _evaluate(cast, done, result)
    done.refresh_from_db()
    assert done.state == AssignmentState.COMPLETED
    assert Evaluation.objects.count() == 1 and event_count() == before


def test_training_found_not_effective_is_closed_and_offers_nothing(cast, assignment):
    done = actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    _evaluate(cast, done, "not_effective")
    done.refresh_from_db()
    assert done.state == AssignmentState.INEFFECTIVE
    assert set(map(tuple, _everyone(cast, done).values())) == {()}


def test_closed_training_offers_nothing_to_anyone(cast, assignment, sop_a):
    new_revision(cast, sop_a)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.SUPERSEDED
    assert set(map(tuple, _everyone(cast, assignment).values())) == {()}


def test_the_page_shows_the_forms_of_the_allowed_steps_only(signed_in, cast, assignment):
    url = f"/training/assignments/{assignment.pk}/"
    trainee_page = signed_in(cast.trainee).get(url).content.decode()
    assert "Sign: Read and understood" in trainee_page
    assert "Evaluate effectiveness" not in trainee_page
    done = actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    qa_page = signed_in(cast.qa_lead).get(f"/training/assignments/{done.pk}/").content.decode()
    assert "Evaluate effectiveness" in qa_page
    assert "Sign: Read and understood" not in qa_page


def test_my_tasks_list_the_training_the_table_lets_me_take(cast, assignment, sop_a):
    titles = [t.title for t in tasks_for(cast.trainee) if t.kind == "Training"]
    assert titles == ["Train on SOP-001 rev A: Document control"]
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    assert [t for t in tasks_for(cast.trainee) if t.kind == "Training"] == []
