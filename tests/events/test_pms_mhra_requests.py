"""MHRA requests for PMS documents: recorded with their deadline (3 working days), then
answered; whether the answer was on time is computed and kept."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.events.actions import pms
from openqms.events.models import MhraRequest
from openqms.testing import changes_of, event_count, last_event

from .conftest import uk
from .pms_helpers import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(cast, device, monkeypatch):
    pms.seed_bank_holidays(actor=cast.qa_lead, years=range(2026, 2027))
    at(monkeypatch, uk("2026-04-02 17:00"))
    return pms.record_mhra_request(
        actor=cast.qa_lead,
        device=device,
        title="PMS plan and last PSUR",
        received_at="2026-04-02T16:30",
        asked="Send the PMS plan and the last PSUR.",
        mhra_reference="MHRA-1",
    )


@pytest.mark.verifies("EVT-024")
def test_a_request_is_recorded_with_its_deadline_after_the_easter_weekend(request_):
    assert request_.deadline_at == uk("2026-04-10 00:00")
    assert request_.number.startswith("REQ-") and request_.state == "open"
    event = last_event()
    assert event.action == "events.mhra_request.received"
    assert changes_of(event) == {
        "received_at": [None, "2026-04-02T15:30:00+00:00"],
        "deadline_at": [None, "2026-04-09T23:00:00+00:00"],
    }


@pytest.mark.verifies("EVT-024")
def test_an_answer_on_the_third_working_day_is_on_time(cast, request_, monkeypatch):
    at(monkeypatch, uk("2026-04-10 09:00"))
    done = pms.answer_mhra_request(
        actor=cast.qa_lead, request=request_, answered_at="2026-04-09T23:59", sent="Plan, PSUR."
    )
    assert (done.state, done.on_time) == ("answered", True)
    event = last_event()
    assert event.action == "events.mhra_request.answered"
    assert changes_of(event) == {
        "state": ["open", "answered"],
        "answered_at": [None, "2026-04-09T22:59:00+00:00"],
        "on_time": [None, True],
    }


@pytest.mark.verifies("EVT-024")
def test_an_answer_after_the_deadline_is_kept_as_late(cast, request_, monkeypatch):
    at(monkeypatch, uk("2026-04-11 09:00"))
    done = pms.answer_mhra_request(
        actor=cast.qa_lead, request=request_, answered_at="2026-04-10T00:00", sent="Plan."
    )
    assert done.on_time is False


@pytest.mark.verifies("EVT-024")
def test_an_answer_before_the_request_is_refused_and_nothing_changes(cast, request_):
    before = event_count()
    with pytest.raises(InvalidInput) as refusal:
        pms.answer_mhra_request(
            actor=cast.qa_lead, request=request_, answered_at="2026-04-01T10:00", sent="Plan."
        )
    assert "answered_at" in refusal.value.fields
    assert event_count() == before
    assert MhraRequest.objects.get().state == "open"


@pytest.mark.verifies("EVT-024")
def test_a_request_cannot_be_answered_twice(cast, request_):
    pms.answer_mhra_request(
        actor=cast.qa_lead, request=request_, answered_at="2026-04-02T16:45", sent="Plan."
    )
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        pms.answer_mhra_request(
            actor=cast.qa_lead, request=request_, answered_at="2026-04-02T16:50", sent="Again."
        )
    assert event_count() == before


@pytest.mark.verifies("EVT-024")
def test_a_request_without_what_was_asked_is_refused_naming_the_field(cast, device, monkeypatch):
    before = event_count()
    with pytest.raises(InvalidInput) as refusal:
        pms.record_mhra_request(
            actor=cast.qa_lead, device=device, title="T", received_at="2026-04-02T10:00", asked=""
        )
    assert "asked" in refusal.value.fields
    assert event_count() == before and not MhraRequest.objects.exists()


@pytest.mark.verifies("EVT-024")
def test_a_request_received_in_the_future_is_refused(cast, device, monkeypatch):
    at(monkeypatch, uk("2026-04-02 09:00"))
    with pytest.raises(InvalidInput) as refusal:
        pms.record_mhra_request(
            actor=cast.qa_lead, device=device, title="T", received_at="2026-04-02T10:00", asked="A"
        )
    assert "received_at" in refusal.value.fields


@pytest.mark.verifies("EVT-024")
@pytest.mark.parametrize("who", ["trainee", "auditor", "manager"])
def test_only_those_who_report_to_the_mhra_record_requests(cast, device, who):
    before = event_count()
    with pytest.raises(PermissionRefused):
        pms.record_mhra_request(
            actor=getattr(cast, who),
            device=device,
            title="T",
            received_at="2026-01-02T10:00",
            asked="A",
        )
    assert event_count() == before
