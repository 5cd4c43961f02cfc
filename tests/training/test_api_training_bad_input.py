"""Bad input to the training API answers 422 naming the fields at fault, and writes nothing."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openqms.testing import PASSWORD, event_count
from openqms.training import actions
from openqms.training.models import QuizAttempt
from tests.strategies import json_bodies

from .conftest import sign_all
from .test_api_training import QUIZ, Api
from .test_api_training_refusals import _state

TODAY = timezone.localdate()
YESTERDAY, TOMORROW = str(TODAY - dt.timedelta(days=1)), str(TODAY + dt.timedelta(days=1))
SIGNED = {"password": PASSWORD, "method": "Observed", "result": "effective", "comment": "Fine"}
SESSION = {
    "document": "SOP-001",
    "revision": "A",
    "trainer": "reviewer",
    "held_on": str(TODAY),
    "attendees": ["trainee"],
    "material": "Slides",
}

CASES = [
    ("qa_lead", "post", "/job-roles", {"name": ""}, "name"),
    ("qa_lead", "post", "/job-roles", {"name": "software ENGINEER"}, "name"),
    ("qa_lead", "post", "/job-roles/{role}/requirements", {"kind": "bogus"}, "kind"),
    ("qa_lead", "post", "/job-roles/{role}/requirements", {"kind": "document"}, "document"),
    (
        "qa_lead",
        "post",
        "/job-roles/{role}/requirements",
        {"kind": "document", "document": "SOP-999"},
        "document",
    ),
    ("qa_lead", "post", "/job-roles/{role}/holders", {"username": "nobody"}, "username"),
    (
        "qa_lead",
        "post",
        "/job-roles/{role}/holders",
        {"username": "author", "started_on": "soon"},
        "started_on",
    ),
    (
        "qa_lead",
        "post",
        "/competencies",
        {"name": "First aid", "kind": "course", "validity_months": 0},
        "validity_months",
    ),
    (
        "qa_lead",
        "put",
        "/rules/procedure",
        {"due_days": 0, "gate": True, "effectiveness_check": False, "reason": "Faster"},
        "due_days",
    ),
    ("qa_lead", "put", "/people/trainee/employee", {"manager": "trainee"}, "manager"),
    (
        "qa_lead",
        "post",
        "/assignments",
        {"username": "author", "document": "SOP-001", "due_date": YESTERDAY, "reason": "Late"},
        "due_date",
    ),
    ("trainee", "post", "/assignments/{assignment}/sign", {}, "password"),
    ("trainee", "post", "/assignments/{assignment}/quiz", {"answers": [5, 0]}, "answers"),
    ("trainee", "post", "/assignments/{assignment}/quiz", {"answers": [0]}, "answers"),
    ("trainee", "post", "/assignments/{assignment}/quiz", {"answers": [True, 0]}, "answers.0"),
    ("qa_lead", "put", "/quizzes/SOP-001", {**QUIZ, "pass_mark": 3}, "pass_mark"),
    (
        "qa_lead",
        "put",
        "/quizzes/SOP-001",
        {"pass_mark": 1, "questions": [{"text": "Q", "choices": ["a"], "answer": 0}]},
        "questions.0.choices",
    ),
    ("qa_lead", "post", "/sessions", {**SESSION, "held_on": TOMORROW}, "held_on"),
    ("qa_lead", "post", "/sessions", {**SESSION, "attendees": ["nobody"]}, "attendees"),
    ("qa_lead", "post", "/sessions", {**SESSION, "revision": "Z"}, "revision"),
    (
        "qa_lead",
        "post",
        "/people/trainee/competence",
        {
            "kind": "education",
            "title": "BSc",
            "obtained_on": "2020-01-01",
            "expires_on": "2019-01-01",
        },
        "expires_on",
    ),
    ("qa_lead", "post", "/people/trainee/evaluate", {**SIGNED, "job_role": 99999}, "job_role"),
    ("qa_lead", "post", "/people/trainee/evaluate", {**SIGNED, "result": "great"}, "result"),
]


@pytest.fixture
def setup(cast, engineer, sop_a):
    # The reviewer, who gives the sessions, is trained on rev A (before the quiz exists).
    actions.take_job_role(actor=cast.qa_lead, person=cast.reviewer, job_role=engineer)
    sign_all(cast.reviewer)
    actions.save_quiz(actor=cast.qa_lead, document=sop_a.document, **QUIZ)
    return {"role": engineer.pk, "assignment": cast.trainee.assignments.get().pk}


@pytest.mark.parametrize(("who", "method", "path", "body", "field"), CASES)
def test_bad_input_is_422_with_the_field_and_writes_nothing(
    client, cast, setup, who, method, path, body, field
):
    api = Api(client, getattr(cast, who))
    before, state = event_count(), _state()
    response = api.send(method, path.format(**setup), body)
    assert response.status_code == 422, response.content
    answer = response.json()
    assert answer["code"] == "invalid_input"
    assert field in answer["fields"], answer
    assert _state() == state
    assert not QuizAttempt.objects.exists()
    assert event_count() == before


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/matrix", {"document": "SOP-999"}, "document"),
        ("/matrix", {"job_role": "x"}, "job_role"),
        ("/matrix", {"limit": 0}, "limit"),
        ("/matrix", {"department": "\x00"}, "department"),
        ("/matrix/documents", {"document": "SOP-999"}, "document"),
        ("/assignments", {"offset": -1}, "offset"),
        ("/assignments", {"state": "done"}, "state"),
        ("/assignments", {"person": "\x00"}, "person"),
        ("/sessions", {"limit": 1000}, "limit"),
    ],
)
def test_a_bad_list_query_is_422_with_the_field(client, cast, setup, path, query, field):
    response = Api(client, cast.qa_lead).get(path, **query)
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"]


KEYS = [
    "name",
    "kind",
    "document",
    "doc_type",
    "username",
    "started_on",
    "reason",
    "due_days",
    "gate",
    "manager",
    "due_date",
    "answers",
    "password",
    "method",
    "result",
    "comment",
    "pass_mark",
    "questions",
    "trainer",
    "held_on",
    "attendees",
    "title",
    "job_role",
]
JSON = json_bodies(KEYS)
WRITES = [
    ("post", "/job-roles"),
    ("post", "/job-roles/{role}/requirements"),
    ("post", "/job-roles/{role}/holders"),
    ("post", "/competencies"),
    ("put", "/rules/procedure"),
    ("put", "/people/author/employee"),
    ("post", "/assignments"),
    ("post", "/assignments/{assignment}/quiz"),
    ("put", "/quizzes/SOP-001"),
    ("post", "/sessions"),
    ("post", "/people/author/competence"),
    ("post", "/people/trainee/evaluate"),
]
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def apis(client, cast, setup):
    return {"qa_lead": Api(client, cast.qa_lead), "trainee": Api(client, cast.trainee)}


@FUZZ
@given(write=st.sampled_from(WRITES), body=JSON)
def test_any_json_body_gets_a_clear_answer(apis, setup, write, body):
    method, path = write
    api = apis["trainee" if "quiz" in path else "qa_lead"]
    response = api.send(method, path.format(**setup), body)
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        assert set(response.json()) == {"code", "message", "fields"}
