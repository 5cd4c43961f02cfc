"""Release is signed and closes the nonconformity; reworked product needs a passed
re-verification first (ISO 13485 8.3.4); a supplier's nonconformity writes a record in
the supplier's performance in the same transaction (7.4.1), any other does not."""

import pytest

from openqms.core.errors import PermissionRefused, TransitionNotAllowed
from openqms.core.signatures import manifestations
from openqms.events.actions import nonconformance as nc_actions
from openqms.suppliers.models import PerformanceRecord
from openqms.testing import changes_of, event_count, events_since, last_event

from .nc_steps import SIGN, assessed, disposed, make_supplier


def _release_refused(nc, actor=None, match=None):
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match=match):
        nc_actions.release_nonconformity(actor=actor, nc=nc, credentials=SIGN)
    nc.refresh_from_db()
    assert nc.state == "disposed" and nc.closed_at is None and event_count() == before


@pytest.mark.verifies("EVT-028")
def test_a_scrapped_lot_is_released_with_a_signature_and_closed(cast):
    nc = disposed(cast, "scrap")
    nc = nc_actions.release_nonconformity(actor=cast.qa_lead, nc=nc, credentials=SIGN)
    assert nc.state == "closed" and nc.closed_at is not None and nc.released_by == cast.qa_lead
    event = last_event()
    assert event.action == "events.nonconformity.released"
    assert changes_of(event)["state"] == ["disposed", "closed"]
    assert [m.meaning for m in manifestations(nc)] == ["nc_released"]
    assert not PerformanceRecord.objects.exists()  # no supplier named


@pytest.mark.verifies("EVT-028", refusal=True)
def test_rework_cannot_be_released_before_it_is_re_verified(cast):
    nc = disposed(cast, "rework")
    _release_refused(nc, cast.qa_lead, "re-verification")


@pytest.mark.verifies("EVT-028", refusal=True)
def test_a_failed_re_verification_does_not_allow_release(cast):
    nc = disposed(cast, "rework")
    nc = nc_actions.reverify_nonconformity(
        actor=cast.qa_lead, nc=nc, result="Still below spec.", passed="no"
    )
    assert last_event().action == "events.nonconformity.reverified"
    _release_refused(nc, cast.qa_lead, "re-verification")


@pytest.mark.verifies("EVT-028")
def test_rework_is_released_after_a_passed_re_verification(cast):
    nc = disposed(cast, "rework")
    nc = nc_actions.reverify_nonconformity(actor=cast.qa_lead, nc=nc, result="OK.", passed=True)
    assert changes_of(last_event())["reverification_passed"] == [None, True]
    nc = nc_actions.release_nonconformity(actor=cast.manager, nc=nc, credentials=SIGN)
    assert nc.state == "closed" and nc.released_by == cast.manager


@pytest.mark.verifies("EVT-028", refusal=True)
def test_who_re_verified_the_rework_cannot_release_it(cast):
    nc = disposed(cast, "rework")
    nc = nc_actions.reverify_nonconformity(actor=cast.qa_lead, nc=nc, result="OK.", passed=True)
    _release_refused(nc, cast.qa_lead, "re-verified the rework")


@pytest.mark.verifies("EVT-028")
def test_only_rework_is_re_verified(cast):
    nc = disposed(cast, "scrap")
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        nc_actions.reverify_nonconformity(actor=cast.qa_lead, nc=nc, result="x", passed=True)
    assert event_count() == before


@pytest.mark.verifies("EVT-028", refusal=True)
def test_someone_without_the_sign_permission_cannot_release(cast):
    nc = disposed(cast, "scrap")
    before = event_count()
    with pytest.raises(PermissionRefused):
        nc_actions.release_nonconformity(actor=cast.reviewer, nc=nc, credentials=SIGN)
    nc.refresh_from_db()
    assert nc.state == "disposed" and nc.closed_at is None and event_count() == before


@pytest.mark.verifies("EVT-028", refusal=True)
def test_release_before_disposition_is_refused(cast):
    nc = assessed(cast)
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        nc_actions.release_nonconformity(actor=cast.qa_lead, nc=nc, credentials=SIGN)
    nc.refresh_from_db()
    assert nc.state == "assessed" and nc.closed_at is None and event_count() == before


@pytest.mark.verifies("EVT-029")
def test_a_supplier_nonconformity_counts_in_the_supplier_performance_on_release(cast):
    supplier = make_supplier(cast)
    nc = disposed(cast, "return_to_supplier", supplier=supplier)
    before = event_count()
    nc = nc_actions.release_nonconformity(actor=cast.qa_lead, nc=nc, credentials=SIGN)
    record = PerformanceRecord.objects.get()
    assert record.supplier == supplier and record.source == "nonconformance"
    assert (record.lots_received, record.lots_rejected) == (1, 1)
    assert nc.number in record.notes
    # The release and the performance record: one transaction, each with its event.
    actions = [e.action for e in events_since(before)]
    assert actions == [
        "core.signature.signed",
        "events.nonconformity.released",
        "suppliers.performance.recorded",
    ]


@pytest.mark.verifies("EVT-029", refusal=True)
def test_a_failing_performance_record_rolls_back_the_release(cast, monkeypatch):
    supplier = make_supplier(cast)
    nc = disposed(cast, "scrap", supplier=supplier)
    before = event_count()

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(nc_actions, "record_performance_within", broken)
    with pytest.raises(RuntimeError):
        nc_actions.release_nonconformity(actor=cast.qa_lead, nc=nc, credentials=SIGN)
    nc.refresh_from_db()
    assert nc.state == "disposed" and event_count() == before
    assert not PerformanceRecord.objects.exists()


@pytest.mark.verifies("EVT-029")
def test_a_lot_used_as_is_under_a_concession_is_recorded_with_nothing_rejected(cast):
    supplier = make_supplier(cast)
    nc = disposed(cast, "use_as_is", supplier=supplier)
    nc = nc_actions.authorise_concession(actor=cast.manager, nc=nc, credentials=SIGN)
    nc_actions.release_nonconformity(actor=cast.manager, nc=nc, credentials=SIGN)
    record = PerformanceRecord.objects.get()
    assert (record.lots_received, record.lots_rejected) == (0, 0)
    assert "use as is" in record.notes


@pytest.mark.verifies("EVT-029")
@pytest.mark.parametrize("disposition", ["scrap", "return_to_supplier", "rework"])
def test_a_rejected_supplier_lot_is_one_lot_received_and_rejected(cast, disposition):
    supplier = make_supplier(cast)
    nc = disposed(cast, disposition, supplier=supplier)
    if disposition == "rework":
        nc = nc_actions.reverify_nonconformity(actor=cast.qa_lead, nc=nc, result="OK", passed=True)
    nc_actions.release_nonconformity(actor=cast.manager, nc=nc, credentials=SIGN)
    record = PerformanceRecord.objects.get()
    assert (record.lots_received, record.lots_rejected) == (1, 1)
