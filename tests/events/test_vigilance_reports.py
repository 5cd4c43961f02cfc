"""Incident reports drafted and edited: who may, from which complaint, in which order
(initial first, a final report ends the series), each change audited once."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.models import RecordLink
from openqms.events.actions import vigilance as actions
from openqms.events.models import Category, IncidentReport
from openqms.testing import changes_of, event_count, events_since, last_event

from .conftest import uk
from .vigilance_support import decide, make_complaint, reportable_complaint, submitted

pytestmark = pytest.mark.django_db
AWARE = uk("2026-03-02 09:30")


@pytest.fixture
def complaint(cast, device):
    return reportable_complaint(cast, device, AWARE)


@pytest.mark.verifies("EVT-012")
def test_qa_lead_drafts_the_initial_report_from_the_complaint_and_device(cast, complaint):
    before = event_count()
    report = actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="initial")
    assert report.number.startswith("MIR-")
    assert (report.sequence, report.state, report.awareness_at) == (1, "draft", AWARE)
    assert (report.device_name, report.device_model, report.gmdn_code) == (
        "RhythmCheck",
        "2.1",
        "58264",
    )
    assert (report.serial, report.lot) == ("SN-100", "L-2603")
    assert report.patient_outcome == "Admitted to hospital; recovered."
    drafted = events_since(before)[0]
    assert drafted.action == "events.incident_report.drafted"
    assert changes_of(drafted) == {
        "number": report.number,
        "complaint": complaint.number,
        "report_type": "initial",
        "sequence": 1,
    }
    assert [e.action for e in events_since(before)] == [
        "events.incident_report.drafted",
        "core.link.added",
    ]
    link = RecordLink.objects.get(to_type="events.incidentreport", to_id=str(report.pk))
    assert (link.from_type, link.from_id, link.kind) == (
        "events.complaint",
        str(complaint.pk),
        "reported",
    )


@pytest.mark.verifies("EVT-012")
def test_reports_follow_in_sequence_and_a_final_report_ends_the_series(cast, complaint):
    submitted(cast, complaint)
    follow = actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="follow_up")
    final = actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="final")
    assert (follow.sequence, final.sequence) == (2, 3)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="final report ended"):
        actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="follow_up")
    assert event_count() == before


@pytest.mark.verifies("EVT-012")
def test_the_first_report_of_a_complaint_is_the_initial_one(cast, complaint):
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="initial report"):
        actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="final")
    actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="initial")
    with pytest.raises(TransitionNotAllowed, match="already has its initial"):
        actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="initial")
    assert IncidentReport.objects.count() == 1
    assert event_count() == before + 2


@pytest.mark.verifies("EVT-012")
def test_a_complaint_not_decided_reportable_is_not_reported(cast, device):
    complaint = make_complaint(cast, device, AWARE)
    decide(cast, complaint, Category.NOT_REPORTABLE)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="reportable serious incident"):
        actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="initial")
    assert (event_count(), IncidentReport.objects.count()) == (before, 0)


@pytest.mark.verifies("EVT-013", refusal=True)
@pytest.mark.parametrize("who", ["author", "manager", "auditor", "outsider"])
def test_only_who_reports_to_the_mhra_drafts_a_report(cast, complaint, who):
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.draft_report(actor=getattr(cast, who), complaint=complaint, report_type="initial")
    assert (event_count(), IncidentReport.objects.count()) == (before, 0)


@pytest.mark.verifies("EVT-012")
def test_editing_a_draft_audits_only_what_changed(cast, complaint):
    report = actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="initial")
    before = event_count()
    actions.edit_report(
        actor=cast.qa_lead,
        report=report,
        fields={
            "root_cause": "Firmware threshold",
            "serial": "SN-100",
            "incident_date": "2026-03-01",
        },
    )
    assert event_count() == before + 1
    event = last_event()
    assert event.action == "events.incident_report.edited"
    assert changes_of(event) == {
        "root_cause": ["", "Firmware threshold"],
        "incident_date": [None, "2026-03-01"],
    }


@pytest.mark.verifies("EVT-012")
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"event_description": " "}, "event_description"),
        ({"incident_date": "2999-01-01"}, "incident_date"),
        ({"incident_date": "yesterday"}, "incident_date"),
        ({"serial": "x" * 101}, "serial"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_report_content_is_refused_naming_the_field(cast, complaint, fields, field):
    report = actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="initial")
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.edit_report(actor=cast.qa_lead, report=report, fields=fields)
    assert field in refused.value.fields
    assert event_count() == before
    report.refresh_from_db()
    assert report.event_description and report.title


@pytest.mark.verifies("EVT-014", refusal=True)
def test_a_submitted_report_is_never_edited(cast, complaint):
    report = submitted(cast, complaint)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="never changed"):
        actions.edit_report(actor=cast.qa_lead, report=report, fields={"root_cause": "Later"})
    assert event_count() == before


@pytest.mark.verifies("EVT-012")
def test_the_due_date_of_a_follow_up_is_set_and_audited(cast, complaint):
    submitted(cast, complaint)
    follow = actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="follow_up")
    before = event_count()
    actions.set_report_due(actor=cast.qa_lead, report=follow, due_at="2026-04-15 17:00")
    assert event_count() == before + 1
    assert last_event().action == "events.incident_report.due_set"
    assert changes_of(last_event())["due_at"][0] is None


@pytest.mark.verifies("EVT-012")
def test_an_initial_report_has_no_due_date_of_its_own(cast, complaint):
    report = actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="initial")
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="deadline"):
        actions.set_report_due(actor=cast.qa_lead, report=report, due_at="2026-04-15 17:00")
    assert event_count() == before
