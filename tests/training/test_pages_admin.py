"""The training configuration pages: job roles, requirements, holders, people's manager,
competencies, training rules and training assigned by hand. Managers only; others 404."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openqms.documents.models import DocumentType
from openqms.testing import changes_of, event_count, events_since, last_event
from openqms.training import actions
from openqms.training.models import (
    Assignment,
    Competency,
    Employee,
    Holding,
    JobRole,
    Requirement,
    TrainingRule,
)

from .conftest import open_assignments

PAGES = [
    "/training/job-roles/",
    "/training/job-roles/{role}/",
    "/training/people/trainee/employee/",
    "/training/competencies/",
    "/training/rules/",
    "/training/rules/procedure/",
    "/training/assign/",
]
POSTS = [
    "/training/job-roles/",
    "/training/job-roles/{role}/requirements/",
    "/training/job-roles/{role}/holders/",
    "/training/job-roles/{role}/retire/",
    "/training/requirements/{requirement}/remove/",
    "/training/holdings/{holding}/end/",
    "/training/people/trainee/employee/",
    "/training/competencies/",
    "/training/rules/procedure/",
    "/training/assign/",
]
ANYTHING = {
    "name": "Tester",
    "kind": "doc_type",
    "doc_type": "procedure",
    "person": "trainee",
    "reason": "Because",
    "department": "QA",
    "due_days": "5",
    "gate": "on",
    "document": "SOP-001",
    "due_date": "2099-01-01",
}


def _snapshot():
    return (
        list(JobRole.objects.values_list("name", "retired_at")),
        list(Requirement.objects.values_list("pk", "removed_at")),
        list(Holding.objects.values_list("pk", "ended_on")),
        list(Employee.objects.values_list("department", "manager")),
        list(Competency.objects.values_list("name")),
        list(TrainingRule.objects.values_list("doc_type", "due_days", "gate")),
        list(Assignment.objects.values_list("pk", "state")),
    )


def _path(template, engineer):
    requirement = engineer.requirements.get()
    holding = engineer.holdings.get()
    return template.format(role=engineer.pk, requirement=requirement.pk, holding=holding.pk)


@pytest.mark.parametrize("page", PAGES)
def test_a_manager_sees_every_configuration_page(signed_in, cast, engineer, sop_a, page):
    assert signed_in(cast.qa_lead).get(_path(page, engineer)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_an_outsider_gets_not_found_on_every_configuration_page(
    signed_in, cast, engineer, sop_a, page
):
    assert signed_in(cast.outsider).get(_path(page, engineer)).status_code == 404


@pytest.mark.parametrize("page", POSTS)
def test_an_outsider_changes_nothing_by_posting(signed_in, cast, engineer, sop_a, page):
    before, snapshot = event_count(), _snapshot()
    response = signed_in(cast.outsider).post(_path(page, engineer), ANYTHING)
    assert response.status_code == 404
    assert event_count() == before and _snapshot() == snapshot


def test_a_trainee_gets_not_found_on_the_job_roles_page(signed_in, cast, engineer):
    assert signed_in(cast.trainee).get("/training/job-roles/").status_code == 404


def test_creating_a_role_requiring_a_sop_and_giving_it_assigns_the_sop(signed_in, cast, sop_a):
    client = signed_in(cast.qa_lead)
    before = event_count()
    response = client.post("/training/job-roles/", {"name": "QA specialist", "description": ""})
    role = JobRole.objects.get()
    assert response.url == f"/training/job-roles/{role.pk}/"
    assert [(e.action, changes_of(e)) for e in events_since(before)] == [
        ("training.job_role.created", {"name": [None, "QA specialist"]})
    ]

    before = event_count()
    client.post(
        f"/training/job-roles/{role.pk}/requirements/", {"kind": "document", "document": "SOP-001"}
    )
    assert [(e.action, changes_of(e)) for e in events_since(before)] == [
        (
            "training.requirement.added",
            {"requirement": [None, "SOP-001 Document control"], "kind": "document"},
        )
    ]

    before = event_count()
    client.post(f"/training/job-roles/{role.pk}/holders/", {"person": "trainee"})
    today = timezone.localdate()
    assert [(e.action, changes_of(e)) for e in events_since(before)] == [
        (
            "training.job_role.taken",
            {"job_role": [None, "QA specialist"], "started_on": today.isoformat()},
        ),
        (
            "training.assignment.created",
            {
                "document": "SOP-001",
                "revision": "A",
                "due_date": (today + dt.timedelta(days=30)).isoformat(),
                "people": ["trainee"],
            },
        ),
    ]
    assert [a.revision_id for a in open_assignments(cast.trainee)] == [sop_a.pk]
    page = client.get(f"/training/job-roles/{role.pk}/").content.decode()
    assert "SOP-001 Document control" in page and "Taylor Trainee" in page


def test_the_list_shows_holders_and_requirements_with_a_constant_query_count(
    signed_in, cast, engineer
):
    client = signed_in(cast.qa_lead)
    with CaptureQueriesContext(connection) as one:
        page = client.get("/training/job-roles/").content.decode()
    assert "<td>1</td><td>1</td>" in page
    for n in range(3):
        role = actions.create_job_role(actor=cast.qa_lead, name=f"Role {n}")
        actions.take_job_role(actor=cast.qa_lead, person=cast.reviewer, job_role=role)
    with CaptureQueriesContext(connection) as four:
        client.get("/training/job-roles/")
    assert len(four) == len(one)


@pytest.mark.parametrize(
    "name, message",
    [("", "This field is required."), ("software ENGINEER", "exists already")],
)
def test_an_empty_or_duplicate_job_role_name_is_refused(signed_in, cast, engineer, name, message):
    before, snapshot = event_count(), _snapshot()
    page = signed_in(cast.qa_lead).post("/training/job-roles/", {"name": name})
    assert page.status_code == 200
    assert message in page.content.decode()
    assert event_count() == before and _snapshot() == snapshot


def test_a_requirement_without_its_target_is_refused(signed_in, cast, engineer):
    before, snapshot = event_count(), _snapshot()
    page = signed_in(cast.qa_lead).post(
        f"/training/job-roles/{engineer.pk}/requirements/", {"kind": "document"}, follow=True
    )
    assert "Choose the document." in page.content.decode()
    assert event_count() == before and _snapshot() == snapshot


def test_giving_a_role_twice_is_refused(signed_in, cast, engineer):
    before, snapshot = event_count(), _snapshot()
    page = signed_in(cast.qa_lead).post(
        f"/training/job-roles/{engineer.pk}/holders/", {"person": "trainee"}, follow=True
    )
    assert "Taylor Trainee already holds “Software engineer”." in page.content.decode()
    assert event_count() == before and _snapshot() == snapshot


def test_removing_a_requirement_keeps_it_struck_with_its_date(signed_in, cast, engineer, sop_a):
    requirement = engineer.requirements.get()
    client = signed_in(cast.qa_lead)
    before = event_count()
    client.post(f"/training/requirements/{requirement.pk}/remove/", {"reason": "Moved to QA"})
    assert [e.action for e in events_since(before)] == [
        "training.requirement.removed",
        "training.assignment.cancelled",
    ]
    removed = events_since(before)[0]
    assert changes_of(removed) == {"requirement": ["Every Procedure (SOP)", None]}
    assert removed.reason == "Moved to QA"
    page = client.get(f"/training/job-roles/{engineer.pk}/").content.decode()
    assert "<del>Every Procedure (SOP)</del>" in page
    assert f"removed {timezone.localdate():%-d %b %Y}" in page


def test_removing_without_a_reason_changes_nothing(signed_in, cast, engineer):
    requirement = engineer.requirements.get()
    before, snapshot = event_count(), _snapshot()
    page = signed_in(cast.qa_lead).post(
        f"/training/requirements/{requirement.pk}/remove/", {"reason": ""}, follow=True
    )
    assert "Nothing was changed." in page.content.decode()
    assert event_count() == before and _snapshot() == snapshot


def test_ending_a_holding_keeps_it_in_the_history(signed_in, cast, engineer):
    holding = engineer.holdings.get()
    client = signed_in(cast.qa_lead)
    today = timezone.localdate()
    before = event_count()
    client.post(
        f"/training/holdings/{holding.pk}/end/",
        {"reason": "Moved team", "ended_on": today.isoformat()},
    )
    event = last_event()
    assert [e.action for e in events_since(before)] == ["training.job_role.left"]
    assert changes_of(event) == {
        "job_role": ["Software engineer", None],
        "ended_on": today.isoformat(),
    }
    assert event.reason == "Moved team"
    page = client.get(f"/training/job-roles/{engineer.pk}/").content.decode()
    assert "Moved team" in page and "Nobody holds this job role." in page


def test_a_held_role_cannot_be_retired(signed_in, cast, engineer):
    before, snapshot = event_count(), _snapshot()
    page = signed_in(cast.qa_lead).post(
        f"/training/job-roles/{engineer.pk}/retire/", {"reason": "Reorganised"}, follow=True
    )
    assert "1 people still hold “Software engineer”" in page.content.decode()
    assert event_count() == before and _snapshot() == snapshot


def test_retiring_a_role_nobody_holds(signed_in, cast):
    role = actions.create_job_role(actor=cast.qa_lead, name="Old role")
    before = event_count()
    signed_in(cast.qa_lead).post(f"/training/job-roles/{role.pk}/retire/", {"reason": "Gone"})
    role.refresh_from_db()
    assert role.retired_at is not None
    assert [(e.action, e.reason) for e in events_since(before)] == [
        ("training.job_role.retired", "Gone")
    ]


def test_a_manager_sets_a_persons_department_and_manager(signed_in, cast):
    client = signed_in(cast.qa_lead)
    before = event_count()
    response = client.post(
        "/training/people/trainee/employee/", {"department": "Software", "manager": "reviewer"}
    )
    assert response.status_code == 302
    employee = Employee.objects.get(user=cast.trainee)
    assert (employee.department, employee.manager) == ("Software", cast.reviewer)
    assert [(e.action, changes_of(e)) for e in events_since(before)] == [
        (
            "training.employee.updated",
            {"department": ["", "Software"], "manager": [None, "reviewer"]},
        )
    ]
    page = client.get("/training/people/trainee/employee/").content.decode()
    assert 'value="Software"' in page and '<option value="reviewer" selected>' in page


def test_nobody_is_their_own_manager(signed_in, cast):
    before, snapshot = event_count(), _snapshot()
    page = signed_in(cast.qa_lead).post(
        "/training/people/trainee/employee/", {"department": "", "manager": "trainee"}
    )
    assert "Nobody is their own manager." in page.content.decode()
    assert event_count() == before and _snapshot() == snapshot


def test_a_manager_defines_a_competency(signed_in, cast):
    client = signed_in(cast.qa_lead)
    before = event_count()
    client.post(
        "/training/competencies/",
        {"name": "First aid", "kind": "licence", "validity_months": "36"},
    )
    assert [(e.action, changes_of(e)) for e in events_since(before)] == [
        (
            "training.competency.created",
            {"name": [None, "First aid"], "kind": [None, "licence"], "validity_months": [None, 36]},
        )
    ]
    assert "36 months" in client.get("/training/competencies/").content.decode()


def test_a_duplicate_competency_is_refused(signed_in, cast):
    actions.create_competency(actor=cast.qa_lead, name="First aid", kind="licence")
    before, snapshot = event_count(), _snapshot()
    page = signed_in(cast.qa_lead).post(
        "/training/competencies/", {"name": "first aid", "kind": "course"}
    )
    assert "A competency “first aid” exists already." in page.content.decode()
    assert event_count() == before and _snapshot() == snapshot


def test_turning_the_training_gate_on_for_procedures(signed_in, cast):
    client = signed_in(cast.qa_lead)
    before = event_count()
    response = client.post(
        "/training/rules/procedure/",
        {"due_days": "14", "gate": "on", "effectiveness_check": "", "reason": "CAPA-7"},
    )
    assert response.url == "/training/rules/"
    rule = TrainingRule.objects.get(doc_type__code="procedure")
    assert (rule.due_days, rule.gate, rule.effectiveness_check) == (14, True, False)
    assert [(e.action, changes_of(e)) for e in events_since(before)] == [
        (
            "training.rule.updated",
            {"type": "procedure", "due_days": [30, 14], "gate": [False, True]},
        )
    ]
    assert "<td>14</td><td>on</td><td>off</td>" in client.get("/training/rules/").content.decode()


def test_zero_days_to_complete_training_is_refused(signed_in, cast):
    before, snapshot = event_count(), _snapshot()
    page = signed_in(cast.qa_lead).post(
        "/training/rules/procedure/", {"due_days": "0", "reason": "Faster"}
    )
    assert "Give between 1 and 365 days to complete training." in page.content.decode()
    assert event_count() == before and _snapshot() == snapshot


def test_assigning_a_sop_by_hand(signed_in, cast, sop_a):
    due = timezone.localdate() + dt.timedelta(days=7)
    before = event_count()
    page = signed_in(cast.qa_lead).post(
        "/training/assign/",
        {
            "person": "reviewer",
            "document": "SOP-001",
            "due_date": due.isoformat(),
            "reason": "Induction",
        },
        follow=True,
    )
    (assignment,) = open_assignments(cast.reviewer)
    assert (assignment.revision_id, assignment.by_hand, assignment.due_date) == (
        sop_a.pk,
        True,
        due,
    )
    assert [(e.action, changes_of(e), e.reason) for e in events_since(before)] == [
        (
            "training.assignment.created",
            {
                "document": "SOP-001",
                "revision": "A",
                "due_date": due.isoformat(),
                "people": ["reviewer"],
            },
            "Induction",
        )
    ]
    assert "Riley Reviewer is to train on SOP-001 rev A" in page.content.decode()


def test_assigning_with_a_past_due_date_is_refused(signed_in, cast, sop_a):
    before, snapshot = event_count(), _snapshot()
    page = signed_in(cast.qa_lead).post(
        "/training/assign/",
        {"person": "reviewer", "document": "SOP-001", "due_date": "2000-01-01", "reason": "x"},
    )
    assert "The due date cannot be in the past." in page.content.decode()
    assert event_count() == before and _snapshot() == snapshot


def test_the_rules_page_lists_every_document_type(signed_in, cast):
    page = signed_in(cast.qa_lead).get("/training/rules/").content.decode()
    for doc_type in DocumentType.objects.all():
        assert doc_type.name in page
