"""A disposition that cannot be carried out (a refused concession, a failed
re-verification) is withdrawn with a reason and decided again; a nonconformity raised in
error is closed with a signature and a reason, with no disposition."""

import pytest
from django.db import IntegrityError, transaction

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.signatures import manifestations
from openqms.events.actions import nonconformance as nc_actions
from openqms.events.models import Nonconformity
from openqms.suppliers.models import PerformanceRecord
from openqms.testing import changes_of, event_count, last_event

from .nc_steps import SIGN, assessed, disposed, make_supplier, raised


def _unchanged(nc, state, before):
    nc.refresh_from_db()
    assert nc.state == state and event_count() == before


@pytest.mark.verifies("EVT-026")
def test_a_concession_not_signed_can_be_withdrawn_and_decided_again(cast):
    nc = disposed(cast, "use_as_is")
    nc = nc_actions.change_disposition(
        actor=cast.qa_lead, nc=nc, reason="The concession was refused by the manager."
    )
    assert nc.state == "assessed" and nc.disposition == "" and nc.disposed_by is None
    event = last_event()
    assert event.action == "events.nonconformity.disposition_changed"
    assert event.reason == "The concession was refused by the manager."
    changes = changes_of(event)
    assert changes["state"] == ["disposed", "assessed"]
    assert changes["disposition"] == ["use_as_is", ""]
    nc = nc_actions.dispose_nonconformity(actor=cast.qa_lead, nc=nc, disposition="scrap")
    assert nc.state == "disposed" and nc.disposition == "scrap"


@pytest.mark.verifies("EVT-026")
def test_a_failed_re_verification_can_lead_to_another_disposition(cast):
    nc = disposed(cast, "rework")
    nc = nc_actions.reverify_nonconformity(actor=cast.qa_lead, nc=nc, result="Bad.", passed=False)
    nc = nc_actions.change_disposition(actor=cast.qa_lead, nc=nc, reason="Cannot be reworked.")
    assert nc.state == "assessed" and nc.reverification == "" and nc.reverification_passed is None
    assert changes_of(last_event())["reverification_passed"] == [False, None]


@pytest.mark.verifies("EVT-026")
def test_the_disposition_stands_once_the_concession_is_signed(cast):
    nc = disposed(cast, "use_as_is")
    nc = nc_actions.authorise_concession(actor=cast.manager, nc=nc, credentials=SIGN)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="concession is signed"):
        nc_actions.change_disposition(actor=cast.qa_lead, nc=nc, reason="Changed my mind.")
    _unchanged(nc, "disposed", before)


@pytest.mark.verifies("EVT-026")
def test_the_disposition_stands_once_the_rework_passed(cast):
    nc = disposed(cast, "rework")
    nc = nc_actions.reverify_nonconformity(actor=cast.qa_lead, nc=nc, result="OK", passed=True)
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="passed"):
        nc_actions.change_disposition(actor=cast.qa_lead, nc=nc, reason="Why not.")
    _unchanged(nc, "disposed", before)


@pytest.mark.verifies("EVT-026")
def test_changing_the_disposition_needs_a_reason(cast):
    nc = disposed(cast, "scrap")
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        nc_actions.change_disposition(actor=cast.qa_lead, nc=nc, reason="  ")
    assert "reason" in refused.value.fields
    _unchanged(nc, "disposed", before)


@pytest.mark.verifies("EVT-026")
def test_only_who_handles_ncs_changes_a_disposition(cast):
    nc = disposed(cast, "scrap")
    before = event_count()
    with pytest.raises(PermissionRefused):
        nc_actions.change_disposition(actor=cast.manager, nc=nc, reason="No.")
    _unchanged(nc, "disposed", before)


@pytest.mark.verifies("EVT-028")
def test_a_nonconformity_raised_in_error_is_closed_with_a_signature_and_reason(cast):
    supplier = make_supplier(cast)
    nc = raised(cast, supplier=supplier)
    nc = nc_actions.close_in_error(
        actor=cast.manager, nc=nc, credentials=SIGN, reason="Wrong lot number scanned."
    )
    assert nc.state == "closed" and nc.raised_in_error and nc.closed_at is not None
    assert nc.disposition == "" and nc.released_by == cast.manager
    assert last_event().action == "events.nonconformity.closed_in_error"
    assert last_event().reason == "Wrong lot number scanned."
    assert [m.meaning for m in manifestations(nc)] == ["nc_closed_in_error"]
    assert not PerformanceRecord.objects.exists()  # never counts against the supplier


@pytest.mark.verifies("EVT-028", refusal=True)
def test_closing_in_error_needs_a_reason_and_the_sign_permission(cast):
    nc = assessed(cast)
    before = event_count()
    with pytest.raises(InvalidInput):
        nc_actions.close_in_error(actor=cast.manager, nc=nc, credentials=SIGN, reason="")
    with pytest.raises(PermissionRefused):
        nc_actions.close_in_error(actor=cast.author, nc=nc, credentials=SIGN, reason="Oops.")
    _unchanged(nc, "assessed", before)


@pytest.mark.verifies("EVT-028", refusal=True)
def test_a_nonconformity_under_a_signed_concession_is_not_closed_in_error(cast):
    nc = disposed(cast, "use_as_is")
    nc = nc_actions.authorise_concession(actor=cast.manager, nc=nc, credentials=SIGN)
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        nc_actions.close_in_error(actor=cast.manager, nc=nc, credentials=SIGN, reason="x")
    _unchanged(nc, "disposed", before)


@pytest.mark.verifies("EVT-030", refusal=True)
@pytest.mark.parametrize(
    "values",
    [
        {"state": "closed", "disposition": ""},
        {"state": "closed", "disposition": "use_as_is"},
        {"state": "closed", "disposition": "rework", "reverification_passed": False},
        {"source": "production"},
    ],
)
def test_the_database_refuses_an_inconsistent_nonconformity(cast, values):
    supplier = make_supplier(cast)
    nc = raised(cast, supplier=supplier)
    with pytest.raises(IntegrityError), transaction.atomic():
        Nonconformity.objects.filter(pk=nc.pk).update(**values)
