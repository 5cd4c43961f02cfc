"""Containment, impact assessment and disposition: each from its own state only, by
who handles quality events, with its one audit event; refusals change nothing."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.events.actions import nonconformance as nc_actions
from openqms.testing import changes_of, event_count, last_event

from .nc_steps import assessed, contained, disposed, make_supplier, raised


def _unchanged(nc, before):
    state = nc.state
    nc.refresh_from_db()
    assert nc.state == state and event_count() == before


@pytest.mark.verifies("EVT-026")
def test_containment_is_recorded_with_who_and_when(cast):
    nc = raised(cast)
    nc = nc_actions.contain_nonconformity(
        actor=cast.qa_lead, nc=nc, containment="Lot quarantined.", contained_at="2026-03-02 10:00"
    )
    assert nc.state == "contained" and nc.contained_by == cast.qa_lead
    event = last_event()
    assert event.action == "events.nonconformity.contained"
    changes = changes_of(event)
    assert changes["state"] == ["raised", "contained"] and changes["step"] == "contain"
    assert changes["containment"] == ["", "Lot quarantined."]


@pytest.mark.verifies("EVT-026")
def test_the_impact_assessment_records_delivered_devices(cast):
    nc = nc_actions.assess_nonconformity(
        actor=cast.qa_lead, nc=contained(cast), impact="None.", delivered_affected="yes"
    )
    assert nc.state == "assessed" and nc.delivered_affected is True
    assert changes_of(last_event())["delivered_affected"] == [None, True]
    assert last_event().action == "events.nonconformity.assessed"


@pytest.mark.verifies("EVT-026")
def test_disposition_needs_the_assessment_first(cast):
    nc = contained(cast)
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        nc_actions.dispose_nonconformity(actor=cast.qa_lead, nc=nc, disposition="scrap")
    _unchanged(nc, before)


@pytest.mark.verifies("EVT-026")
def test_disposition_is_recorded(cast):
    nc = disposed(cast, "scrap")
    assert nc.state == "disposed" and nc.disposition == "scrap"
    assert last_event().action == "events.nonconformity.disposed"
    assert changes_of(last_event())["disposition"] == ["", "scrap"]


@pytest.mark.verifies("EVT-026")
def test_use_as_is_needs_a_justification(cast):
    nc = assessed(cast)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        nc_actions.dispose_nonconformity(actor=cast.qa_lead, nc=nc, disposition="use_as_is")
    assert "justification" in refused.value.fields
    _unchanged(nc, before)


@pytest.mark.verifies("EVT-026")
def test_return_to_supplier_needs_a_supplier(cast):
    nc = assessed(cast)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        nc_actions.dispose_nonconformity(
            actor=cast.qa_lead, nc=nc, disposition="return_to_supplier"
        )
    assert "disposition" in refused.value.fields
    _unchanged(nc, before)
    nc = assessed(cast, supplier=make_supplier(cast))
    nc = nc_actions.dispose_nonconformity(
        actor=cast.qa_lead, nc=nc, disposition="return_to_supplier"
    )
    assert nc.disposition == "return_to_supplier"


@pytest.mark.verifies("EVT-026")
def test_containment_needs_text_and_writes_nothing_without_it(cast):
    nc = raised(cast)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        nc_actions.contain_nonconformity(actor=cast.qa_lead, nc=nc, containment="")
    assert "containment" in refused.value.fields
    _unchanged(nc, before)


@pytest.mark.verifies("EVT-026")
def test_the_assessment_must_say_whether_delivered_devices_are_affected(cast):
    nc = contained(cast)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        nc_actions.assess_nonconformity(
            actor=cast.qa_lead, nc=nc, impact="x", delivered_affected=""
        )
    assert "delivered_affected" in refused.value.fields
    _unchanged(nc, before)


@pytest.mark.verifies("EVT-026")
def test_someone_who_only_logs_events_cannot_contain(cast):
    nc = raised(cast)
    before = event_count()
    with pytest.raises(PermissionRefused):
        nc_actions.contain_nonconformity(actor=cast.author, nc=nc, containment="x")
    _unchanged(nc, before)


@pytest.mark.verifies("EVT-026")
def test_a_step_cannot_be_taken_twice(cast):
    nc = contained(cast)
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        nc_actions.contain_nonconformity(actor=cast.qa_lead, nc=nc, containment="Again.")
    _unchanged(nc, before)
