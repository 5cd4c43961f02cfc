"""Recording a report's submission to the MHRA: a signed step by who reports, with the
MHRA reference and when it went (never in the future); whether it was on time is
computed then and kept, to the exact instant of the deadline."""

import datetime as dt

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.signatures import Credentials
from openqms.events.actions import vigilance as actions
from openqms.events.models import IncidentReport, ReportabilityDecision
from openqms.testing import changes_of, event_count, last_event

from .conftest import SIGN, uk
from .vigilance_support import reportable_complaint, submitted

pytestmark = pytest.mark.django_db
AWARE = uk("2026-03-02 09:30")  # 10-day clock: deadline 13 Mar 00:00 GMT
DEADLINE = dt.datetime(2026, 3, 13, 0, 0, tzinfo=dt.UTC)


@pytest.fixture
def complaint(cast, device):
    return reportable_complaint(cast, device, AWARE)


@pytest.fixture
def draft(cast, complaint):
    return actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="initial")


def _submit(cast, report, at, *, who="qa_lead", credentials=SIGN, reference="MHRA-2026-1"):
    return actions.submit_report(
        actor=getattr(cast, who),
        report=report,
        mhra_reference=reference,
        submitted_at=at,
        credentials=credentials,
    )


@pytest.mark.verifies("EVT-009")
def test_the_decision_gives_the_deadline_the_initial_report_is_held_to(complaint):
    decision = ReportabilityDecision.objects.get(complaint=complaint)
    assert decision.deadline_at == DEADLINE


@pytest.mark.verifies("EVT-014")
def test_submitting_signs_the_report_and_records_the_mhra_reference_once(cast, draft):
    before = event_count()
    at = DEADLINE - dt.timedelta(days=3)
    report = _submit(cast, draft, at)
    assert (report.state, report.mhra_reference, report.submitted_at) == (
        "submitted",
        "MHRA-2026-1",
        at,
    )
    assert (report.submitted_by, report.on_time, report.deadline_at) == (
        cast.qa_lead,
        True,
        DEADLINE,
    )
    assert event_count() == before + 2  # the signature, then the step
    event = last_event()
    assert (event.action, event.object_id) == ("events.incident_report.submitted", str(draft.pk))
    assert changes_of(event) == {
        "state": ["draft", "submitted"],
        "step": "submit",
        "mhra_reference": ["", "MHRA-2026-1"],
        "submitted_at": [None, "2026-03-10T00:00:00.000000+00:00"],
        "submitted_by": [None, "Quinn Avery (qa-lead)"],
        "deadline_at": [None, "2026-03-13T00:00:00.000000+00:00"],
        "on_time": [None, True],
    }


@pytest.mark.verifies("EVT-009")
def test_a_report_sent_in_the_last_second_of_the_last_day_is_on_time(cast, draft):
    report = _submit(cast, draft, DEADLINE - dt.timedelta(seconds=1))
    assert report.on_time is True


@pytest.mark.verifies("EVT-009")
def test_a_report_sent_at_uk_midnight_ending_the_last_day_is_late(cast, draft):
    report = _submit(cast, draft, DEADLINE)
    assert report.on_time is False


@pytest.mark.verifies("EVT-009")
def test_a_follow_up_is_judged_against_its_due_date_or_not_at_all(cast, complaint):
    submitted(cast, complaint)
    follow = actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="follow_up")
    assert _submit(cast, follow, AWARE + dt.timedelta(days=20)).on_time is None
    final = actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="final")
    actions.set_report_due(actor=cast.qa_lead, report=final, due_at=AWARE + dt.timedelta(days=25))
    assert _submit(cast, final, AWARE + dt.timedelta(days=26)).on_time is False


def _unchanged(draft, before):
    draft.refresh_from_db()
    assert (draft.state, draft.mhra_reference, draft.on_time) == ("draft", "", None)
    assert event_count() == before


@pytest.mark.verifies("EVT-009", refusal=True)
@pytest.mark.verifies("EVT-014", refusal=True)
@pytest.mark.parametrize(
    ("at", "reference", "field"),
    [
        (dt.datetime(2999, 1, 1, tzinfo=dt.UTC), "MHRA-1", "submitted_at"),
        (AWARE - dt.timedelta(hours=1), "MHRA-1", "submitted_at"),
        ("soon", "MHRA-1", "submitted_at"),
        ("", "MHRA-1", "submitted_at"),
        (AWARE + dt.timedelta(days=1), " ", "mhra_reference"),
    ],
)
def test_bad_submission_details_are_refused_and_nothing_changes(cast, draft, at, reference, field):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        _submit(cast, draft, at, reference=reference)
    assert field in refused.value.fields
    _unchanged(draft, before)


@pytest.mark.verifies("EVT-013", refusal=True)
@pytest.mark.parametrize("who", ["author", "manager", "auditor"])
def test_only_who_reports_records_a_submission(cast, draft, who):
    before = event_count()
    with pytest.raises(PermissionRefused):
        _submit(cast, draft, AWARE + dt.timedelta(days=1), who=who)
    _unchanged(draft, before)


@pytest.mark.verifies("EVT-014", refusal=True)
def test_a_wrong_password_submits_nothing(cast, draft):
    before_reports = IncidentReport.objects.filter(state="submitted").count()
    with pytest.raises(Exception):
        _submit(cast, draft, AWARE + dt.timedelta(days=1), credentials=Credentials("wrong"))
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert IncidentReport.objects.filter(state="submitted").count() == before_reports


@pytest.mark.verifies("EVT-014", refusal=True)
def test_a_report_is_submitted_once(cast, draft):
    _submit(cast, draft, AWARE + dt.timedelta(days=1))
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        _submit(cast, draft, AWARE + dt.timedelta(days=2))
    assert event_count() == before


@pytest.mark.verifies("EVT-014", "EVT-012", refusal=True)
def test_a_follow_up_drafted_before_the_final_cannot_go_after_it(cast, complaint):
    submitted(cast, complaint)
    follow = actions.draft_report(actor=cast.qa_lead, complaint=complaint, report_type="follow_up")
    submitted(cast, complaint, "final", at=AWARE + dt.timedelta(days=9))
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="final report ended"):
        _submit(cast, follow, AWARE + dt.timedelta(days=10))
    assert event_count() == before


@pytest.mark.verifies("EVT-014")
def test_the_submission_signature_covers_the_reference_date_and_outcome_hash(cast, draft):
    import hashlib

    from openqms.core.signatures import manifestations

    at = DEADLINE - dt.timedelta(days=3)
    report = _submit(cast, draft, at)
    content = report.signature_content()
    assert content["mhra_reference"] == "MHRA-2026-1"
    assert content["submitted_at"] == at.isoformat()
    outcome = hashlib.sha256(report.patient_outcome.encode()).hexdigest()
    assert content["patient_outcome_sha256"] == outcome
    assert "patient_outcome" not in content
    [signed] = manifestations(report)
    assert signed.valid
    IncidentReport.objects.filter(pk=report.pk).update(mhra_reference="MHRA-OTHER")
    [after] = manifestations(IncidentReport.objects.get(pk=report.pk))
    assert not after.valid
