"""The assignment page: the revision to read, read and understood signed from the page, the
quiz before it where the document has one, and the evaluation of effectiveness."""

import re

import pytest

from openqms.core.models import Signature
from openqms.core.signatures import content_hash
from openqms.testing import PASSWORD, changes_of, event_count, events_since
from openqms.training import actions
from openqms.training.models import Assignment, Evaluation, QuizAttempt

from .conftest import SIGN, new_revision, open_assignments

QUESTIONS = [
    {"text": "Who approves a procedure?", "choices": ["The author", "The approver"], "answer": 1},
    {"text": "Where is the current revision?", "choices": ["In OpenQMS", "On paper"], "answer": 0},
]


@pytest.fixture
def assignment(cast, engineer, sop_a):
    """The trainee's open training on SOP-001 rev A."""
    (mine,) = open_assignments(cast.trainee)
    return mine


@pytest.fixture
def quiz(cast, sop_a):
    return actions.save_quiz(
        actor=cast.qa_lead, document=sop_a.document, pass_mark=2, questions=QUESTIONS
    )


def _url(assignment, step=""):
    return f"/training/assignments/{assignment.pk}/{step}"


def _shown_hash(page) -> str:
    return re.search(r'name="content_hash" value="([0-9a-f]{64})"', page.content.decode())[1]


def _trained_signatures() -> list:
    return list(Signature.objects.filter(meaning="trained"))


def _completed(assignment) -> Assignment:
    assignment.refresh_from_db()
    return assignment


def test_trainee_reads_the_revision_and_is_offered_read_and_understood(signed_in, cast, assignment):
    page = signed_in(cast.trainee).get(_url(assignment))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Training on SOP-001 rev A <small>Document control</small>" in html
    assert "<p>Control documents.</p>" in html  # the body, rendered as documents render it
    assert "SOP-001 rev A became effective" in html
    assert '<a href="/documents/SOP-001/A/pdf/">Controlled copy (PDF)</a>' in html
    assert "Sign: Read and understood (trained)" in html
    assert _shown_hash(page) == content_hash(assignment.signature_content())


def test_trainee_signs_read_and_understood_and_the_training_is_complete(
    signed_in, cast, assignment
):
    client = signed_in(cast.trainee)
    shown = _shown_hash(client.get(_url(assignment)))
    before = event_count()
    page = client.post(_url(assignment, "sign/"), {"password": PASSWORD, "content_hash": shown})
    assert page.status_code == 302 and page["Location"] == _url(assignment)
    done = _completed(assignment)
    assert (done.state, done.method) == ("completed", "signature")
    events = events_since(before)
    assert [e.action for e in events] == ["core.signature.signed", "training.assignment.completed"]
    assert changes_of(events[1]) == {
        "state": ["open", "completed"],
        "step": "sign",
        "method": ["", "signature"],
        "person": "trainee",
        "document": "SOP-001",
        "revision": "A",
    }
    html = client.get(_url(assignment)).content.decode()
    assert "Signed: read and understood. Your training on SOP-001 rev A is complete." in html
    assert "<strong>Taylor Trainee</strong> — Read and understood (trained)" in html
    assert "Sign: Read and understood" not in html


def test_a_wrong_password_signs_nothing(signed_in, cast, assignment):
    client = signed_in(cast.trainee)
    shown = _shown_hash(client.get(_url(assignment)))
    before = event_count()
    page = client.post(
        _url(assignment, "sign/"),
        {"password": "not my password", "content_hash": shown},
        follow=True,
    )
    assert "The password is not correct; nothing was signed." in page.content.decode()
    assert _completed(assignment).state == "open" and not _trained_signatures()
    # The failed attempt itself is recorded (it counts toward lockout); nothing else is.
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]


def test_nobody_signs_someone_elses_training(signed_in, cast, assignment):
    before = event_count()
    page = signed_in(cast.qa_lead).post(_url(assignment, "sign/"), {"password": PASSWORD})
    assert page.status_code == 404
    assert _completed(assignment).state == "open" and event_count() == before


