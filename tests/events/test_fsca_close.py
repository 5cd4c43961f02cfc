"""Closing an FSCA is signed, and refused until every unit affected is reached or the
closure justifies the rest; an urgent FSCA's late MHRA notification is recorded first."""

import datetime as dt

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.models import Signature
from openqms.events import guards
from openqms.events.actions import fsca as actions
from openqms.testing import changes_of, event_count, last_event

from .conftest import SIGN
from .fsca_setup import STARTED, open_one, snapshot, started

DAY = dt.date(2026, 3, 10)


def _reach(cast, fsca, units):
    actions.record_reconciliation(
        actor=cast.qa_lead,
        fsca=fsca,
        market=fsca.markets.get().pk,
        reached_on=DAY,
        units_reached=units,
    )


@pytest.mark.verifies("EVT-018", refusal=True)
def test_closing_at_80_percent_without_a_justification_is_refused(cast, class_i_device):
    fsca = started(cast, class_i_device)
    _reach(cast, fsca, 400)
    before, count = snapshot(fsca), event_count()
    with pytest.raises(InvalidInput) as refused:
        actions.close_fsca(actor=cast.qa_lead, fsca=fsca, credentials=SIGN)
    assert "Reconciliation is at 80% (400 of 500 units)" in refused.value.message
    assert "closure_justification" in refused.value.fields
    assert snapshot(fsca) == before and event_count() == count
    assert not Signature.objects.exists()


@pytest.mark.verifies("EVT-018")
def test_closing_at_80_percent_with_a_justification_is_signed(cast, class_i_device):
    fsca = started(cast, class_i_device)
    _reach(cast, fsca, 400)
    why = "100 units were used up in use before the notice reached the users."
    fsca = actions.close_fsca(
        actor=cast.qa_lead, fsca=fsca, credentials=SIGN, closure_justification=why
    )
    assert fsca.state == "closed" and fsca.closed_at is not None
    assert fsca.closure_justification == why
    signature = Signature.objects.get()
    assert (signature.meaning, signature.object_id) == ("fsca_closed", str(fsca.pk))
    event = last_event()
    assert event.action == "events.fsca.closed"
    assert changes_of(event)["state"] == ["in_progress", "closed"]
    assert changes_of(event)["closure_justification"] == ["", why]


@pytest.mark.verifies("EVT-018")
def test_closing_when_every_unit_is_reached_needs_no_justification(cast, class_i_device):
    fsca = started(cast, class_i_device)
    _reach(cast, fsca, 500)
    fsca = actions.close_fsca(actor=cast.qa_lead, fsca=fsca, credentials=SIGN)
    assert fsca.state == "closed"


@pytest.mark.verifies("EVT-016", "EVT-018", refusal=True)
def test_an_urgent_fsca_does_not_close_before_its_late_notification(cast, class_i_device):
    fsca = open_one(cast, class_i_device, urgent=True, justification="Burns reported.")
    fsca = actions.start_fsca(actor=cast.qa_lead, fsca=fsca, started_at=STARTED)
    _reach(cast, fsca, 500)
    before, count = snapshot(fsca), event_count()
    with pytest.raises(TransitionNotAllowed) as refused:
        actions.close_fsca(actor=cast.qa_lead, fsca=fsca, credentials=SIGN)
    assert "Record the MHRA notification" in refused.value.message
    assert snapshot(fsca) == before and event_count() == count


@pytest.mark.verifies("EVT-018", refusal=True)
def test_someone_without_the_signing_permission_cannot_close(cast, class_i_device):
    fsca = started(cast, class_i_device)
    _reach(cast, fsca, 500)
    before, count = snapshot(fsca), event_count()
    with pytest.raises(PermissionRefused):
        actions.close_fsca(actor=cast.author, fsca=fsca, credentials=SIGN)
    assert snapshot(fsca) == before and event_count() == count


@pytest.mark.verifies("EVT-018", refusal=True)
def test_a_planned_fsca_cannot_close(cast, class_i_device):
    fsca = open_one(cast, class_i_device, units=0)
    count = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.close_fsca(actor=cast.qa_lead, fsca=fsca, credentials=SIGN)
    assert event_count() == count


@pytest.mark.verifies("EVT-018", refusal=True)
def test_another_areas_rule_on_closing_is_asked(cast, class_i_device, monkeypatch):
    monkeypatch.setattr(guards, "_rules", {("fsca", "close"): [lambda f: "A linked NC is open."]})
    fsca = started(cast, class_i_device)
    _reach(cast, fsca, 500)
    count = event_count()
    with pytest.raises(TransitionNotAllowed, match="A linked NC is open"):
        actions.close_fsca(actor=cast.qa_lead, fsca=fsca, credentials=SIGN)
    assert event_count() == count


@pytest.mark.verifies("EVT-018", refusal=True)
def test_a_closed_fsca_takes_no_more_changes(cast, class_i_device):
    fsca = started(cast, class_i_device)
    _reach(cast, fsca, 500)
    fsca = actions.close_fsca(actor=cast.qa_lead, fsca=fsca, credentials=SIGN)
    count = event_count()
    with pytest.raises(TransitionNotAllowed):
        actions.set_market(
            actor=cast.qa_lead, fsca=fsca, market="ni", units_affected=1, users_affected=1
        )
    with pytest.raises(TransitionNotAllowed):
        actions.edit_fsca(actor=cast.qa_lead, fsca=fsca, title="Other")
    assert event_count() == count
