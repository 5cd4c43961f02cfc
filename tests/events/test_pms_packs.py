"""The data pack of a report's period and a device's PMS pack for the MHRA: a ZIP with
an index PDF, a CSV per section and the PMS plan's controlled PDF."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse

from openqms.events import pms_files
from openqms.events.actions import pms
from openqms.events.models import ExposureFigure

from .conftest import SIGN, effective_document
from .pms_helpers import placed, prepared

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(cast, device):
    placed(cast, device, dt.date(2025, 3, 10))
    ExposureFigure.objects.create(  # trends' action is another area's; a row is enough here
        device=device,
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2025, 4, 30),
        units_sold=120,
        entered_by=cast.qa_lead,
        entered_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC),
    )
    return pms.schedule_pms_report(actor=cast.qa_lead, device=device)


def _zip(response):
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.mark.verifies("EVT-040")
def test_the_data_pack_zip_has_an_index_and_the_exposure_csv(client, cast, report):
    client.force_login(cast.qa_lead)
    response = client.get(reverse("events:pms-data-pack-zip", args=[report.pk]))
    assert response["Content-Type"] == "application/zip"
    archive = _zip(response)
    names = archive.namelist()
    assert names[0] == "index.pdf" and archive.read("index.pdf").startswith(b"%PDF")
    exposure = next(n for n in names if n.endswith("sales_and_exposure.csv"))
    text = archive.read(exposure).decode("utf-8-sig")
    assert "units sold" in text and "120" in text
    assert any(n.endswith("periodic_pms_reports.csv") for n in names)


@pytest.mark.verifies("EVT-040")
def test_the_data_pack_page_and_pdf(client, cast, report):
    client.force_login(cast.auditor)
    url = reverse("events:pms-data-pack", args=[report.pk])
    assert "Sales and exposure" in client.get(url).content.decode()
    pdf = client.get(reverse("events:pms-data-pack-pdf", args=[report.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


@pytest.mark.verifies("EVT-040")
def test_the_pms_pack_has_the_plan_pdf_and_the_last_report(client, cast, device, report):
    plan = effective_document(cast, "RhythmCheck PMS plan", doc_type="plan")
    pms.link_pms_plan(actor=cast.qa_lead, device=device, document=plan)
    done = prepared(cast, report)
    pms.complete_pms_report(actor=cast.qa_lead, report=done, credentials=SIGN)
    client.force_login(cast.auditor)
    archive = _zip(client.get(reverse("events:pms-pack", args=[device.pk])))
    names = archive.namelist()
    assert f"pms-plan-{plan.number}-rev-A.pdf" in names
    assert f"last-report-{report.number}.pdf" in names
    assert archive.read(f"pms-plan-{plan.number}-rev-A.pdf").startswith(b"%PDF")


@pytest.mark.verifies("EVT-040")
def test_the_pms_pack_says_when_there_is_no_plan(cast, device):
    found = pms_files.pms_pack(device, cast.qa_lead)
    assert "PMS plan: none linked." in found.notes
    assert "Last PSUR/PMSR: none completed yet." in found.notes
    assert pms_files.index_pdf(found, cast.qa_lead).startswith(b"%PDF")


@pytest.mark.verifies("EVT-038", refusal=True)
def test_an_outsider_gets_no_pack(client, cast, device):
    client.force_login(cast.outsider)
    assert client.get(reverse("events:pms-pack", args=[device.pk])).status_code == 404