def test_qa_lead_and_auditor_see_the_training_but_no_signing_dialog(signed_in, cast, assignment):
    for reader in (cast.qa_lead, cast.auditor):
        page = signed_in(reader).get(_url(assignment))
        assert page.status_code == 200
        assert "Taylor Trainee (trainee)" in page.content.decode()
        assert 'name="content_hash"' not in page.content.decode()


@pytest.mark.parametrize("step", ["", "sign/", "quiz/", "evaluate/"])
def test_outsider_gets_not_found_and_changes_nothing(signed_in, cast, assignment, step):
    client = signed_in(cast.outsider)
    before = event_count()
    response = client.post(_url(assignment, step), {"password": PASSWORD}) if step else None
    assert (response or client.get(_url(assignment))).status_code == 404
    assert _completed(assignment).state == "open" and event_count() == before


def test_a_superseded_revision_says_so_and_names_the_current_one(signed_in, cast, assignment):
    rev_b = new_revision(cast, assignment.revision)
    (current,) = open_assignments(cast.trainee)
    html = signed_in(cast.trainee).get(_url(assignment)).content.decode()
    assert "<strong>Revision A is superseded.</strong>" in html
    assert (
        f'The current revision is B: <a href="/training/assignments/{current.pk}/">'
        "training on revision B</a>." in html
    )
    assert 'name="content_hash"' not in html
    assert current.revision == rev_b


def test_a_superseded_revision_cannot_be_signed(signed_in, cast, assignment):
    new_revision(cast, assignment.revision)
    before = event_count()
    page = signed_in(cast.trainee).post(
        _url(assignment, "sign/"), {"password": PASSWORD}, follow=True
    )
    assert "SOP-001 rev A is superseded; the current revision is B: train on that one." in (
        page.content.decode()
    )
    assert _completed(assignment).state == "superseded" and event_count() == before


# -- quiz ---------------------------------------------------------------------------------


def test_the_quiz_comes_before_signing(signed_in, cast, assignment, quiz):
    html = signed_in(cast.trainee).get(_url(assignment)).content.decode()
    assert "1. Who approves a procedure?" in html
    assert 'type="radio" name="q0" value="1"' in html
    assert "2 of 2 correct answers pass." in html
    assert 'name="content_hash"' not in html


def test_a_failed_quiz_is_recorded_and_the_training_stays_open(signed_in, cast, assignment, quiz):
    client = signed_in(cast.trainee)
    before = event_count()
    page = client.post(_url(assignment, "quiz/"), {"q0": "1", "q1": "1"}, follow=True)
    html = page.content.decode()
    assert "Quiz not passed: 1 of 2 correct; the pass mark is 2." in html
    assert "1 of 2 correct (pass mark 2)" in html and "not passed" in html
    assert 'type="radio" name="q0"' in html  # offered again
    assert _completed(assignment).state == "open"
    assert list(QuizAttempt.objects.values_list("score", "passed")) == [(1, False)]
    (event,) = events_since(before)
    assert event.action == "training.quiz.attempted"
    assert changes_of(event) == {
        "revision": "A",
        "score": 1,
        "out_of": 2,
        "pass_mark": 2,
        "passed": False,
    }


def test_a_passed_quiz_opens_the_signing_dialog_and_signing_completes_it(
    signed_in, cast, assignment, quiz
):
    client = signed_in(cast.trainee)
    client.post(_url(assignment, "quiz/"), {"q0": "0", "q1": "1"})
    page = client.post(_url(assignment, "quiz/"), {"q0": "1", "q1": "0"}, follow=True)
    html = page.content.decode()
    assert "Quiz passed: 2 of 2 correct; the pass mark is 2. Now sign it read and understood." in (
        html
    )
    assert 'type="radio"' not in html
    client.post(
        _url(assignment, "sign/"), {"password": PASSWORD, "content_hash": _shown_hash(page)}
    )
    done = _completed(assignment)
    assert (done.state, done.method) == ("completed", "quiz")
    assert list(QuizAttempt.objects.values_list("passed", flat=True)) == [False, True]


