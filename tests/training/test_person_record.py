"""The people list and one person's training record on screen: details, job roles over
time, every requirement's status, every assignment with its signature, quizzes, sessions,
evaluations and competence records; and who may see it."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openqms.core import actions as core
from openqms.testing import PASSWORD, event_count
from openqms.training import actions
from openqms.training.models import Assignment

from .conftest import SIGN, new_revision

TODAY = timezone.localdate()


@pytest.fixture
def history(cast, engineer, sop_a):
    """The trainee (R&D, managed by the approver) signed SOP-001 A read and understood,
    was trained on B in a session the reviewer gave, was evaluated on A, held and left
    a tester role, and has a certificate on file."""
    actions.update_employee(
        actor=cast.qa_lead, person=cast.trainee, department="R&D", manager=cast.approver
    )
    rev_a = Assignment.objects.get(person=cast.trainee, revision=sop_a)
    rev_a = actions.sign_trained(actor=cast.trainee, assignment=rev_a, credentials=SIGN)
    actions.evaluate_training(
        actor=cast.qa_lead,
        assignment=rev_a,
        method="Observed at work",
        result="effective",
        comment="Follows the procedure.",
        credentials=SIGN,
    )
    actions.take_job_role(actor=cast.qa_lead, person=cast.reviewer, job_role=engineer)
    rev_b = new_revision(cast, sop_a)
    on_b = Assignment.objects.get(person=cast.reviewer, revision=rev_b)
    actions.sign_trained(actor=cast.reviewer, assignment=on_b, credentials=SIGN)  # trains others
    session = actions.record_session(
        actor=cast.qa_lead,
        revision=rev_b,
        trainer=cast.reviewer,
        held_on=TODAY,
        attendees=[cast.trainee],
        material="Walk-through of the changes",
    )
    actions.sign_session(actor=cast.reviewer, session=session, credentials=SIGN)
    tester = actions.create_job_role(actor=cast.qa_lead, name="Tester")
    holding = actions.take_job_role(
        actor=cast.qa_lead,
        person=cast.trainee,
        job_role=tester,
        started_on=TODAY - dt.timedelta(days=40),
    )
    actions.leave_job_role(actor=cast.qa_lead, holding=holding, reason="Moved to R&D")
    record = actions.add_competence_record(
        actor=cast.qa_lead,
        person=cast.trainee,
        kind="certificate",
        title="ISTQB Foundation",
        issuer="ISTQB",
        obtained_on=TODAY - dt.timedelta(days=10),
        expires_on=TODAY + dt.timedelta(days=700),
        file_name="istqb.pdf",
        file_content=io.BytesIO(b"%PDF-1.4 certificate"),
    )
    return {"rev_a": rev_a, "rev_b": rev_b, "session": session, "record": record}


def _page(client, username="trainee"):
    return client.get(f"/training/people/{username}/")


def test_the_record_shows_the_employee_and_job_roles_over_time(signed_in, cast, history):
    page = _page(signed_in(cast.qa_lead))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<dt>Department</dt><dd>R&amp;D</dd>" in html
    assert "<dt>Manager</dt><dd>Morgan Approver</dd>" in html
    tester = [h for h in page.context["record"].holdings if h.job_role.name == "Tester"]
    assert [(h.started_on, h.ended_on, h.end_reason) for h in tester] == [
        (TODAY - dt.timedelta(days=40), TODAY, "Moved to R&D")
    ]


def test_the_record_shows_each_requirement_with_its_status(signed_in, cast, history):
    record = _page(signed_in(cast.qa_lead)).context["record"]
    assert [(c.label, c.revision, cell.label) for c, cell in record.requirements] == [
        ("SOP-001", "B", "Current")
    ]
    assert record.percent == 100.0


@pytest.mark.verifies("TRN-020")
def test_every_assignment_shows_its_revision_and_signature(signed_in, cast, history):
    page = _page(signed_in(cast.qa_lead))
    entries = {e.assignment.revision.label: e for e in page.context["record"].assignments}
    a, b = entries["A"], entries["B"]
    assert (a.assignment.state, a.assignment.method) == ("completed", "signature")
    assert [(m.printed_name, m.meaning, m.object_version, m.valid) for m in a.signatures] == [
        ("Taylor Trainee", "trained", "A", True)
    ]
    assert (b.assignment.state, b.assignment.method) == ("completed", "session")
    assert [(m.printed_name, m.meaning) for m in b.signatures] == [("Riley Reviewer", "delivered")]
    html = page.content.decode()
    assert "<strong>Taylor Trainee</strong> — Read and understood (trained)" in html
    assert " UTC</span>" in html and "SOP-001 rev A became effective" in html


def test_sessions_evaluations_and_competence_records_are_listed(signed_in, cast, history):
    page = _page(signed_in(cast.qa_lead))
    record = page.context["record"]
    assert [s.pk for s in record.sessions] == [history["session"].pk]
    assert [
        (e.evaluation.result, [m.printed_name for m in e.signatures]) for e in record.evaluations
    ] == [("effective", ["Quinn Avery"])]
    html = page.content.decode()
    assert f'<a href="/training/competence/{history["record"].pk}/file/">istqb.pdf</a>' in html
    assert "ISTQB Foundation" in html


def test_those_who_keep_records_get_the_links_to_change_them(signed_in, cast, history):
    html = _page(signed_in(cast.qa_lead)).content.decode()
    assert 'href="/training/people/trainee/employee/"' in html
    assert 'href="/training/people/trainee/competence/new/"' in html
    assert 'href="/training/people/trainee/record.pdf"' in html
    # Signed forms on the page itself: evaluating in a held job role, withdrawing a record.
    assert 'action="/training/people/trainee/evaluate/"' in html
    assert f'action="/training/competence/{history["record"].pk}/withdraw/"' in html
    forms = _page(signed_in(cast.qa_lead)).context["role_evaluation_forms"]
    assert [holding.job_role.name for holding, _ in forms] == ["Software engineer"]


@pytest.mark.verifies("TRN-018")
def test_a_person_sees_their_own_record_without_the_links_to_change_it(signed_in, cast, history):
    page = _page(signed_in(cast.trainee))
    html = page.content.decode()
    assert page.status_code == 200 and 'href="/training/people/trainee/record.pdf"' in html
    assert "/employee/" not in html and "/competence/new/" not in html
    assert "/evaluate/" not in html and "/withdraw/" not in html


@pytest.mark.verifies("TRN-018", refusal=True)
@pytest.mark.parametrize(
    ("reader", "status"), [("approver", 200), ("auditor", 200), ("outsider", 404), ("author", 404)]
)
def test_managers_and_matrix_readers_see_a_record_others_get_404(
    signed_in, cast, history, reader, status
):
    before = event_count()
    client = signed_in(getattr(cast, reader))
    assert _page(client).status_code == status
    assert client.get("/training/people/trainee/record.pdf").status_code == status
    assert _page(client, "nobody").status_code == 404
    assert event_count() == before


def test_the_people_list_shows_department_manager_job_roles_and_completion(
    signed_in, cast, history
):
    page = signed_in(cast.qa_lead).get("/training/people/", {"department": "R&D"})
    ((person, percent),) = page.context["rows"]
    assert (person.username, percent) == ("trainee", 100.0)
    html = page.content.decode()
    assert "<td>R&amp;D</td>" in html and "<td>Morgan Approver</td>" in html
    assert "<td>Software engineer</td>" in html  # the tester role has ended


def test_the_people_list_filters_by_job_role_and_shows_only_whom_one_may_see(
    signed_in, cast, history, engineer
):
    names = lambda page: [p.username for p, _ in page.context["rows"]]  # noqa: E731
    assert names(signed_in(cast.qa_lead).get("/training/people/", {"job_role": engineer.pk})) == [
        "reviewer",
        "trainee",
    ]
    assert names(signed_in(cast.approver).get("/training/people/")) == ["approver", "trainee"]
    assert names(signed_in(cast.author).get("/training/people/")) == ["author"]
    assert signed_in(cast.outsider).get("/training/people/").status_code == 404


def test_the_people_list_costs_the_same_queries_as_people_grow(signed_in, cast, engineer):
    client = signed_in(cast.qa_lead)

    def queries_for(total):
        for i in range(len(client.get("/training/people/").context["rows"]), total):
            person = core.create_user(
                actor=None, username=f"p-{i:02}", full_name=f"P {i:02}", password=PASSWORD
            )
            actions.take_job_role(actor=cast.qa_lead, person=person, job_role=engineer)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/training/people/")
        assert len(page.context["rows"]) == total
        return len(queries)

    assert queries_for(10) == queries_for(30)
