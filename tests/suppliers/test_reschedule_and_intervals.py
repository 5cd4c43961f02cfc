import datetime as dt

import pytest

from openqms.core.dates import months_later
from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.suppliers import actions
from openqms.suppliers.models import Supplier
from openqms.testing import changes_of, event_count, last_event

from .conftest import approve, supplier_fields, today


@pytest.mark.verifies("SUP-013")
def test_a_re_evaluation_is_brought_forward_with_a_reason(cast, supplier):
    approve(cast, supplier)
    old = Supplier.objects.get().next_evaluation
    soon = today() + dt.timedelta(days=20)
    actions.reschedule_evaluation(
        actor=cast.qa_lead, supplier=supplier, next_evaluation=soon, reason="Rejected lots"
    )
    event = last_event()
    assert (event.action, changes_of(event), event.reason) == (
        "suppliers.supplier.rescheduled",
        {"next_evaluation": [old.isoformat(), soon.isoformat()]},
        "Rejected lots",
    )


@pytest.mark.verifies("SUP-013")
def test_a_re_evaluation_is_never_put_off(cast, supplier):
    approve(cast, supplier)
    old = Supplier.objects.get().next_evaluation
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.reschedule_evaluation(
            actor=cast.qa_lead,
            supplier=supplier,
            next_evaluation=old + dt.timedelta(days=1),
            reason="Busy",
        )
    assert "next_evaluation" in refused.value.fields
    assert Supplier.objects.get().next_evaluation == old and event_count() == before


@pytest.mark.verifies("SUP-013")
def test_a_supplier_never_decided_has_nothing_to_bring_forward(cast, supplier):
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.reschedule_evaluation(
            actor=cast.qa_lead, supplier=supplier, next_evaluation=today(), reason="x"
        )
    assert event_count() == before


@pytest.mark.verifies("SUP-014")
def test_the_interval_is_configured_per_criticality_and_used_by_the_next_decision(cast):
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.set_interval(actor=cast.author, criticality="minor", months=6)
    with pytest.raises(InvalidInput) as refused:
        actions.set_interval(actor=cast.qa_lead, criticality="minor", months=0)
    assert "months" in refused.value.fields and event_count() == before
    actions.set_interval(actor=cast.qa_lead, criticality="minor", months=6)
    assert (last_event().action, changes_of(last_event())) == (
        "suppliers.interval.set",
        {"months": [36, 6]},
    )
    minor = actions.create_supplier(actor=cast.qa_lead, **supplier_fields(criticality="minor"))
    approve(cast, minor)
    assert Supplier.objects.get().next_evaluation == months_later(today(), 6)


@pytest.mark.verifies("SUP-014")
def test_a_changed_criticality_recounts_the_date_from_the_last_decision(cast, supplier):
    approve(cast, supplier)
    actions.edit_supplier(actor=cast.qa_lead, supplier=supplier, criticality="minor")
    assert changes_of(last_event())["next_evaluation"][1] == months_later(today(), 36).isoformat()
