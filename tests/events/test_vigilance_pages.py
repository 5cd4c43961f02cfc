"""Vigilance pages: the dashboard (clocks soonest first, overdue marked), the clock
rules, incident reports (list with constant queries, draft, submit with a signature,
PDF and JSON), health data hidden from the auditor, and a 404 for the outsider."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openqms.core.signatures import content_hash
from openqms.events.actions import vigilance as actions
from openqms.events.models import ClockRule, IncidentReport
from openqms.testing import PASSWORD, event_count

from .conftest import SIGN, uk
from .vigilance_support import complaint_pages, reportable_complaint, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("complaint_pages")]
__all__ = ["complaint_pages"]
AWARE = uk("2026-03-02 09:30")
JSON_KEYS = {
    "schema",
    "number",
    "report_type",
    "sequence",
    "state",
    "complaint",
    "device",
    "incident",
    "investigation",
    "manufacturer_comments",
    "submission",
}


@pytest.fixture
def complaint(cast, device):
    return reportable_complaint(cast, device, AWARE)


@pytest.fixture
def report(cast, complaint):
    return actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="initial")


@pytest.mark.verifies("EVT-011")
def test_the_dashboard_lists_running_clocks_with_overdue_ones_marked(cast, device, signed_in):
    later = reportable_complaint(cast, device, uk("2999-01-05 10:00"))
    old = reportable_complaint(cast, device, uk("2026-01-05 10:00"))
    page = signed_in(cast.auditor).get(reverse("events:vigilance")).content.decode()
    assert page.index(old.number) < page.index(later.number)
    assert 'class="overdue"' in page and "overdue by" in page
    assert "No report submitted yet" in page or "no report submitted yet" in page


@pytest.mark.verifies("EVT-011")
def test_the_dashboard_shows_the_on_time_rate(cast, complaint, signed_in):
    submitted(cast, complaint, at=AWARE + dt.timedelta(days=1))
    page = signed_in(cast.qa_lead).get(reverse("events:vigilance")).content.decode()
    assert "<strong>100%</strong> (1 of 1)" in page
    assert "No clock is running." in page


@pytest.mark.verifies("EVT-010")
def test_the_qa_lead_adds_a_clock_rule_on_its_page_and_a_bad_one_is_shown_back(cast, signed_in):
    client = signed_in(cast.qa_lead)
    url = reverse("events:clock-rules")
    data = {"category": "other_serious", "days": "12", "effective_from": "2020-01-01"}
    page = client.post(url, {**data, "legal_reference": "SI 2026/9"})
    assert page.status_code == 200 and "after the latest rule" in page.content.decode()
    assert 'value="SI 2026/9"' in page.content.decode()
    data["effective_from"] = "2027-01-01"
    assert client.post(url, {**data, "legal_reference": "SI 2026/9"}).status_code == 302
    assert ClockRule.objects.filter(legal_reference="SI 2026/9").count() == 1


@pytest.mark.verifies("EVT-010", refusal=True)
def test_the_auditor_reads_the_rules_but_cannot_add_one(cast, signed_in):
    client = signed_in(cast.auditor)
    url = reverse("events:clock-rules")
    assert "Add a rule" not in client.get(url).content.decode()
    before = ClockRule.objects.count()
    client.post(
        url,
        {
            "category": "other_serious",
            "days": "1",
            "effective_from": "2030-01-01",
            "legal_reference": "x",
        },
    )
    assert ClockRule.objects.count() == before


@pytest.mark.verifies("EVT-012")
def test_a_report_is_drafted_from_its_complaint_on_the_page(cast, complaint, signed_in):
    client = signed_in(cast.qa_lead)
    url = reverse("events:incident-report-create") + f"?from=events.complaint:{complaint.pk}"
    form = client.get(url).content.decode()
    assert 'value="RhythmCheck"' in form and 'value="58264"' in form
    data = {"report_type": "initial", "title": "Missed AF", "event_description": "Missed it."}
    response = client.post(url, data)
    made = IncidentReport.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()


@pytest.mark.verifies("EVT-012")
def test_a_draft_without_its_description_is_shown_again_with_the_input(cast, complaint, signed_in):
    client = signed_in(cast.qa_lead)
    url = reverse("events:incident-report-create") + f"?from=events.complaint:{complaint.pk}"
    page = client.post(url, {"report_type": "initial", "title": "Kept title"})
    assert page.status_code == 200 and 'value="Kept title"' in page.content.decode()
    assert IncidentReport.objects.count() == 0


@pytest.mark.verifies("EVT-014")
def test_the_submission_is_signed_on_the_page(cast, report, signed_in):
    client = signed_in(cast.qa_lead)
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Record the submission" in page
    response = client.post(
        reverse("events:incident-report-submit", args=[report.pk]),
        {
            "password": PASSWORD,
            "content_hash": content_hash(report.signature_content()),
            "mhra_reference": "MHRA-7",
            "submitted_at": "2026-03-04T10:00",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.mhra_reference, report.on_time) == ("submitted", "MHRA-7", True)


@pytest.mark.verifies("EVT-005", refusal=True)
def test_the_auditor_sees_the_report_but_not_the_patient_outcome(cast, report, signed_in):
    client = signed_in(cast.auditor)
    page = client.get(report.get_absolute_url()).content.decode()
    assert report.number in page and "Admitted to hospital" not in page
    assert "Record the submission" not in page
    data = client.get(reverse("events:incident-report-json", args=[report.pk])).json()
    assert data["incident"]["patient_outcome"] == "Health data — hidden"
    pdf = client.get(reverse("events:incident-report-pdf", args=[report.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.verifies("EVT-040")
def test_the_json_export_keeps_its_keys(cast, report, signed_in):
    data = signed_in(cast.qa_lead).get(reverse("events:incident-report-json", args=[report.pk]))
    found = data.json()
    assert set(found) == JSON_KEYS
    assert found["schema"] == "openqms.incident_report/1"
    assert set(found["device"]) == {
        "name",
        "model",
        "class",
        "gmdn_code",
        "basic_udi_di",
        "udi_di",
        "serial",
        "lot",
        "software_version",
    }
    assert set(found["incident"]) == {"description", "date", "awareness_at", "patient_outcome"}
    assert set(found["investigation"]) == {
        "findings",
        "root_cause",
        "actions_taken",
        "actions_planned",
    }
    assert set(found["submission"]) == {
        "mhra_reference",
        "submitted_at",
        "submitted_by",
        "deadline_at",
        "on_time",
    }
    assert found["incident"]["patient_outcome"] == "Admitted to hospital; recovered."


@pytest.mark.verifies("EVT-038", refusal=True)
def test_the_outsider_meets_404_on_every_vigilance_page(cast, report, signed_in):
    client = signed_in(cast.outsider)
    pk = {"pk": report.pk}
    for name, kwargs in [
        ("vigilance", {}),
        ("clock-rules", {}),
        ("incident-reports", {}),
        ("incident-report-create", {}),
        ("incident-report", pk),
        ("incident-report-edit", pk),
        ("incident-report-pdf", pk),
        ("incident-report-json", pk),
    ]:
        assert client.get(reverse(f"events:{name}", kwargs=kwargs)).status_code == 404, name
    before = event_count()
    url = reverse("events:incident-report-submit", kwargs=pk)
    assert client.post(url, {"password": PASSWORD}).status_code == 404
    assert event_count() == before


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("events:incident-reports")).status_code == 200
    return len(queries)


def test_the_report_list_takes_the_same_queries_however_many_reports(cast, device, signed_in):
    client = signed_in(cast.auditor)
    submitted(cast, reportable_complaint(cast, device, AWARE))
    few = _list_queries(client)
    for _ in range(4):
        submitted(cast, reportable_complaint(cast, device, AWARE))
    assert _list_queries(client) == few


@pytest.mark.verifies("EVT-045")
def test_the_report_list_filters_by_state(cast, device, report, signed_in):
    done = submitted(cast, reportable_complaint(cast, device, AWARE))
    page = signed_in(cast.auditor).get(reverse("events:incident-reports"), {"state": "draft"})
    assert report.number in page.content.decode() and done.number not in page.content.decode()


@pytest.mark.verifies("EVT-012")
def test_a_draft_is_edited_on_its_page_and_a_follow_up_gets_a_due_date(cast, report, signed_in):
    client = signed_in(cast.qa_lead)
    url = reverse("events:incident-report-edit", args=[report.pk])
    assert 'value="RhythmCheck"' in client.get(url).content.decode()
    data = {"title": report.title, "event_description": "Missed it.", "root_cause": "Threshold"}
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert (report.root_cause, report.event_description) == ("Threshold", "Missed it.")
    submitted_ = actions.submit_report(
        actor=cast.qa_lead,
        report=report,
        mhra_reference="M",
        submitted_at=AWARE + dt.timedelta(days=1),
        credentials=SIGN,
    )
    follow = actions.draft_report(
        actor=cast.qa_lead, complaint=submitted_.complaint, report_type="follow_up"
    )
    due = reverse("events:incident-report-due", args=[follow.pk])
    assert client.post(due, {"due_at": "2026-04-01T12:00"}).status_code == 302
    follow.refresh_from_db()
    assert follow.due_at == uk("2026-04-01 12:00")


@pytest.mark.verifies("EVT-005")
@pytest.mark.parametrize("export", ["incident-report-json", "incident-report-pdf"])
def test_the_qa_lead_reading_the_outcome_in_an_export_is_recorded(cast, report, signed_in, export):
    from openqms.testing import changes_of, last_event

    client = signed_in(cast.qa_lead)
    before = event_count()
    assert client.get(reverse(f"events:{export}", args=[report.pk])).status_code == 200
    assert event_count() == before + 1
    read = last_event()
    assert (read.action, read.object_id) == ("core.health_data.read", str(report.pk))
    assert changes_of(read) == {"fields": ["patient_outcome"]}


@pytest.mark.verifies("EVT-005")
def test_the_auditor_reading_an_export_records_no_read(cast, report, signed_in):
    client = signed_in(cast.auditor)
    before = event_count()
    client.get(reverse("events:incident-report-json", args=[report.pk]))
    client.get(reverse("events:incident-report-pdf", args=[report.pk]))
    assert event_count() == before