def test_signing_before_passing_the_quiz_is_refused(signed_in, cast, assignment, quiz):
    before = event_count()
    page = signed_in(cast.trainee).post(
        _url(assignment, "sign/"), {"password": PASSWORD}, follow=True
    )
    assert "Pass the quiz on SOP-001 before signing it read and understood." in (
        page.content.decode()
    )
    assert _completed(assignment).state == "open" and event_count() == before


def test_an_unanswered_question_records_no_attempt(signed_in, cast, assignment, quiz):
    before = event_count()
    page = signed_in(cast.trainee).post(_url(assignment, "quiz/"), {"q0": "1"}, follow=True)
    assert "Nothing was recorded. Answer all 2 questions." in page.content.decode()
    assert not QuizAttempt.objects.exists() and event_count() == before


# -- effectiveness ------------------------------------------------------------------------


@pytest.fixture
def completed(cast, assignment):
    return actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)


def _evaluation(result="effective", password=PASSWORD, shown=""):
    return {
        "method": "Observed at work",
        "result": result,
        "comment": "Followed the procedure unaided.",
        "password": password,
        "content_hash": shown,
    }


def _shown(client, assignment) -> str:
    """The hash of the training the evaluator is shown, as the page's form carries it."""
    page = client.get(_url(assignment)).content.decode()
    return re.search(r'name="content_hash" value="([0-9a-f]{64})"', page)[1]


def test_evaluator_signs_an_evaluation_of_completed_training(signed_in, cast, completed):
    client = signed_in(cast.qa_lead)
    assert "Evaluate effectiveness" in client.get(_url(completed)).content.decode()
    shown = _shown(client, completed)
    before = event_count()
    page = client.post(_url(completed, "evaluate/"), _evaluation(shown=shown), follow=True)
    html = page.content.decode()
    assert "Signed: effectiveness of training evaluated." in html
    assert "<strong>Quinn Avery</strong> — Training effectiveness evaluated" in html
    (evaluation,) = Evaluation.objects.all()
    assert (evaluation.assignment, evaluation.evaluator, evaluation.result) == (
        completed,
        cast.qa_lead,
        "effective",
    )
    events = events_since(before)
    assert [e.action for e in events] == ["core.signature.signed", "training.evaluation.recorded"]
    assert changes_of(events[1]) == {
        "person": "trainee",
        "subject": "SOP-001 rev A",
        "method": "Observed at work",
        "result": "effective",
    }


def test_training_found_not_effective_is_assigned_again(signed_in, cast, completed):
    client = signed_in(cast.qa_lead)
    page = client.post(
        _url(completed, "evaluate/"),
        _evaluation("not_effective", shown=_shown(client, completed)),
        follow=True,
    )
    assert "Taylor Trainee is assigned the training again." in page.content.decode()
    assert _completed(completed).state == "ineffective"
    (again,) = open_assignments(cast.trainee)
    assert again.revision == completed.revision


def test_an_evaluation_without_the_password_signs_nothing(signed_in, cast, completed):
    before = event_count()
    page = signed_in(cast.qa_lead).post(
        _url(completed, "evaluate/"), _evaluation(password=""), follow=True
    )
    assert "Nothing was signed. Your password: This field is required." in page.content.decode()
    assert not Evaluation.objects.exists() and event_count() == before


def test_the_trainee_is_not_offered_an_evaluation_and_cannot_post_one(signed_in, cast, completed):
    client = signed_in(cast.trainee)
    assert "Evaluate effectiveness" not in client.get(_url(completed)).content.decode()
    before = event_count()
    client.post(_url(completed, "evaluate/"), _evaluation())
    assert not Evaluation.objects.exists() and event_count() == before
