"""The lifecycle (in design → on market → discontinued → support ended) is a table: each
step records its date, refuses the wrong state, a future date or one before the step
before it; and `openqms verify` catches a state changed without a step."""

import datetime as dt

import pytest
from django.utils import timezone

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.devices import actions, reconcile
from openqms.devices.models import Device
from openqms.testing import changes_of, event_count, last_event

TODAY = timezone.localdate()


@pytest.mark.verifies("DEV-008")
def test_the_steps_record_their_dates_and_events(cast, device):
    placed = TODAY - dt.timedelta(days=300)
    device = actions.take_step(actor=cast.qa_lead, device=device, step="place", on=placed)
    assert (device.state, device.first_placed_on) == ("on_market", placed)
    event = last_event()
    assert event.action == "devices.device.placed"
    assert changes_of(event) == {
        "state": ["in_design", "on_market"],
        "step": "place",
        "first_placed_on": [None, placed.isoformat()],
    }
    device = actions.take_step(
        actor=cast.qa_lead, device=device, step="discontinue", reason="Replaced by 3.0"
    )
    assert (device.state, device.last_placed_on) == ("discontinued", TODAY)
    assert last_event().reason == "Replaced by 3.0"
    device = actions.take_step(
        actor=cast.qa_lead, device=device, step="end_support", reason="Lifetime over"
    )
    assert (device.state, device.support_ended_on) == ("support_ended", TODAY)
    assert last_event().action == "devices.device.support_ended"
    assert not list(reconcile.device_states())


@pytest.mark.verifies("DEV-008")
@pytest.mark.parametrize(
    ("step", "kwargs", "error"),
    [
        ("discontinue", {"reason": "x"}, TransitionNotAllowed),  # not on the market yet
        ("place", {"on": TODAY + dt.timedelta(days=1)}, InvalidInput),
        ("retire", {}, TransitionNotAllowed),
    ],
)
def test_wrong_steps_are_refused_and_change_nothing(cast, device, step, kwargs, error):
    before = event_count()
    with pytest.raises(error):
        actions.take_step(actor=cast.qa_lead, device=device, step=step, **kwargs)
    assert event_count() == before
    assert Device.objects.get(pk=device.pk).state == "in_design"


@pytest.mark.verifies("DEV-008")
def test_a_date_before_the_step_before_and_a_missing_reason_are_refused(cast, device):
    device = actions.take_step(actor=cast.qa_lead, device=device, step="place")
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="cannot be before"):
        actions.take_step(
            actor=cast.qa_lead,
            device=device,
            step="discontinue",
            reason="x",
            on=TODAY - dt.timedelta(days=1),
        )
    with pytest.raises(InvalidInput):
        actions.take_step(actor=cast.qa_lead, device=device, step="discontinue")
    with pytest.raises(PermissionRefused):
        actions.take_step(actor=cast.author, device=device, step="discontinue", reason="x")
    assert event_count() == before
    assert Device.objects.get(pk=device.pk).state == "on_market"


@pytest.mark.verifies("DEV-016", refusal=True)
def test_verify_names_a_state_changed_without_a_step(cast, device):
    Device.objects.filter(pk=device.pk).update(state="on_market")
    found = reconcile.device_states()
    assert [(f.record, f.row_says) for f in found] == [(f"devices.device {device.pk}", "on_market")]


@pytest.mark.verifies("DEV-016", refusal=True)
def test_verify_names_a_registration_flag_cleared_without_recording(cast, registered):
    actions.edit_device(actor=cast.qa_lead, device=registered, name="RhythmCheck X")
    assert not list(reconcile.registration_flags())
    Device.objects.filter(pk=registered.pk).update(registration_stale_since=None)
    assert len(reconcile.registration_flags()) == 1


@pytest.mark.verifies("DEV-008")
def test_the_date_rule_reads_the_device_as_it_is_now_not_the_callers_copy(cast, device):
    stale = Device.objects.get(pk=device.pk)  # read before the device was placed
    actions.take_step(actor=cast.qa_lead, device=device, step="place")
    placed = Device.objects.get(pk=device.pk)
    stale.state, stale.first_placed_on = "on_market", None  # as a racing caller might hold it
    before = event_count()
    with pytest.raises(TransitionNotAllowed, match="cannot be before"):
        actions.take_step(
            actor=cast.qa_lead,
            device=stale,
            step="discontinue",
            reason="x",
            on=placed.first_placed_on - dt.timedelta(days=1),
        )
    assert event_count() == before
    assert Device.objects.get(pk=device.pk).state == "on_market"
