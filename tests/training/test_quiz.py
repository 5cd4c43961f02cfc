import pytest

from openqms.core.errors import InvalidInput, NotFound, PermissionRefused, TransitionNotAllowed
from openqms.core.models import Signature
from openqms.testing import changes_of, event_count, events_since
from openqms.training import actions
from openqms.training.models import AssignmentState, Method, Quiz, QuizAttempt

from .conftest import SIGN, make_person, open_assignments

QUESTIONS = [
    {"text": "Who approves a revision?", "choices": ["The author", "The approver"], "answer": 1},
    {"text": "Which revision is used?", "choices": ["Any", "The effective one", "A"], "answer": 1},
    {"text": "Are copies controlled?", "choices": ["Yes", "No"], "answer": 0},
]


@pytest.fixture
def assignment(cast, engineer, sop_a):
    actions.save_quiz(actor=cast.qa_lead, document=sop_a.document, pass_mark=2, questions=QUESTIONS)
    (assignment,) = open_assignments(cast.trainee)
    return assignment


@pytest.mark.verifies("TRN-008")
def test_a_failed_attempt_is_kept_and_the_training_stays_open(cast, assignment):
    before = event_count()
    attempt = actions.submit_quiz(actor=cast.trainee, assignment=assignment, answers=[0, 1, 1])
    assert (attempt.score, attempt.pass_mark, attempt.passed) == (1, 2, False)
    assert (attempt.questions, attempt.answers) == (QUESTIONS, [0, 1, 1])
    [event] = events_since(before)
    assert (event.action, changes_of(event)) == (
        "training.quiz.attempted",
        {"revision": "A", "score": 1, "out_of": 3, "pass_mark": 2, "passed": False},
    )
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.OPEN


@pytest.mark.verifies("TRN-008", refusal=True)
def test_signing_before_a_passed_attempt_is_refused(cast, assignment):
    actions.submit_quiz(actor=cast.trainee, assignment=assignment, answers=[0, 0, 1])
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="Pass the quiz on SOP-001"):
        actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.OPEN
    assert not Signature.objects.filter(meaning="trained").exists()
    assert event_count() == before


@pytest.mark.verifies("TRN-008")
def test_after_a_pass_signing_completes_the_training_by_quiz(cast, assignment):
    actions.submit_quiz(actor=cast.trainee, assignment=assignment, answers=[0, 0, 1])
    passed = actions.submit_quiz(actor=cast.trainee, assignment=assignment, answers=[1, 1, 1])
    assert (passed.score, passed.passed) == (2, True)
    before = event_count()
    done = actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    assert (done.state, done.method) == (AssignmentState.COMPLETED, Method.QUIZ)
    assert changes_of(events_since(before)[-1])["method"] == ["", "quiz"]
    assert list(done.attempts.values_list("passed", flat=True)) == [False, True]


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([1, 1], "Answer all 3 questions"),
        ([1, 1, 1, 1], "Answer all 3 questions"),
        ([1, 3, 0], "Question 2 has no answer 3"),
        ([1, -1, 0], "Question 2 has no answer -1"),
        ([1, "1", 0], "Question 2 has no answer '1'"),
        ([True, 1, 0], "Question 1 has no answer True"),
    ],
)
def test_bad_answers_are_refused_with_nothing_written(cast, assignment, answers, message):
    before = event_count()
    with pytest.raises(InvalidInput, match=message):
        actions.submit_quiz(actor=cast.trainee, assignment=assignment, answers=answers)
    assert not QuizAttempt.objects.exists()
    assert event_count() == before


def test_nobody_answers_someone_elses_quiz(cast, assignment):
    colleague = make_person("colleague", "Casey Colleague")
    before = event_count()
    with pytest.raises(NotFound):
        actions.submit_quiz(actor=colleague, assignment=assignment, answers=[1, 1, 0])
    assert not QuizAttempt.objects.exists()
    assert event_count() == before


def test_a_document_without_a_quiz_has_nothing_to_attempt(cast, engineer, sop_a):
    (assignment,) = open_assignments(cast.trainee)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="has no quiz"):
        actions.submit_quiz(actor=cast.trainee, assignment=assignment, answers=[0])
    assert event_count() == before


def test_saving_a_quiz_is_audited(cast, sop_a):
    before = event_count()
    quiz = actions.save_quiz(
        actor=cast.qa_lead, document=sop_a.document, pass_mark=2, questions=QUESTIONS
    )
    assert (quiz.pass_mark, quiz.questions, quiz.updated_by) == (2, QUESTIONS, cast.qa_lead)
    [event] = events_since(before)
    assert (event.action, changes_of(event)) == (
        "training.quiz.saved",
        {"pass_mark": [None, 2], "questions": [None, QUESTIONS]},
    )
    before = event_count()
    actions.save_quiz(actor=cast.qa_lead, document=sop_a.document, pass_mark=3, questions=QUESTIONS)
    assert changes_of(events_since(before)[0]) == {"pass_mark": [2, 3]}


@pytest.mark.parametrize(
    ("pass_mark", "questions", "message"),
    [
        (1, [], "at least one question"),
        (4, QUESTIONS, "between 1 and 3"),
        (0, QUESTIONS, "between 1 and 3"),
        (1, [{"text": " ", "choices": ["a", "b"], "answer": 0}], "Question 1 needs its text"),
        (1, [{"text": "Q", "choices": ["only"], "answer": 0}], "Question 1 needs 2 to 6"),
        (1, [{"text": "Q", "choices": ["a", "b"], "answer": 2}], "right answer"),
        (1, [{"text": "Q", "choices": ["a", "b"]}], "right answer"),
        (1, [{"text": "Q", "choices": ["a", "b"], "answer": True}], "right answer"),
        (1, [QUESTIONS[0]] * 21, "at most 20"),
    ],
)
def test_bad_quizzes_are_refused(cast, sop_a, pass_mark, questions, message):
    before = event_count()
    with pytest.raises(InvalidInput, match=message):
        actions.save_quiz(
            actor=cast.qa_lead, document=sop_a.document, pass_mark=pass_mark, questions=questions
        )
    assert not Quiz.objects.exists()
    assert event_count() == before


def test_saving_the_same_quiz_again_changes_nothing(cast, assignment, sop_a):
    before = event_count()
    with pytest.raises(InvalidInput, match="Nothing changed"):
        actions.save_quiz(
            actor=cast.qa_lead, document=sop_a.document, pass_mark=2, questions=QUESTIONS
        )
    assert event_count() == before


def test_only_a_records_manager_saves_quizzes(cast, sop_a):
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.save_quiz(
            actor=cast.author, document=sop_a.document, pass_mark=2, questions=QUESTIONS
        )
    assert not Quiz.objects.exists()
    assert event_count() == before
