"""Training over the API: set up a job role, train on a revision, see it in the matrix."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openqms.core import actions as core_actions
from openqms.core.signatures import content_hash
from openqms.documents import actions as documents
from openqms.documents.models import DocumentType
from openqms.testing import PASSWORD, changes_of, event_count, events_since, last_event
from openqms.training import actions
from openqms.training.models import (
    Assignment,
    AssignmentState,
    Evaluation,
    QuizAttempt,
    TrainingSession,
)

from .conftest import SIGN, approve, new_revision, sign_all


class Api:
    """A bearer-token client for one person; the token is made (and audited) up front."""

    def __init__(self, client, user):
        token = core_actions.create_api_token(actor=user, user=user, name="tests")[1]
        self.client, self.headers = client, {"Authorization": f"Bearer {token}"}

    def get(self, path, **query):
        return self.client.get(f"/api/v1/training{path}", query, headers=self.headers)

    def send(self, method, path, body=None):
        return self.client.generic(
            method.upper(),
            f"/api/v1/training{path}",
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self.headers,
        )

    def post(self, path, body=None):
        return self.send("post", path, body)

    def put(self, path, body):
        return self.send("put", path, body)


def sop(cast, title="Document control"):
    """A new procedure, approved and effective."""
    draft = documents.create_document(
        actor=cast.author,
        doc_type=DocumentType.objects.get(code="procedure"),
        title=title,
        clauses=["4.2.4"],
        body=f"{title}.",
    )
    draft = documents.edit_draft(
        actor=cast.author,
        revision=draft,
        body=draft.body,
        change_summary="First issue",
        change_reason="New procedure",
    )
    return approve(cast, draft)


QUIZ = {
    "pass_mark": 2,
    "questions": [
        {"text": "Who approves?", "choices": ["The author", "The approver"], "answer": 1},
        {"text": "Obsolete copies?", "choices": ["Kept, marked", "Shredded"], "answer": 0},
    ],
}


def test_a_job_role_set_up_over_the_api_brings_training_that_is_signed_and_shown_current(
    client, cast
):
    qa = Api(client, cast.qa_lead)
    before = event_count()
    role = qa.post("/job-roles", {"name": "Software engineer", "description": "Writes code"})
    assert role.status_code == 201, role.content
    role_id = role.json()["id"]
    added = qa.post(
        f"/job-roles/{role_id}/requirements", {"kind": "doc_type", "doc_type": "procedure"}
    )
    assert added.status_code == 201, added.content
    assert (added.json()["kind"], added.json()["label"]) == ("doc_type", "Every Procedure (SOP)")
    held = qa.post(f"/job-roles/{role_id}/holders", {"username": "trainee"})
    assert held.status_code == 201, held.content
    assert [e.action for e in events_since(before)] == [
        "training.job_role.created",
        "training.requirement.added",
        "training.job_role.taken",
    ]
    assert [r["label"] for r in qa.get("/job-roles").json()[0]["requirements"]] == [
        "Every Procedure (SOP)"
    ]

    revision = sop(cast)
    trainee = Api(client, cast.trainee)
    (item,) = trainee.get("/assignments", mine="true").json()["items"]
    assert (item["document"], item["revision"], item["state"], item["username"]) == (
        "SOP-001",
        "A",
        "open",
        "trainee",
    )
    assert item["due_date"] == str(timezone.localdate() + dt.timedelta(days=30))
    detail = trainee.get(f"/assignments/{item['id']}").json()
    assignment = Assignment.objects.get(pk=item["id"])
    assert detail["content_hash"] == content_hash(assignment.signature_content())
    assert (detail["has_quiz"], detail["signatures"], detail["attempts"]) == (False, [], [])
    assert detail["allowed_steps"] == ["sign"]  # the lifecycle table's answer for the trainee
    assert qa.get(f"/assignments/{item['id']}").json()["allowed_steps"] == []

    signed = trainee.post(
        f"/assignments/{item['id']}/sign",
        {"password": PASSWORD, "content_hash": detail["content_hash"]},
    )
    assert signed.status_code == 200, signed.content
    body = signed.json()
    assert (body["state"], body["method"]) == ("completed", "signature")
    assert [(s["printed_name"], s["meaning"], s["valid"]) for s in body["signatures"]] == [
        ("Taylor Trainee", "trained", True)
    ]
    event = last_event()
    assert (event.action, event.actor_id) == ("training.assignment.completed", cast.trainee.pk)
    assert changes_of(event) == {
        "state": ["open", "completed"],
        "step": "sign",
        "method": ["", "signature"],
        "person": "trainee",
        "document": "SOP-001",
        "revision": "A",
    }

    grid = qa.get("/matrix").json()
    assert grid["columns"] == [
        {
            "key": f"d{revision.document_id}",
            "label": "SOP-001",
            "title": "Document control",
            "revision": "A",
        }
    ]
    assert [(r["username"], r["percent"], r["cells"]) for r in grid["rows"]] == [
        ("trainee", 100.0, {f"d{revision.document_id}": {"status": "current", "due": None}})
    ]
    assert qa.get("/matrix/documents").json() == [
        {
            "document": "SOP-001",
            "title": "Document control",
            "revision": "A",
            "required": 1,
            "current": 1,
            "percent": 100.0,
        }
    ]


def test_signing_trained_on_a_superseded_revision_answers_409_naming_the_current_one(
    client, cast, engineer, sop_a
):
    (old,) = cast.trainee.assignments.all()
    new_revision(cast, sop_a)
    trainee = Api(client, cast.trainee)
    before = event_count()
    response = trainee.post(f"/assignments/{old.pk}/sign", {"password": PASSWORD})
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "transition_not_allowed"
    assert "the current revision is B" in response.json()["message"]
    old.refresh_from_db()
    assert old.state == AssignmentState.SUPERSEDED
    assert event_count() == before


def test_a_failed_quiz_is_kept_and_leaves_the_assignment_open(client, cast, engineer, sop_a):
    assert Api(client, cast.qa_lead).put("/quizzes/SOP-001", QUIZ).status_code == 200
    (assignment,) = cast.trainee.assignments.all()
    trainee = Api(client, cast.trainee)
    before = event_count()
    attempt = trainee.post(f"/assignments/{assignment.pk}/quiz", {"answers": [0, 0]})
    assert attempt.status_code == 201, attempt.content
    got = attempt.json()
    assert (got["score"], got["out_of"], got["pass_mark"], got["passed"]) == (1, 2, 2, False)
    assert [e.action for e in events_since(before)] == ["training.quiz.attempted"]
    assert changes_of(last_event())["passed"] is False
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.OPEN
    refused = trainee.post(f"/assignments/{assignment.pk}/sign", {"password": PASSWORD})
    assert refused.status_code == 409
    assert "Pass the quiz" in refused.json()["message"]
    assert QuizAttempt.objects.filter(assignment=assignment, passed=False).count() == 1


def test_a_passed_quiz_then_the_signature_completes_the_training(client, cast, engineer, sop_a):
    Api(client, cast.qa_lead).put("/quizzes/SOP-001", QUIZ)
    (assignment,) = cast.trainee.assignments.all()
    trainee = Api(client, cast.trainee)
    assert trainee.post(f"/assignments/{assignment.pk}/quiz", {"answers": [1, 0]}).json()["passed"]
    shown = trainee.get(f"/assignments/{assignment.pk}").json()
    assert shown["allowed_steps"] == ["sign"]
    signed = trainee.post(
        f"/assignments/{assignment.pk}/sign",
        {"password": PASSWORD, "content_hash": shown["content_hash"]},
    )
    assert (signed.json()["state"], signed.json()["method"]) == ("completed", "quiz")
    assert signed.json()["allowed_steps"] == []
    assert [a["passed"] for a in signed.json()["attempts"]] == [True]
    assert signed.json()["has_quiz"] is True


def test_the_quiz_shows_its_right_answers_only_to_record_keepers(client, cast, engineer, sop_a):
    saved = Api(client, cast.qa_lead).put("/quizzes/SOP-001", QUIZ)
    assert saved.status_code == 200, saved.content
    assert last_event().action == "training.quiz.saved"
    assert [q["answer"] for q in saved.json()["questions"]] == [1, 0]
    assert [
        q["answer"] for q in Api(client, cast.qa_lead).get("/quizzes/SOP-001").json()["questions"]
    ] == [1, 0]
    shown = Api(client, cast.trainee).get("/quizzes/SOP-001").json()
    assert [(q["text"], q["answer"]) for q in shown["questions"]] == [
        ("Who approves?", None),
        ("Obsolete copies?", None),
    ]


SESSION = {
    "document": "SOP-001",
    "revision": "A",
    "trainer": "reviewer",
    "held_on": str(timezone.localdate()),
    "attendees": ["trainee"],
    "material": "Slides v3",
}


@pytest.fixture
def trainer(cast, engineer, sop_a):
    """The reviewer holds the job role and is trained on SOP-001 rev A: they may train."""
    actions.take_job_role(actor=cast.qa_lead, person=cast.reviewer, job_role=engineer)
    sign_all(cast.reviewer)
    return cast.reviewer


def test_a_session_signed_by_its_trainer_completes_the_attendees_training(
    client, cast, trainer, sop_a
):
    recorded = Api(client, cast.qa_lead).post("/sessions", SESSION)
    assert recorded.status_code == 201, recorded.content
    session = recorded.json()
    assert (session["attendees"], session["signed_at"]) == (["trainee"], None)
    assert last_event().action == "training.session.recorded"
    reviewer = Api(client, cast.reviewer)
    assert [s["id"] for s in reviewer.get("/sessions").json()["items"]] == [session["id"]]
    signed = reviewer.post(
        f"/sessions/{session['id']}/sign",
        {"password": PASSWORD, "content_hash": session["content_hash"]},
    )
    assert signed.status_code == 200, signed.content
    assert [s["meaning"] for s in signed.json()["signatures"]] == ["delivered"]
    assert last_event().action == "training.session.signed"
    (assignment,) = cast.trainee.assignments.all()
    assert (assignment.state, assignment.method) == ("completed", "session")


def test_a_plain_reader_records_no_session_over_the_api(client, cast, trainer, sop_a):
    trainee = Api(client, cast.trainee)
    before = event_count()
    response = trainee.post(
        "/sessions", {**SESSION, "trainer": "trainee", "attendees": ["reviewer"]}
    )
    assert response.status_code == 404, response.content
    assert not TrainingSession.objects.exists()
    assert event_count() == before


def test_an_untrained_trainer_is_refused_over_the_api(client, cast, engineer, sop_a):
    qa = Api(client, cast.qa_lead)
    before = event_count()
    response = qa.post("/sessions", SESSION)
    assert response.status_code == 409, response.content
    assert response.json()["message"] == (
        "Riley Reviewer is not trained on SOP-001 rev A, and cannot train others on it. "
        "Choose someone trained on it or its author, or say why this trainer may give the session."
    )
    assert not TrainingSession.objects.exists()
    assert event_count() == before


def test_a_manual_assignment_is_listed_with_its_reason(client, cast, sop_a):
    due = timezone.localdate() + dt.timedelta(days=7)
    created = Api(client, cast.qa_lead).post(
        "/assignments",
        {"username": "author", "document": "SOP-001", "due_date": str(due), "reason": "Induction"},
    )
    assert created.status_code == 201, created.content
    assert (created.json()["by_hand"], created.json()["reason"]) == (True, "Induction")
    event = last_event()
    assert event.action == "training.assignment.created"
    assert changes_of(event)["people"] == ["author"]
    listed = Api(client, cast.qa_lead).get("/assignments", person="author", document="SOP-001")
    assert [(a["username"], a["due_date"]) for a in listed.json()["items"]] == [
        ("author", str(due))
    ]


def test_an_evaluation_of_completed_training_is_signed(client, cast, engineer, sop_a):
    (assignment,) = cast.trainee.assignments.all()
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    qa = Api(client, cast.qa_lead)
    shown = qa.get(f"/assignments/{assignment.pk}").json()
    assert shown["allowed_steps"] == ["evaluate", "evaluate_not_effective"]
    response = qa.post(
        f"/assignments/{assignment.pk}/evaluate",
        {
            "password": PASSWORD,
            "content_hash": shown["content_hash"],
            "method": "Observed at work",
            "result": "effective",
            "comment": "Follows the procedure",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["username"], body["subject"], body["result"], body["evaluator"]) == (
        "trainee",
        "SOP-001 rev A",
        "effective",
        "qa-lead",
    )
    assert [s["meaning"] for s in body["signatures"]] == ["evaluated"]
    assert last_event().action == "training.evaluation.recorded"


def test_an_evaluation_in_a_job_role_is_signed_against_the_holding_shown(
    client, cast, engineer, sop_a
):
    qa = Api(client, cast.qa_lead)
    (held,) = qa.get("/people/trainee/record").json()["job_roles"]
    body = {
        "password": PASSWORD,
        "job_role": engineer.pk,
        "method": "Interview",
        "result": "effective",
        "comment": "Knows the role",
    }
    before = event_count()
    stale = qa.post("/people/trainee/evaluate", {**body, "content_hash": "0" * 64})
    assert stale.status_code == 409, stale.content
    assert "changed after you opened it" in stale.json()["message"]
    assert event_count() == before and not Evaluation.objects.exists()
    response = qa.post("/people/trainee/evaluate", {**body, "content_hash": held["content_hash"]})
    assert response.status_code == 201, response.content
    assert (response.json()["subject"], response.json()["result"]) == (
        "Software engineer",
        "effective",
    )
    assert [s["meaning"] for s in response.json()["signatures"]] == ["evaluated"]
    assert last_event().action == "training.evaluation.recorded"


def test_the_individual_record_lists_roles_requirements_training_and_competence(
    client, cast, engineer, sop_a
):
    (assignment,) = cast.trainee.assignments.all()
    actions.sign_trained(actor=cast.trainee, assignment=assignment, credentials=SIGN)
    qa = Api(client, cast.qa_lead)
    added = qa.post(
        "/people/trainee/competence",
        {"kind": "education", "title": "BSc Computer Science", "obtained_on": "2015-07-01"},
    )
    assert added.status_code == 201, added.content
    assert last_event().action == "training.competence.added"
    record = qa.get("/people/trainee/record").json()
    assert [r["job_role"] for r in record["job_roles"]] == ["Software engineer"]
    assert [(r["label"], r["status"]) for r in record["requirements"]] == [("SOP-001", "current")]
    assert [
        (a["revision"], [s["meaning"] for s in a["signatures"]]) for a in record["assignments"]
    ] == [("A", ["trained"])]
    assert [c["title"] for c in record["competence"]] == ["BSc Computer Science"]
    assert record["percent"] == 100.0
    withdrawn = qa.post(f"/competence/{added.json()['id']}/withdraw", {"reason": "Wrong person"})
    assert withdrawn.json()["withdraw_reason"] == "Wrong person"
    assert last_event().action == "training.competence.withdrawn"


def test_rules_competencies_and_the_employee_record_are_configured(client, cast):
    qa = Api(client, cast.qa_lead)
    rule = qa.put(
        "/rules/procedure",
        {"due_days": 14, "gate": True, "effectiveness_check": False, "reason": "CAPA-7"},
    )
    assert rule.status_code == 200, rule.content
    assert (rule.json()["due_days"], rule.json()["gate"]) == (14, True)
    assert changes_of(last_event()) == {
        "type": "procedure",
        "due_days": [30, 14],
        "gate": [False, True],
    }
    competency = qa.post("/competencies", {"name": "ISTQB", "kind": "qualification"})
    assert competency.status_code == 201, competency.content
    assert [c["name"] for c in qa.get("/competencies").json()] == ["ISTQB"]
    employee = qa.put("/people/trainee/employee", {"department": "R&D", "manager": "author"})
    assert employee.json() == {"username": "trainee", "department": "R&D", "manager": "author"}
    assert last_event().action == "training.employee.updated"


def test_a_manager_sees_their_people_in_the_matrix(client, cast, engineer, sop_a):
    actions.update_employee(
        actor=cast.qa_lead, person=cast.trainee, department="R&D", manager=cast.author
    )
    rows = Api(client, cast.author).get("/matrix").json()["rows"]
    assert [(r["username"], r["department"]) for r in rows] == [("trainee", "R&D")]
    (cell,) = rows[0]["cells"].values()
    assert cell["status"] == "due"


def test_the_openapi_document_lists_every_training_endpoint(client, cast):
    client.force_login(cast.author)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    training = {
        p[len("/api/v1/training") :]: sorted(m) for p, m in paths.items() if "/training/" in p
    }
    assert training == {
        "/job-roles": ["get", "post"],
        "/job-roles/{job_role_id}/requirements": ["post"],
        "/requirements/{requirement_id}/remove": ["post"],
        "/job-roles/{job_role_id}/holders": ["post"],
        "/holdings/{holding_id}/end": ["post"],
        "/job-roles/{job_role_id}/retire": ["post"],
        "/competencies": ["get", "post"],
        "/rules": ["get"],
        "/rules/{doc_type_code}": ["put"],
        "/people/{username}/employee": ["put"],
        "/assignments": ["get", "post"],
        "/assignments/{assignment_id}": ["get"],
        "/assignments/{assignment_id}/sign": ["post"],
        "/assignments/{assignment_id}/quiz": ["post"],
        "/assignments/{assignment_id}/evaluate": ["post"],
        "/quizzes/{number}": ["get", "put"],
        "/sessions": ["get", "post"],
        "/sessions/{session_id}/sign": ["post"],
        "/people/{username}/record": ["get"],
        "/people/{username}/competence": ["post"],
        "/competence/{record_id}/withdraw": ["post"],
        "/people/{username}/evaluate": ["post"],
        "/matrix": ["get"],
        "/matrix/documents": ["get"],
    }


def _people(cast, role, count, start):
    for i in range(start, start + count):
        person = core_actions.create_user(
            actor=None,
            username=f"person-{i}",
            full_name=f"Person {i:03}",
            password=PASSWORD,
            roles=[cast.trainee.role_assignments.first().role],
            reason="test",
        )
        actions.take_job_role(actor=cast.qa_lead, person=person, job_role=role)


@pytest.mark.parametrize("path", ["/assignments", "/matrix"])
def test_the_list_query_count_does_not_grow_with_rows(client, cast, engineer, sop_a, path):
    qa = Api(client, cast.qa_lead)
    _people(cast, engineer, 2, 0)
    sop(cast, title="Records")
    qa.get(path)
    with CaptureQueriesContext(connection) as few:
        small = qa.get(path).json()
    _people(cast, engineer, 12, 2)
    sop(cast, title="Calibration")
    with CaptureQueriesContext(connection) as many:
        large = qa.get(path).json()
    assert len(large.get("items", large.get("rows"))) > 3 * len(
        small.get("items", small.get("rows"))
    )
    assert len(many) == len(few)
