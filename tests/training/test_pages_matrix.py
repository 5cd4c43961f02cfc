"""The matrix page: each cell's status in words and colour, the filters, who sees whom,
the chart, and a query count that stays the same as people grow."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from openqms.core import actions as core
from openqms.testing import PASSWORD, event_count
from openqms.training import actions
from openqms.training.models import Assignment, ComplianceSnapshot

from .conftest import SIGN

TODAY = timezone.localdate()


@pytest.fixture
def licence(cast):
    return actions.create_competency(
        actor=cast.qa_lead, name="Radiation safety licence", kind="licence"
    )


@pytest.fixture
def field_engineer(cast, licence):
    """A job role that requires only the licence; the author holds it."""
    role = actions.create_job_role(actor=cast.qa_lead, name="Field engineer")
    actions.add_requirement(
        actor=cast.qa_lead, job_role=role, kind="competency", competency=licence
    )
    actions.take_job_role(actor=cast.qa_lead, person=cast.author, job_role=role)
    return role


@pytest.fixture
def team(cast, engineer, field_engineer, sop_a):
    """The trainee (engineer, R&D, managed by the approver) has SOP-001 A due; the author
    (field engineer) has the licence requirement."""
    actions.update_employee(
        actor=cast.qa_lead, person=cast.trainee, department="R&D", manager=cast.approver
    )
    actions.update_employee(
        actor=cast.qa_lead, person=cast.author, department="Service", manager=None
    )


def _names(page) -> list[str]:
    return [row.full_name for row, _ in page.context["grid"]]


def _html(client, query=None) -> str:
    page = client.get("/training/matrix/", query or {})
    assert page.status_code == 200
    return page.content.decode()


def test_open_training_shows_due_with_its_due_date(signed_in, cast, team):
    html = _html(signed_in(cast.qa_lead))
    due = Assignment.objects.get(person=cast.trainee).due_date
    assert (
        f'<td class="status status-due">Due<br><small>due <time datetime="{due:%Y-%m-%d}">' in html
    )
    assert "SOP-001</a><br><small>rev A</small>" in html


def test_signed_training_shows_current(signed_in, cast, team):
    actions.sign_trained(
        actor=cast.trainee,
        assignment=Assignment.objects.get(person=cast.trainee),
        credentials=SIGN,
    )
    html = _html(signed_in(cast.qa_lead))
    assert '<td class="status status-current">Current</td>' in html


def test_training_past_its_due_date_shows_overdue(signed_in, cast, team):
    Assignment.objects.filter(person=cast.trainee).update(due_date=TODAY - dt.timedelta(days=2))
    html = _html(signed_in(cast.qa_lead))
    assert '<td class="status status-overdue">Overdue<br><small>due' in html


def test_an_expired_licence_shows_expired_and_a_valid_one_current_with_its_expiry(
    signed_in, cast, team, licence
):
    actions.add_competence_record(
        actor=cast.qa_lead,
        person=cast.author,
        kind="certificate",
        title="Licence 2020",
        competency=licence,
        obtained_on=TODAY - dt.timedelta(days=800),
        expires_on=TODAY - dt.timedelta(days=70),
    )
    client = signed_in(cast.qa_lead)
    expired = TODAY - dt.timedelta(days=70)
    assert (
        '<td class="status status-expired">Expired<br><small>expired '
        f'<time datetime="{expired:%Y-%m-%d}">'
    ) in _html(client)
    expires = TODAY + dt.timedelta(days=300)
    actions.add_competence_record(
        actor=cast.qa_lead,
        person=cast.author,
        kind="certificate",
        title="Licence 2025",
        competency=licence,
        obtained_on=TODAY,
        expires_on=expires,
    )
    html = _html(client)
    assert (
        f'<td class="status status-current">Current<br><small>expires '
        f'<time datetime="{expires:%Y-%m-%d}">'
    ) in html


def test_what_a_job_role_does_not_require_is_a_blank_cell_that_says_not_required(
    signed_in, cast, team
):
    page = signed_in(cast.qa_lead).get("/training/matrix/")
    grid = dict((row.username, cells) for row, cells in page.context["grid"])
    columns = [c.label for c in page.context["matrix"].columns]
    assert columns == ["SOP-001", "Radiation safety licence"]
    blank = '<td class="status"><span class="sr-only">Not required</span></td>'
    assert grid["author"].startswith(blank) and grid["author"].count("<td") == 2
    assert grid["trainee"].endswith(blank) and not grid["trainee"].startswith(blank)
    assert blank in page.content.decode()


def test_each_person_shows_their_completion_and_the_view_its_totals(signed_in, cast, team):
    actions.sign_trained(
        actor=cast.trainee,
        assignment=Assignment.objects.get(person=cast.trainee),
        credentials=SIGN,
    )
    page = signed_in(cast.qa_lead).get("/training/matrix/")
    percents = {row.username: row.percent for row, _ in page.context["grid"]}
    assert percents == {"trainee": 100.0, "author": 0.0}
    assert page.context["totals"] == {
        "current": 1,
        "due": 1,
        "overdue": 0,
        "expired": 0,
        "required": 2,
    }
    assert page.context["percent"] == 50.0


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ({}, ["Alex Author", "Taylor Trainee"]),
        ({"job_role": "engineer"}, ["Taylor Trainee"]),
        ({"department": "Service"}, ["Alex Author"]),
        ({"document": "SOP-001"}, ["Taylor Trainee"]),
    ],
)
def test_filters_narrow_the_people_and_the_columns(signed_in, cast, team, engineer, query, names):
    if query.get("job_role"):
        query = {"job_role": engineer.pk}
    page = signed_in(cast.qa_lead).get("/training/matrix/", query)
    assert _names(page) == names


def test_the_document_filter_keeps_only_its_column(signed_in, cast, team):
    page = signed_in(cast.qa_lead).get("/training/matrix/", {"document": "SOP-001"})
    assert [c.label for c in page.context["matrix"].columns] == ["SOP-001"]


def test_export_links_keep_the_filters(signed_in, cast, team):
    html = _html(signed_in(cast.qa_lead), {"department": "R&D"})
    assert 'href="/training/matrix/export.csv?department=R%26D"' in html
    assert 'href="/training/matrix/export.xlsx?department=R%26D"' in html
    assert 'href="/training/matrix/documents/"' in html


def test_a_manager_sees_only_their_reports(signed_in, cast, team):
    page = signed_in(cast.approver).get("/training/matrix/")
    assert page.status_code == 200
    assert _names(page) == ["Taylor Trainee"]


@pytest.mark.parametrize("reader", ["outsider", "trainee"])
def test_whoever_neither_reads_the_matrix_nor_manages_anyone_gets_404(
    signed_in, cast, team, reader
):
    before = event_count()
    client = signed_in(getattr(cast, reader))
    for path in [
        "/training/matrix/",
        "/training/matrix/documents/",
        "/training/matrix/export.csv",
        "/training/matrix/export.xlsx",
    ]:
        assert client.get(path).status_code == 404
    assert event_count() == before


def test_without_snapshots_the_chart_says_how_they_are_recorded(signed_in, cast, team):
    html = _html(signed_in(cast.qa_lead))
    assert "No compliance snapshots yet" in html and "openqms tick" in html
    assert "<svg" not in html


def test_snapshots_draw_the_chart_and_a_table_of_its_values(signed_in, cast, team):
    for weeks_ago, current in [(30, 1), (3, 2), (1, 3)]:
        ComplianceSnapshot.objects.create(
            day=TODAY - dt.timedelta(weeks=weeks_ago),
            required=4,
            current=current,
            overdue=1,
            recorded_at=timezone.now(),
        )
    page = signed_in(cast.qa_lead).get("/training/matrix/")
    # 30 weeks is too old; today's point is the page's own figure (0 of 2 current).
    assert [p.percent for p in page.context["points"]] == [50.0, 75.0, 0.0]
    html = page.content.decode()
    assert '<svg class="chart"' in html and html.count('<circle class="chart-point"') == 3
    assert "<td>2</td><td>4</td><td>1</td><td>50.0%</td>" in html


def _hire(cast, role, total):
    """Engineers 00, 01… up to `total` of them, each holding `role`."""
    for i in range(role.holdings.filter(person__username__startswith="eng-").count(), total):
        person = core.create_user(
            actor=None, username=f"eng-{i:02}", full_name=f"Engineer {i:02}", password=PASSWORD
        )
        actions.take_job_role(actor=cast.qa_lead, person=person, job_role=role)


def test_the_page_costs_the_same_queries_for_5_and_30_people(signed_in, cast, team, engineer):
    client = signed_in(cast.qa_lead)

    def queries_for(people):
        _hire(cast, engineer, people)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/training/matrix/", {"job_role": engineer.pk})
        assert len(page.context["grid"]) == people + 1  # and the trainee
        return len(queries)

    assert queries_for(5) == queries_for(30)


def test_people_come_in_pages_of_fifty_sorted_by_name(signed_in, cast, team, engineer):
    _hire(cast, engineer, 50)
    client = signed_in(cast.qa_lead)
    first = client.get("/training/matrix/", {"job_role": engineer.pk})
    assert len(first.context["grid"]) == 50
    assert _names(first)[:2] == ["Engineer 00", "Engineer 01"]
    second = client.get("/training/matrix/", {"job_role": engineer.pk, "page": 2})
    assert _names(second) == ["Taylor Trainee"]
    assert "Page 2 of 2 · 51 people" in second.content.decode()


def test_completion_by_document_counts_everyone_in_the_view_lowest_first(signed_in, cast, team):
    actions.sign_trained(
        actor=cast.trainee,
        assignment=Assignment.objects.get(person=cast.trainee),
        credentials=SIGN,
    )
    client = signed_in(cast.qa_lead)
    page = client.get("/training/matrix/documents/", {"sort": "lowest"})
    assert [
        (c.label, required, current, percent)
        for c, required, current, percent in (page.context["columns"])
    ] == [("Radiation safety licence", 1, 0, 0.0), ("SOP-001", 1, 1, 100.0)]
    html = page.content.decode()
    assert 'value="100.0">100.0%</meter>' in html
    by_number = client.get("/training/matrix/documents/", {"department": "R&D"})
    assert [c.label for c, *_ in by_number.context["columns"]] == ["SOP-001"]


def test_a_manager_sees_completion_by_document_of_their_reports_only(signed_in, cast, team):
    page = signed_in(cast.approver).get("/training/matrix/documents/")
    assert page.context["people"] == 1
    assert [c.label for c, *_ in page.context["columns"]] == ["SOP-001"]
