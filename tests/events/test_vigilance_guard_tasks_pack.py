"""What vigilance adds to others: a reportable complaint cannot close before its final
report is submitted (a guard on the complaints area's step); My tasks and the QMS
dashboard show running clocks; the PMS pack gets each report with its PDF and JSON,
never health data; the demo reports "Electrode lead detached…" on time, once."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from openqms.core import demo as core_demo
from openqms.core.models import User
from openqms.events import guards
from openqms.events.actions import vigilance as actions
from openqms.events.demo import vigilance as demo
from openqms.events.inbox.vigilance import open_clocks_panel, vigilance_tasks
from openqms.events.models import Category, Complaint, IncidentReport
from openqms.testing import PASSWORD

from .conftest import uk
from .vigilance_support import decide, make_complaint, reportable_complaint, submitted

pytestmark = pytest.mark.django_db
AWARE = uk("2026-03-02 09:30")


@pytest.mark.verifies("EVT-008", refusal=True)
def test_a_reportable_complaint_closes_only_after_its_final_report(cast, device):
    complaint = reportable_complaint(cast, device, AWARE)
    assert "final report" in guards.refusal_of("complaint", "close", complaint)
    submitted(cast, complaint)
    assert guards.refusal_of("complaint", "close", complaint)
    submitted(cast, complaint, "final", at=AWARE + dt.timedelta(days=9))
    assert guards.refusal_of("complaint", "close", complaint) is None


@pytest.mark.verifies("EVT-008")
def test_a_complaint_not_reportable_closes_without_a_report(cast, device):
    complaint = make_complaint(cast, device, AWARE)
    assert guards.refusal_of("complaint", "close", complaint) is None
    decide(cast, complaint, Category.NOT_REPORTABLE)
    assert guards.refusal_of("complaint", "close", complaint) is None


@pytest.mark.verifies("EVT-042")
def test_my_tasks_show_each_running_clock_due_on_its_last_day_to_who_reports(cast, device):
    complaint = reportable_complaint(cast, device, AWARE)
    [task] = vigilance_tasks(cast.qa_lead)
    assert task.due == dt.date(2026, 3, 12)
    assert complaint.number in task.title and "?from=events.complaint:" in task.url
    assert vigilance_tasks(cast.auditor) == []
    report = submitted(cast, complaint)
    follow = actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="follow_up")
    actions.set_report_due(actor=cast.qa_lead, report=follow, due_at="2026-04-01 12:00")
    [task] = vigilance_tasks(cast.qa_lead)
    assert (task.url, task.due) == (follow.get_absolute_url(), dt.date(2026, 4, 1))
    assert report.number not in task.title


@pytest.mark.verifies("EVT-042")
def test_the_dashboard_panel_lists_running_clocks_to_readers_only(cast, device):
    complaint = reportable_complaint(cast, device, AWARE)
    [panel] = open_clocks_panel(cast.auditor)
    assert [c.complaint for c, _, _ in panel.context["clocks"]] == [complaint]
    assert open_clocks_panel(cast.outsider) == []


@pytest.mark.verifies("EVT-040", "EVT-005")
def test_the_pack_has_each_report_with_its_pdf_and_json_without_health_data(cast, device):
    complaint = reportable_complaint(cast, device, AWARE)
    report = submitted(cast, complaint, at=AWARE + dt.timedelta(days=1))
    section = actions.pack_section(device, dt.date(2000, 1, 1), dt.date(2999, 12, 31))
    assert section.summary == "1 incident report(s), 0 late"
    assert [row[0] for row in section.rows] == [report.number]
    files = dict(section.files)
    assert files[f"incident-reports/{report.number}.pdf"].startswith(b"%PDF")
    data = json.loads(files[f"incident-reports/{report.number}.json"])
    assert data["incident"]["patient_outcome"] == "Health data — hidden"
    assert b"Admitted to hospital" not in files[f"incident-reports/{report.number}.json"]
    empty = actions.pack_section(device, dt.date(2000, 1, 1), dt.date(2000, 12, 31))
    assert (empty.rows, empty.files) == ([], [])


@pytest.mark.verifies("EVT-044")
def test_the_demo_reports_the_detached_lead_on_time_once(cast, device, monkeypatch):
    User.objects.filter(pk=cast.qa_lead.pk).update(username="qa")
    monkeypatch.setattr(core_demo, "DEMO_PASSWORD", PASSWORD)  # the cast's password
    # As in the demo: aware three days ago, so reports submitted now are on time.
    aware = timezone.now() - dt.timedelta(days=3)
    complaint = make_complaint(
        cast, device, aware, title="Electrode lead detached during recording"
    )
    decide(cast, complaint, Category.OTHER_SERIOUS)
    # as the complaints demo leaves it: investigated, nothing but the reports missing
    Complaint.objects.filter(pk=complaint.pk).update(
        investigation="Connector retention force below specification.",
        root_cause="Supplier moulding change not notified.",
        capa_needed=False,
        capa_reason="Covered by the supplier nonconformity.",
        reply="Replacement leads sent.",
    )
    demo.reports()
    demo.reports()
    reports = IncidentReport.objects.filter(complaint=complaint).order_by("sequence")
    assert [(r.report_type, r.state, r.on_time) for r in reports] == [
        ("initial", "submitted", True),
        ("final", "submitted", True),
    ]
    assert actions.close_refusal(complaint) is None
    complaint.refresh_from_db()
    assert complaint.state == "closed"  # then the demo closes it (signed by qa)


@pytest.mark.verifies("EVT-044")
def test_the_demo_skips_quietly_without_the_complaint(cast):
    demo.reports()
    assert IncidentReport.objects.count() == 0
