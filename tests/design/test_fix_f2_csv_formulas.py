"""Text typed by people leaves in CSV exports as text, never as a spreadsheet formula."""

import csv
import io

import pytest
from django.urls import reverse

from openqms.design import dhf
from openqms.design.actions import baselines, risk
from tests.design.conftest import item
from tests.design.risk_helpers import device, risk_file  # noqa: F401

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.mark.verifies("DES-036")
def test_the_fmea_csv_shows_a_formula_as_text(cast, signed_in, risk_file):  # noqa: F811
    hazard = risk.add_hazard(actor=cast.author, file=risk_file, title=FORMULA)
    risk.add_situation(
        actor=cast.author,
        hazard=hazard,
        sequence="Sequence.",
        situation="Situation.",
        harm="+cmd|' /C calc'!A0",
        severity=3,
        probability=2,
    )
    response = signed_in(cast.auditor).get(reverse("design:risk-fmea-csv", args=[risk_file.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][1] == "'" + FORMULA
    assert rows[1][3] == "'+cmd|' /C calc'!A0"


@pytest.mark.verifies("DES-030")
def test_the_dhf_zip_items_csv_shows_a_formula_as_text(cast, project):
    item(cast, project, "REQ-1", "design_input", title=FORMULA, text="-1+1")
    base = baselines.create_baseline(actor=cast.author, project=project, name="1.0", kind="release")
    data = dhf.zip_files(base, cast.author)["items.csv"].decode()
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[1][3] == "'" + FORMULA and rows[1][4] == "'-1+1"
