"""Trend reports: opened from a significant increase (the observed and expected rates
and the method taken from the trend), edited while a draft, submitted to the MHRA with
a signature, then closed. Refusals change nothing and write no event."""

import datetime as dt
from decimal import Decimal

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.models import Signature
from openqms.core.signatures import Credentials
from openqms.events import chart
from openqms.events.actions import trends as actions
from openqms.events.models import TrendReport
from openqms.testing import changes_of, event_count, last_event

from .conftest import SIGN
from .trend_support import baseline_method, complaints, month_start, monthly

FIRST = dt.date(2025, 1, 1)


@pytest.fixture
def rising(cast, device):
    """12 baseline months of 2 per 1,000, then 9 in January 2026 (limit 6.24)."""
    baseline_method(cast, device)
    monthly(cast, device, FIRST, [1000] * 13)
    for i in range(13):
        start = month_start(FIRST, i)
        at = dt.datetime(start.year, start.month, 5, 12, tzinfo=dt.UTC)
        complaints(cast, device, at, n=9 if i == 12 else 2)
    return device


def open_report(cast, device, **fields):
    data = {
        "series": "non_serious_incident",
        "increase_from": dt.date(2026, 1, 1),
        "increase_to": dt.date(2026, 1, 31),
        "conclusion": "Export crash after release 2.1.3.",
    } | fields
    return actions.open_trend_report(actor=cast.qa_lead, device=device, **data)


@pytest.mark.verifies("EVT-021")
def test_a_report_takes_its_rates_and_method_from_the_trend(cast, rising):
    report = open_report(cast, rising)
    assert report.number.startswith("TR-")
    assert (report.observed_rate, report.expected_rate) == (Decimal("9.0000"), Decimal("2.0000"))
    assert (report.increase_from, report.increase_to) == (dt.date(2026, 1, 1),) * 2
    assert report.method_snapshot["baseline_periods"] == 12
    assert report.state == "draft"
    event = last_event()
    assert (event.action, event.object_id) == ("events.trendreport.opened", str(report.pk))
    changes = changes_of(event)
    assert changes["observed_rate"] == [None, "9.0000"]
    assert changes["expected_rate"] == [None, "2.0000"]
    assert changes["state"] == [None, "draft"]
    assert chart.trends_for([rising.pk])[rising.pk][0].unreported == []


@pytest.mark.verifies("EVT-021", refusal=True)
def test_a_report_needs_a_method_exposure_and_a_counted_series(cast, device, rising):
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        open_report(
            cast, rising, increase_from=dt.date(2030, 1, 1), increase_to=dt.date(2030, 2, 1)
        )
    assert "increase_from" in refused.value.fields
    with pytest.raises(InvalidInput):
        open_report(cast, rising, series="serious_incident")
    with pytest.raises(InvalidInput) as refused:
        open_report(cast, rising, increase_to=dt.date(2025, 1, 1))
    assert "increase_to" in refused.value.fields
    with pytest.raises(PermissionRefused):
        actions.open_trend_report(
            actor=cast.author,
            device=rising,
            series="non_serious_incident",
            increase_from="2026-01-01",
            increase_to="2026-01-31",
        )
    assert TrendReport.objects.count() == 0
    assert event_count() == before


@pytest.mark.verifies("EVT-021", refusal=True)
def test_a_device_without_a_method_cannot_have_a_report(cast, class_i_device):
    with pytest.raises(TransitionNotAllowed):
        open_report(cast, class_i_device)


@pytest.mark.verifies("EVT-021")
def test_a_draft_is_edited_with_an_audited_change(cast, rising):
    report = open_report(cast, rising, conclusion="")
    actions.edit_trend_report(
        actor=cast.qa_lead, report=report, conclusion="Real rise.", actions="CAPA"
    )
    assert changes_of(last_event()) == {"conclusion": ["", "Real rise."], "actions": ["", "CAPA"]}
    assert last_event().action == "events.trendreport.edited"


@pytest.mark.verifies("EVT-021")
def test_the_submission_is_signed_and_records_the_mhra_reference(cast, rising):
    report = open_report(cast, rising)
    report = actions.submit_trend_report(
        actor=cast.qa_lead,
        report=report,
        mhra_reference="MHRA-TR-0042",
        submitted_on=dt.date.today(),
        credentials=SIGN,
    )
    assert (report.state, report.mhra_reference) == ("submitted", "MHRA-TR-0042")
    event = last_event()
    assert event.action == "events.trendreport.submitted"
    assert changes_of(event) == {
        "state": ["draft", "submitted"],
        "step": "submit",
        "mhra_reference": ["", "MHRA-TR-0042"],
        "submitted_on": [None, dt.date.today().isoformat()],
    }
    assert Signature.objects.filter(meaning="trend_report_submitted").count() == 1
    with pytest.raises(TransitionNotAllowed):
        actions.edit_trend_report(actor=cast.qa_lead, report=report, conclusion="x", actions="")
    report = actions.close_trend_report(actor=cast.qa_lead, report=report)
    assert report.state == "closed" and report.closed_at is not None
    assert last_event().action == "events.trendreport.closed"


@pytest.mark.verifies("EVT-021", refusal=True)
@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"credentials": Credentials("wrong password")}, Exception),
        ({"mhra_reference": ""}, InvalidInput),
        ({"submitted_on": dt.date.today() + dt.timedelta(days=2)}, InvalidInput),
        ({"actor": "author"}, Exception),
    ],
)
def test_a_refused_submission_changes_nothing(cast, rising, change, error):
    report = open_report(cast, rising)
    data = {
        "actor": cast.qa_lead,
        "report": report,
        "mhra_reference": "MHRA-1",
        "submitted_on": dt.date.today(),
        "credentials": SIGN,
    } | change
    if data["actor"] == "author":
        data["actor"] = cast.author
    before = event_count() if change.get("credentials") is None else None
    with pytest.raises(error):
        actions.submit_trend_report(**data)
    report.refresh_from_db()
    assert (report.state, report.mhra_reference) == ("draft", "")
    assert not Signature.objects.exists()
    if before is not None:
        assert event_count() == before


@pytest.mark.verifies("EVT-021", refusal=True)
def test_a_report_without_a_conclusion_cannot_be_submitted(cast, rising):
    report = open_report(cast, rising, conclusion="")
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="conclusion"):
        actions.submit_trend_report(
            actor=cast.qa_lead,
            report=report,
            mhra_reference="MHRA-1",
            submitted_on=dt.date.today(),
            credentials=SIGN,
        )
    assert event_count() == before


@pytest.mark.verifies("EVT-021", "EVT-031", refusal=True)
def test_a_qa_lead_not_trained_on_the_trend_procedure_cannot_close_a_report(cast, rising):
    from openqms.events.models import EventProcedure
    from openqms.training.models import TrainingRule

    from .conftest import effective_document

    report = open_report(cast, rising)
    report = actions.submit_trend_report(
        actor=cast.qa_lead,
        report=report,
        mhra_reference="MHRA-TR-0042",
        submitted_on=dt.date.today(),
        credentials=SIGN,
    )
    procedure = effective_document(cast, "Trend reporting")
    EventProcedure.objects.create(kind="trend_report", document=procedure)
    TrainingRule.objects.filter(doc_type__code="procedure").update(gate=True)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="not trained on"):
        actions.close_trend_report(actor=cast.qa_lead, report=report)
    report.refresh_from_db()
    assert report.state == "submitted" and event_count() == before
