"""A kind's list as CSV or XLSX: every record's export row, an "as of" line naming the
time zone, spreadsheet-safe cells, and never health data — whoever asks."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from .across_records import complaint, record_pages  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("record_pages")]

SECRET = "Patient 71, admitted to ward 4"


def _make(cast, device):
    complaint(
        cast,
        device=device,
        title="=HYPERLINK(bad)",
        patient_involved=True,
        patient_details=SECRET,
        patient_outcome="Recovered fully after",
    )
    complaint(cast, title="Plain one")


@pytest.mark.verifies("EVT-005", "EVT-040")
@pytest.mark.parametrize("who", ["qa_lead", "auditor"])
def test_csv_export_has_every_record_and_no_health_data(client, cast, device, who):
    _make(cast, device)
    client.force_login(getattr(cast, who))
    response = client.get(reverse("events:export", args=["complaint", "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert SECRET not in text and "Recovered" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0].startswith("Complaints — As of ") and "(Europe/London)" in rows[0][0]
    assert rows[1][:3] == ["number", "title", "state"]
    titles = {r[1] for r in rows[2:]}
    assert titles == {"'=HYPERLINK(bad)", "Plain one"}


@pytest.mark.verifies("EVT-040")
def test_xlsx_export_reads_back_the_same_rows(client, cast, device):
    _make(cast, device)
    client.force_login(cast.qa_lead)
    response = client.get(reverse("events:export", args=["complaint", "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0][0].startswith("Complaints — As of ")
    assert values[1][0] == "number"
    assert len(values) == 4
    assert SECRET not in str(values)


@pytest.mark.verifies("EVT-040")
def test_an_empty_list_exports_its_heading(client, cast):
    client.force_login(cast.qa_lead)
    response = client.get(reverse("events:export", args=["feedback", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "number" and len(rows) == 2


@pytest.mark.verifies("EVT-040")
@pytest.mark.parametrize("kind,fmt", [("nothing", "csv"), ("complaint", "pdf")])
def test_an_unknown_kind_or_format_is_404(client, cast, kind, fmt):
    client.force_login(cast.qa_lead)
    assert client.get(reverse("events:export", args=[kind, fmt])).status_code == 404


@pytest.mark.verifies("EVT-038", refusal=True)
def test_someone_without_a_role_cannot_export(client, cast):
    complaint(cast)
    client.force_login(cast.outsider)
    assert client.get(reverse("events:export", args=["complaint", "csv"])).status_code == 404
