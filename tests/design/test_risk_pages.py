"""The risk pages: the file with its matrix, hazards (paged, constant queries), a hazard
with its situations, the FMEA page and CSV, reviews; changes by POST-redirect-GET."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openqms.design.actions import risk
from openqms.design.models import Hazard, MatrixCell, RiskReview
from openqms.testing import event_count
from tests.design.risk_helpers import device, evaluated, risk_file, situation  # noqa: F401
from tests.events.complaints_setup import open_complaint


@pytest.mark.verifies("DES-035")
def test_the_risk_file_page_shows_the_matrix_and_what_keeps_the_report_back(
    cast,
    signed_in,
    risk_file,  # noqa: F811
):
    page = signed_in(cast.auditor).get(reverse("design:risk-file", args=[risk_file.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "S5 Catastrophic" in body and "P1 Improbable" in body
    assert "reduce as far as possible" in body
    assert "Not ready to sign: The risk file has no hazardous situations yet." in body
    assert "Change the cell" not in body  # the auditor reads only


@pytest.mark.verifies("DES-007", refusal=True)
def test_someone_without_a_role_meets_a_404(cast, signed_in, risk_file):  # noqa: F811
    client = signed_in(cast.outsider)
    for name in ("design:risk-file", "design:risk-hazards", "design:risk-fmea"):
        assert client.get(reverse(name, args=[risk_file.pk])).status_code == 404


@pytest.mark.verifies("DES-032")
def test_the_qa_lead_changes_a_cell_from_the_page(cast, signed_in, risk_file):  # noqa: F811
    url = reverse("design:risk-matrix-cell", args=[risk_file.pk])
    form = {"severity": "1", "probability": "1", "region": "alarp"}
    page = signed_in(cast.qa_lead).post(url, form)
    assert page.status_code == 302
    assert MatrixCell.objects.get(file=risk_file, severity=1, probability=1).region == "alarp"


@pytest.mark.verifies("DES-032", refusal=True)
def test_an_author_cannot_change_the_matrix_from_the_page(cast, signed_in, risk_file):  # noqa: F811
    before = event_count()
    url = reverse("design:risk-matrix-cell", args=[risk_file.pk])
    page = signed_in(cast.author).post(url, {"severity": 1, "probability": 1, "region": "alarp"})
    assert page.status_code == 404
    assert event_count() == before


@pytest.mark.verifies("DES-044")
def test_the_hazard_list_costs_the_same_queries_however_many_hazards(
    cast,
    signed_in,
    risk_file,  # noqa: F811
):
    client = signed_in(cast.author)
    url = reverse("design:risk-hazards", args=[risk_file.pk])
    situation(cast, risk_file)
    client.get(url)

    def queries():
        with CaptureQueriesContext(connection) as found:
            assert client.get(url).status_code == 200
        return len(found)

    few = queries()
    for _ in range(3):
        situation(cast, risk_file)
    assert queries() == few


@pytest.mark.verifies("DES-036")
def test_the_fmea_page_and_csv_show_every_situation(cast, signed_in, risk_file):  # noqa: F811
    found = evaluated(cast, situation(cast, risk_file))
    risk.add_control(actor=cast.author, situation=found, kind="protective", description="Gate.")
    client = signed_in(cast.auditor)
    page = client.get(reverse("design:risk-fmea", args=[risk_file.pk]))
    assert "HS-001" in page.content.decode()
    csv = client.get(reverse("design:risk-fmea-csv", args=[risk_file.pk]))
    lines = b"".join(csv.streaming_content).decode().splitlines()
    assert lines[0].startswith("ID,Item / function")
    assert lines[1].startswith("HS-001,") and "RC-1 protective measure: Gate." in lines[1]


@pytest.mark.verifies("DES-033")
def test_adding_a_hazard_and_a_situation_from_the_pages(cast, signed_in, risk_file):  # noqa: F811
    client = signed_in(cast.author)
    client.post(reverse("design:risk-hazard-add", args=[risk_file.pk]), {"title": "Data loss"})
    hazard = Hazard.objects.get()
    form = {"sequence": "Upload drops.", "situation": "No result.", "harm": "Delay"}
    form |= {"severity": "2", "p1": "3", "p2": "2"}
    client.post(reverse("design:risk-situation-add", args=[hazard.pk]), form)
    page = client.get(reverse("design:risk-hazard", args=[hazard.pk]))
    body = page.content.decode()
    assert "HS-001: Delay" in body and "(P1 3 × P2 2)" in body and "RISK-1" in body


@pytest.mark.verifies("DES-037")
def test_closing_a_review_from_its_page(cast, signed_in, device, risk_file):  # noqa: F811
    open_complaint(cast, device)
    hazard = risk.add_hazard(actor=cast.author, file=risk_file, title="Missed AF")
    review = RiskReview.objects.get()
    client = signed_in(cast.author)
    assert (
        "Close the review"
        in client.get(reverse("design:risk-review", args=[review.pk])).content.decode()
    )
    url = reverse("design:risk-review-close", args=[review.pk])
    client.post(url, {"outcome": "updated", "hazards": [str(hazard.pk)], "note": "HAZ-001"})
    review.refresh_from_db()
    assert (review.outcome, review.closed_by) == ("updated", cast.author)
