"""The PMS pages: a device's overview (plan in force, obligation, next report), the
report page with its steps and signing dialog, the lists (constant queries), MHRA
requests recorded and answered, and 404 for someone with no role."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openqms.events.actions import pms
from openqms.events.models import MhraRequest, PmsReport

from .conftest import effective_document, make_device
from .pms_helpers import placed

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(cast, device):
    placed(cast, device, dt.date(2025, 3, 10))
    return pms.schedule_pms_report(actor=cast.qa_lead, device=device)


@pytest.mark.verifies("EVT-022")
def test_the_overview_shows_the_plan_revision_in_force_and_the_obligation(client, cast, device):
    plan = effective_document(cast, "RhythmCheck PMS plan", doc_type="plan")
    pms.link_pms_plan(actor=cast.qa_lead, device=device, document=plan)
    client.force_login(cast.auditor)
    page = client.get(reverse("events:pms", args=[device.pk])).content.decode()
    assert plan.number in page and "revision A in force" in page
    assert "PSUR) every 2 years" in page


@pytest.mark.verifies("EVT-022")
def test_the_plan_is_linked_from_the_overview(client, cast, device):
    plan = effective_document(cast, "RhythmCheck PMS plan", doc_type="plan")
    client.force_login(cast.qa_lead)
    url = reverse("events:pms-plan-link", args=[device.pk])
    assert client.post(url, {"document": plan.number}).status_code == 302
    assert pms.current_plan(device).document == plan


@pytest.mark.verifies("EVT-022")
def test_an_unknown_plan_number_is_refused_with_a_message(client, cast, device):
    client.force_login(cast.qa_lead)
    response = client.post(
        reverse("events:pms-plan-link", args=[device.pk]), {"document": "PLN-999"}, follow=True
    )
    assert "There is no controlled document PLN-999" in response.content.decode()


@pytest.mark.verifies("EVT-022")
def test_scheduling_from_the_overview_opens_the_report(client, cast, device):
    placed(cast, device, dt.date(2025, 3, 10))
    client.force_login(cast.qa_lead)
    response = client.post(reverse("events:pms-schedule", args=[device.pk]))
    report = PmsReport.objects.get()
    assert response.url == reverse("events:pms-report", args=[report.pk])


@pytest.mark.verifies("EVT-023")
def test_the_report_page_offers_start_then_the_signing_dialog(client, cast, report):
    client.force_login(cast.qa_lead)
    url = reverse("events:pms-report", args=[report.pk])
    assert "Start preparing the report" in client.get(url).content.decode()
    client.post(reverse("events:pms-report-start", args=[report.pk]))
    document = effective_document(cast, "RhythmCheck PSUR", doc_type="report")
    details = reverse("events:pms-report-details", args=[report.pk])
    client.post(details, {"document": document.number, "conclusions": "Acceptable."})
    page = client.get(url).content.decode()
    assert "Sign the report as completed" in page and "Linked records" in page


@pytest.mark.verifies("EVT-023")
def test_the_details_form_keeps_input_when_the_document_is_unknown(client, cast, report):
    pms.start_pms_report(actor=cast.qa_lead, report=report)
    client.force_login(cast.qa_lead)
    details = reverse("events:pms-report-details", args=[report.pk])
    response = client.post(details, {"document": "RPT-404", "conclusions": "Kept text"})
    body = response.content.decode()
    assert response.status_code == 200 and "Kept text" in body and "RPT-404" in body


@pytest.mark.verifies("EVT-024")
def test_an_mhra_request_is_recorded_and_answered_through_the_pages(client, cast, device):
    client.force_login(cast.qa_lead)
    response = client.post(
        reverse("events:mhra-request-create"),
        {
            "title": "PMS plan please",
            "device": device.pk,
            "received_at": "2026-03-12T10:00",
            "asked": "The PMS plan.",
        },
    )
    made = MhraRequest.objects.get()
    assert response.url == reverse("events:mhra-request", args=[made.pk])
    assert made.deadline_at.date() == dt.date(2026, 3, 18)  # midnight ending Tue 17 March
    client.post(
        reverse("events:mhra-request", args=[made.pk]),
        {"answered_at": "2026-03-13T09:00", "sent": "Plan sent."},
    )
    made.refresh_from_db()
    assert (made.state, made.on_time) == ("answered", True)


@pytest.mark.verifies("EVT-024")
def test_the_request_form_shows_the_error_and_keeps_input(client, cast):
    client.force_login(cast.qa_lead)
    response = client.post(
        reverse("events:mhra-request-create"),
        {"title": "Kept title", "received_at": "yesterday-ish", "asked": "Kept ask"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Kept title" in body and "Kept ask" in body
    assert not MhraRequest.objects.exists()


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_report_list_runs_the_same_queries_for_1_or_6_reports(client, cast, family):
    devices = [make_device(cast, family, name=f"Device {n}", model=str(n)) for n in range(6)]
    for d in devices:
        placed(cast, d, dt.date(2025, 1, 1))
    client.force_login(cast.auditor)
    url = reverse("events:pms-reports")
    pms.schedule_pms_report(actor=cast.qa_lead, device=devices[0])
    one = _count(client, url)
    for d in devices[1:]:
        pms.schedule_pms_report(actor=cast.qa_lead, device=d)
    assert _count(client, url) == one


def test_the_request_list_runs_the_same_queries_for_1_or_6_requests(client, cast, device):
    client.force_login(cast.auditor)
    url = reverse("events:mhra-requests")

    def record():
        pms.record_mhra_request(
            actor=cast.qa_lead, device=device, title="T", received_at="2026-01-05T10:00", asked="A"
        )

    record()
    one = _count(client, url)
    for _ in range(5):
        record()
    assert _count(client, url) == one


@pytest.mark.verifies("EVT-038", refusal=True)
@pytest.mark.parametrize(
    "name,args",
    [
        ("events:pms", "device"),
        ("events:pms-pack", "device"),
        ("events:pms-reports", None),
        ("events:pms-report", "report"),
        ("events:pms-data-pack", "report"),
        ("events:pms-data-pack-zip", "report"),
        ("events:pms-data-pack-pdf", "report"),
        ("events:mhra-requests", None),
        ("events:mhra-request-create", None),
        ("events:bank-holidays", None),
    ],
)
def test_an_outsider_meets_404_on_every_pms_page(client, cast, device, report, name, args):
    client.force_login(cast.outsider)
    pk = {"device": device.pk, "report": report.pk}.get(args or "")
    url = reverse(name, args=[pk] if pk else [])
    assert client.get(url).status_code == 404
