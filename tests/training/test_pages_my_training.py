"""My training: open training with its due date, completed training, my job roles, and a
constant query count however much training a person has."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openqms.documents import actions as documents
from openqms.training import actions
from openqms.training.models import Assignment

from .conftest import SIGN, approve, open_assignments


def _effective_sop(cast, sop_type, title):
    draft = documents.create_document(
        actor=cast.author, doc_type=sop_type, title=title, body=f"{title}."
    )
    return approve(cast, draft)


def _sign(person, assignments):
    for assignment in assignments:
        actions.sign_trained(actor=person, assignment=assignment, credentials=SIGN)


def test_trainee_sees_open_training_with_its_due_date_and_job_roles(
    signed_in, cast, engineer, sop_a
):
    (assignment,) = open_assignments(cast.trainee)
    html = signed_in(cast.trainee).get("/training/my/").content.decode()
    link = f'<a href="/training/assignments/{assignment.pk}/">SOP-001 Document control</a>'
    assert link in html
    assert f"<td>{assignment.due_date:%-d %b %Y}</td>" in html
    assert "SOP-001 rev A became effective" in html
    assert "Software engineer" in html
    assert "No training completed yet." in html and "overdue" not in html


def test_overdue_training_is_marked(signed_in, cast, engineer, sop_a):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Assignment.objects.update(due_date=yesterday)  # set up: the due date has passed
    html = signed_in(cast.trainee).get("/training/my/").content.decode()
    assert f'{yesterday:%-d %b %Y} <span class="badge bad">overdue</span>' in html


def test_completed_training_shows_revision_date_and_method(signed_in, cast, engineer, sop_a):
    _sign(cast.trainee, open_assignments(cast.trainee))
    (done,) = Assignment.objects.filter(state="completed")
    html = signed_in(cast.trainee).get("/training/my/").content.decode()
    assert "No training to do." in html
    assert (
        f"<td>A</td>\n        <td>{timezone.localtime(done.completed_at):%-d %b %Y}</td>\n"
        "        <td>Read and understood</td>" in html
    )


def test_someone_with_no_training_sees_a_plain_empty_page(signed_in, cast, engineer, sop_a):
    page = signed_in(cast.auditor).get("/training/my/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "No training to do." in html and "No training completed yet." in html
    assert "No job role." in html and "SOP-001" not in html


def test_someone_with_no_rights_at_all_meets_a_404(signed_in, cast):
    assert signed_in(cast.outsider).get("/training/my/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/training/my/")
    assert response.status_code == 302 and "/training/my/" in response["Location"]


def test_query_count_stays_the_same_as_training_grows(signed_in, cast, engineer, sop_type):
    client = signed_in(cast.trainee)

    def queries_for(total):
        while cast.trainee.assignments.count() < total:
            _effective_sop(cast, sop_type, f"Procedure {cast.trainee.assignments.count()}")
        _sign(cast.trainee, open_assignments(cast.trainee)[:-1])  # both tables have rows
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/training/my/")
        assert (len(page.context["open"]), len(page.context["completed"])) == (1, total - 1)
        return len(queries)

    assert queries_for(3) == queries_for(12)


@pytest.mark.parametrize(
    "path", ["/training/sessions/", "/training/people/", "/training/people/outsider/"]
)
def test_the_training_pages_do_not_exist_for_someone_with_no_rights(signed_in, cast, path):
    assert signed_in(cast.outsider).get(path).status_code == 404
