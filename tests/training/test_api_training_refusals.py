"""Who reaches what of the training API: 404 for missing and forbidden alike, nothing written."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from openqms.testing import PASSWORD, event_count, events_since
from openqms.training import actions
from openqms.training.models import (
    Assignment,
    CompetenceRecord,
    Competency,
    Employee,
    Holding,
    JobRole,
    Quiz,
    Requirement,
    TrainingRule,
    TrainingSession,
)

from .conftest import SIGN
from .test_api_training import QUIZ, Api

TODAY = str(timezone.localdate())
SIGNED = {"password": PASSWORD, "method": "Mine", "result": "effective", "comment": "Mine"}
# A valid body for every operation that takes one, so a refusal is never a 422 in disguise.
BODIES = {
    "/job-roles": {"name": "Mine"},
    "/job-roles/{job_role_id}/requirements": {"kind": "document", "document": "SOP-001"},
    "/requirements/{requirement_id}/remove": {"reason": "Mine"},
    "/job-roles/{job_role_id}/holders": {"username": "outsider"},
    "/holdings/{holding_id}/end": {"reason": "Mine"},
    "/job-roles/{job_role_id}/retire": {"reason": "Mine"},
    "/competencies": {"name": "Mine", "kind": "course"},
    "/rules/{doc_type_code}": {
        "due_days": 1,
        "gate": True,
        "effectiveness_check": True,
        "reason": "Faster",
    },
    "/people/{username}/employee": {"department": "Mine", "manager": "outsider"},
    "/assignments": {
        "username": "outsider",
        "document": "SOP-001",
        "due_date": str(timezone.localdate() + dt.timedelta(days=7)),
        "reason": "Mine",
    },
    "/assignments/{assignment_id}/sign": {"password": PASSWORD},
    "/assignments/{assignment_id}/quiz": {"answers": [0, 0]},
    "/assignments/{assignment_id}/evaluate": SIGNED,
    "/quizzes/{number}": QUIZ,
    "/sessions": {
        "document": "SOP-001",
        "revision": "A",
        "trainer": "outsider",
        "held_on": TODAY,
        "attendees": ["author"],
        "material": "Mine",
    },
    "/sessions/{session_id}/sign": {"password": PASSWORD},
    "/people/{username}/competence": {"kind": "education", "title": "Mine"},
    "/competence/{record_id}/withdraw": {"reason": "Mine"},
    "/people/{username}/evaluate": {**SIGNED, "job_role": 0},  # filled in with the real id
}


@pytest.fixture
def world(cast, engineer, sop_a):
    """The author's training on SOP-001 (completed), a session they gave, a record of
    theirs, a quiz: something real behind every path parameter."""
    holding = actions.take_job_role(actor=cast.qa_lead, person=cast.author, job_role=engineer)
    assignment = Assignment.objects.get(person=cast.author)
    actions.sign_trained(actor=cast.author, assignment=assignment, credentials=SIGN)
    session = actions.record_session(
        actor=cast.qa_lead,
        revision=sop_a,
        trainer=cast.author,
        held_on=timezone.localdate(),
        attendees=[cast.reviewer],
        material="Slides",
    )
    record = actions.add_competence_record(
        actor=cast.qa_lead, person=cast.author, kind="education", title="BSc"
    )
    actions.save_quiz(actor=cast.qa_lead, document=sop_a.document, **QUIZ)
    return {
        "job_role_id": engineer.pk,
        "requirement_id": engineer.requirements.get().pk,
        "holding_id": holding.pk,
        "assignment_id": assignment.pk,
        "session_id": session.pk,
        "record_id": record.pk,
        "username": "author",
        "number": "SOP-001",
        "doc_type_code": "procedure",
    }


def _operations(client, cast, world):
    client.force_login(cast.qa_lead)
    spec = client.get("/api/v1/openapi.json").json()
    client.logout()
    for template, methods in spec["paths"].items():
        if not template.startswith("/api/v1/training/"):
            continue
        short = template[len("/api/v1/training") :]
        path = re.sub(r"\{([^}]+)\}", lambda m: str(world[m.group(1)]), short)
        for method in methods:
            body = BODIES.get(short) if method in ("post", "put") else None
            if short == "/people/{username}/evaluate":
                body = {**body, "job_role": world["job_role_id"]}
            yield method, short, path, body


def _state():
    """Everything a training endpoint could change."""
    return (
        list(JobRole.objects.values_list("pk", "retired_at")),
        list(Requirement.objects.values_list("pk", "removed_at")),
        list(Holding.objects.values_list("pk", "ended_on")),
        list(Assignment.objects.values_list("pk", "state", "due_date")),
        list(TrainingSession.objects.values_list("pk", "signed_at")),
        list(CompetenceRecord.objects.values_list("pk", "withdrawn_at")),
        list(Quiz.objects.values_list("pk", "pass_mark", "updated_at")),
        list(Competency.objects.values_list("pk")),
        list(Employee.objects.values_list("pk", "department", "manager")),
        list(TrainingRule.objects.values_list("pk", "due_days", "gate", "effectiveness_check")),
    )


@pytest.mark.verifies("TRN-018", refusal=True)
def test_every_training_endpoint_refuses_the_outsider_and_nothing_changes(client, cast, world):
    operations = list(_operations(client, cast, world))
    assert len(operations) == 29
    api = Api(client, cast.outsider)
    before, state = event_count(), _state()
    for method, short, path, body in operations:
        response = (
            api.send(method, path, body)
            if body
            else api.client.generic(method.upper(), f"/api/v1/training{path}", headers=api.headers)
        )
        assert response.status_code == 404, (method, short, response.content)
        assert response.json() == {"code": "not_found", "message": "Not found.", "fields": {}}
    assert _state() == state
    assert event_count() == before


# What someone who only trains may use: their list, the sessions, the quiz without its
# answers. Recording a session is for record keepers: 404 like the rest.
TRAINEE_REACHES = {
    ("get", "/assignments"): 200,
    ("get", "/sessions"): 200,
    ("get", "/quizzes/{number}"): 200,
}


def test_someone_who_only_trains_meets_404_on_others_records_and_on_configuration(
    client, cast, world
):
    operations = list(_operations(client, cast, world))
    api = Api(client, cast.trainee)
    before, state = event_count(), _state()
    for method, short, path, body in operations:
        response = api.send(method, path, body) if body else api.get(path)
        expected = TRAINEE_REACHES.get((method, short), 404)
        assert response.status_code == expected, (method, short, response.content)
    assert _state() == state
    assert event_count() == before


@pytest.mark.verifies("TRN-004", refusal=True)
def test_a_manager_sees_their_people_but_cannot_sign_for_them(client, cast, world):
    actions.update_employee(
        actor=cast.qa_lead, person=cast.trainee, department="R&D", manager=cast.author
    )
    (assignment,) = cast.trainee.assignments.all()
    manager = Api(client, cast.author)
    assert manager.get(f"/assignments/{assignment.pk}").status_code == 200
    assert manager.get("/people/trainee/record").status_code == 200
    before = event_count()
    response = manager.post(f"/assignments/{assignment.pk}/sign", {"password": PASSWORD})
    assert response.status_code == 404
    assignment.refresh_from_db()
    assert assignment.state == "open"
    assert event_count() == before
    assert manager.get("/people/reviewer/record").status_code == 404


def test_a_wrong_password_signs_nothing_and_only_the_failure_is_recorded(
    client, cast, engineer, sop_a
):
    (assignment,) = cast.trainee.assignments.all()
    api = Api(client, cast.trainee)
    before = event_count()
    shown = api.get(f"/assignments/{assignment.pk}").json()["content_hash"]
    response = api.post(
        f"/assignments/{assignment.pk}/sign", {"password": "wrong", "content_hash": shown}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "reauthentication_failed"
    assignment.refresh_from_db()
    assert assignment.state == "open"
    assert [e.action for e in events_since(before)] == ["core.auth.signing_failed"]


@pytest.mark.verifies("TRN-018", refusal=True)
def test_a_missing_object_is_404_like_a_forbidden_one(client, cast, world):
    qa = Api(client, cast.qa_lead)
    before = event_count()
    for response in (
        qa.get("/assignments/999999"),
        qa.post("/assignments/999999/sign", {"password": PASSWORD}),
        qa.post("/job-roles/999999/retire", {"reason": "Gone"}),
        qa.post("/holdings/999999/end", {"reason": "Gone"}),
        qa.put("/rules/no-such-type", BODIES["/rules/{doc_type_code}"]),
        qa.get("/quizzes/SOP-999"),
        qa.get("/people/nobody/record"),
    ):
        assert response.status_code == 404, response.content
        assert response.json()["code"] == "not_found"
    assert event_count() == before


def test_the_outsider_meets_404_before_their_input_is_even_read(client, cast):
    api = Api(client, cast.outsider)
    before = event_count()
    response = api.post("/job-roles/not-a-number/retire", {"nonsense": 1})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert event_count() == before
