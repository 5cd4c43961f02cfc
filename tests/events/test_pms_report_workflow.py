"""A periodic report is prepared (its controlled document and conclusions recorded) and
completed with a signature; completion needs the report document; refusals change
nothing."""

import datetime as dt

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.signatures import Credentials
from openqms.events.actions import pms
from openqms.events.models import PmsReport
from openqms.testing import changes_of, event_count, last_event

from .conftest import SIGN, effective_document
from .pms_helpers import placed, prepared

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(cast, device):
    placed(cast, device, dt.date(2025, 3, 10))
    return pms.schedule_pms_report(actor=cast.qa_lead, device=device)


@pytest.mark.verifies("EVT-023")
def test_starting_a_report_puts_it_in_preparation(cast, report):
    started = pms.start_pms_report(actor=cast.qa_lead, report=report)
    assert started.state == "in_preparation"
    event = last_event()
    assert event.action == "events.pms_report.started"
    assert changes_of(event) == {"state": ["scheduled", "in_preparation"], "step": "start"}


@pytest.mark.verifies("EVT-023")
def test_the_report_document_and_conclusions_are_recorded_and_audited(cast, report):
    pms.start_pms_report(actor=cast.qa_lead, report=report)
    document = effective_document(cast, "RhythmCheck PSUR 2027", doc_type="report")
    done = pms.record_pms_report_details(
        actor=cast.qa_lead, report=report, document=document, conclusions="No new risks."
    )
    assert (done.document, done.conclusions) == (document, "No new risks.")
    event = last_event()
    assert event.action == "events.pms_report.edited"
    assert changes_of(event) == {
        "document_id": [None, document.pk],
        "conclusions": ["", "No new risks."],
    }


@pytest.mark.verifies("EVT-023")
def test_completing_the_report_is_signed_and_closes_it(cast, report):
    report = prepared(cast, report)
    done = pms.complete_pms_report(actor=cast.qa_lead, report=report, credentials=SIGN)
    assert done.state == "completed" and done.closed_at is not None
    event = last_event()
    assert event.action == "events.pms_report.completed"
    assert changes_of(event)["state"] == ["in_preparation", "completed"]


@pytest.mark.verifies("EVT-023", refusal=True)
def test_a_report_without_its_document_cannot_be_completed(cast, report):
    report = pms.start_pms_report(actor=cast.qa_lead, report=report)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="controlled document"):
        pms.complete_pms_report(actor=cast.qa_lead, report=report, credentials=SIGN)
    assert event_count() == before
    assert PmsReport.objects.get().state == "in_preparation"


@pytest.mark.verifies("EVT-023", refusal=True)
def test_a_wrong_password_signs_nothing(cast, report):
    report = prepared(cast, report)
    before = event_count()
    with pytest.raises(Exception):
        pms.complete_pms_report(
            actor=cast.qa_lead, report=report, credentials=Credentials("wrong password")
        )
    assert PmsReport.objects.get().state == "in_preparation"
    assert event_count() >= before  # a failed signing is itself recorded by core
    assert not PmsReport.objects.filter(state="completed").exists()


@pytest.mark.verifies("EVT-023", refusal=True)
def test_details_cannot_change_once_the_report_is_completed(cast, report):
    report = prepared(cast, report)
    pms.complete_pms_report(actor=cast.qa_lead, report=report, credentials=SIGN)
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        pms.record_pms_report_details(
            actor=cast.qa_lead, report=report, document=None, conclusions="Changed."
        )
    assert event_count() == before
    assert PmsReport.objects.get().conclusions == "Benefit-risk stays."


@pytest.mark.verifies("EVT-023")
def test_recording_the_same_details_again_is_refused_as_nothing_changed(cast, report):
    report = prepared(cast, report)
    with pytest.raises(InvalidInput, match="Nothing changed"):
        pms.record_pms_report_details(
            actor=cast.qa_lead,
            report=report,
            document=report.document,
            conclusions=report.conclusions,
        )


@pytest.mark.verifies("EVT-023", refusal=True)
@pytest.mark.parametrize("who", ["author", "trainee", "auditor"])
def test_only_those_who_sign_quality_decisions_complete_a_report(cast, report, who):
    report = prepared(cast, report)
    before = event_count()
    with pytest.raises(PermissionRefused):
        pms.complete_pms_report(actor=getattr(cast, who), report=report, credentials=SIGN)
    assert event_count() == before
    assert PmsReport.objects.get().state == "in_preparation"


@pytest.mark.verifies("EVT-040")
def test_the_pack_section_lists_the_reports_of_the_period(cast, report, device):
    section = pms.pack_section(device, dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert section.title == "Periodic PMS reports"
    assert [row[0] for row in section.rows] == [report.number]
    assert pms.pack_section(device, dt.date(2025, 1, 1), dt.date(2025, 12, 31)).rows == []
