"""The matrix exports: CSV and XLSX of the same filters, every person row with status and
date per requirement and their completion, and no cell a spreadsheet would run."""

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from openqms.core import actions as core
from openqms.testing import PASSWORD, event_count
from openqms.training import actions, export
from openqms.training.models import Assignment

from .conftest import SIGN

pytestmark = pytest.mark.verifies("TRN-015")

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def team(cast, engineer, sop_a):
    """The trainee holds the engineer role (SOP-001 A due); so does Mallory, whose name
    and department look like formulas."""
    mallory = core.create_user(actor=None, username="mallory", full_name=FORMULA, password=PASSWORD)
    actions.take_job_role(actor=cast.qa_lead, person=mallory, job_role=engineer)
    actions.update_employee(actor=cast.qa_lead, person=mallory, department="@SUM(A1)", manager=None)
    actions.update_employee(
        actor=cast.qa_lead, person=cast.trainee, department="R&D", manager=cast.approver
    )


def _csv(client, query=None) -> list[list[str]]:
    response = client.get("/training/matrix/export.csv", query or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def _xlsx(client, query=None):
    response = client.get("/training/matrix/export.xlsx", query or {})
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content), read_only=True), response


def test_csv_has_a_header_and_a_row_per_person_with_status_and_due_date(signed_in, cast, team):
    due = Assignment.objects.get(person=cast.trainee).due_date.isoformat()
    rows = _csv(signed_in(cast.qa_lead))
    assert rows[0] == [
        "Name",
        "Username",
        "Department",
        "% current",
        "SOP-001 rev A: status",
        "SOP-001 rev A: due",
        "SOP-001 rev A: completed",
    ]
    assert rows[2] == ["Taylor Trainee", "trainee", "R&D", "0.0", "Due", due, ""]


def test_csv_neutralises_formulas_in_names_and_departments(signed_in, cast, team):
    mallory = _csv(signed_in(cast.qa_lead))[1]
    assert mallory[:3] == ["'" + FORMULA, "mallory", "'@SUM(A1)"]


def test_csv_follows_the_filters_and_names_the_day(signed_in, cast, team):
    client = signed_in(cast.qa_lead)
    assert [r[1] for r in _csv(client, {"department": "R&D"})[1:]] == ["trainee"]
    response = client.get("/training/matrix/export.csv")
    assert response["Content-Disposition"] == (
        f'attachment; filename="training-matrix-{timezone.localdate().isoformat()}.csv"'
    )


def test_xlsx_has_the_matrix_and_the_completion_by_document(signed_in, cast, team):
    actions.sign_trained(
        actor=cast.trainee,
        assignment=Assignment.objects.get(person=cast.trainee),
        credentials=SIGN,
    )
    book, response = _xlsx(signed_in(cast.qa_lead))
    assert book.sheetnames == ["Matrix", "By document"]
    completed = timezone.localdate(Assignment.objects.get(person=cast.trainee).completed_at)
    matrix = [list(r) for r in book["Matrix"].iter_rows(values_only=True)]
    assert matrix[1][:5] == ["Name", "Username", "Department", "% current", "SOP-001 rev A: status"]
    assert matrix[3][:6] == ["Taylor Trainee", "trainee", "R&D", 100, "Current", None]  # no due
    assert matrix[3][6].date() == completed
    assert matrix[2][:4] == ["'" + FORMULA, "mallory", "'@SUM(A1)", 0]
    by_document = [list(r) for r in book["By document"].iter_rows(values_only=True)]
    assert by_document[1:] == [
        ["Requirement", "Title", "Revision", "Required", "Current", "% current"],
        ["SOP-001", "Document control", "A", 2, 1, 50],
    ]
    assert response["Content-Disposition"].endswith('.xlsx"')


def test_a_manager_exports_only_their_reports(signed_in, cast, team):
    assert [r[1] for r in _csv(signed_in(cast.approver))[1:]] == ["trainee"]
    book, _ = _xlsx(signed_in(cast.approver))
    assert [r[1] for r in book["Matrix"].iter_rows(min_row=3, values_only=True)] == ["trainee"]


def test_an_unknown_format_and_an_outsider_get_404(signed_in, cast, team):
    before = event_count()
    assert signed_in(cast.qa_lead).get("/training/matrix/export.pdf").status_code == 404
    assert signed_in(cast.outsider).get("/training/matrix/export.csv").status_code == 404
    assert event_count() == before


@pytest.mark.parametrize(
    "value",
    ["=1+1", " =1+1", "\n=HYPERLINK(1)", "＝1+1", "＋1", "－1", "＠A1", "\tx", "\rx", "+1", "-1"],
)
def test_every_way_of_starting_a_formula_is_neutralised(value):
    assert export.safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Quality", "Ann-Marie", "", "1 = 1", 42, None])
def test_ordinary_values_are_left_alone(value):
    assert export.safe(value) == value
