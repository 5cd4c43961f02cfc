"""A change to registered data flags the MHRA registration as to update (UK MDR 2002
reg. 19) until the updated registration is recorded: a My tasks entry for who keeps the
register, and one reminder per flagging however many ticks run."""

import pytest
from django.core.management import call_command

from openqms.core import inbox
from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.core.models import QueuedEmail
from openqms.devices import actions
from openqms.devices.models import Device, DeviceClass
from openqms.testing import changes_of, event_count, last_event


@pytest.mark.verifies("DEV-009")
def test_recording_the_registration_is_audited(cast, device):
    actions.record_registration(
        actor=cast.qa_lead, device=device, reference="GB-1", registered_on=device.created_at.date()
    )
    event = last_event()
    assert event.action == "devices.device.registered"
    assert changes_of(event) == {
        "mhra_reference": ["", "GB-1"],
        "mhra_registered_on": [None, device.created_at.date().isoformat()],
    }


@pytest.mark.verifies("DEV-009")
@pytest.mark.parametrize(
    "fields",
    [
        {"intended_purpose": "Also flags atrial flutter."},
        {"name": "RhythmCheck Pro"},
        {"gmdn_code": "47527"},
        {"device_class": "class_iib"},
    ],
)
def test_changing_registered_data_flags_the_registration(cast, registered, fields):
    if "device_class" in fields:
        fields = {"device_class": DeviceClass.objects.get(code=fields["device_class"])}
    device = actions.edit_device(actor=cast.qa_lead, device=registered, reason="Why", **fields)
    assert device.registration_to_update
    event = last_event()
    assert event.action == "devices.device.edited"
    assert changes_of(event)["registration_to_update"] == [False, True]
    assert event.reason == "Why"


@pytest.mark.verifies("DEV-009")
def test_adding_a_udi_flags_the_registration(cast, registered):
    actions.add_udi(
        actor=cast.qa_lead, device=registered, kind="di", agency="gs1", code="05060123450019"
    )
    assert Device.objects.get(pk=registered.pk).registration_to_update
    assert changes_of(last_event()) == {
        "udi": [None, "di gs1 05060123450019"],
        "registration_to_update": [False, True],
    }


@pytest.mark.verifies("DEV-009")
def test_a_change_outside_registered_data_or_before_registration_flags_nothing(cast, device):
    edited = actions.edit_device(actor=cast.qa_lead, device=device, intended_purpose="New.")
    assert not edited.registration_to_update
    assert "registration_to_update" not in changes_of(last_event())
    actions.record_registration(
        actor=cast.qa_lead, device=edited, reference="GB-1", registered_on=device.created_at.date()
    )
    edited = actions.edit_device(actor=cast.qa_lead, device=edited, lifetime_years=7)
    assert not edited.registration_to_update


@pytest.mark.verifies("DEV-009")
def test_recording_the_updated_registration_clears_the_flag(cast, registered):
    device = actions.edit_device(actor=cast.qa_lead, device=registered, name="RhythmCheck X")
    device = actions.record_registration(
        actor=cast.qa_lead, device=device, reference="GB-2", registered_on=device.created_at.date()
    )
    assert not device.registration_to_update
    assert changes_of(last_event())["registration_to_update"] == [True, False]


@pytest.mark.verifies("DEV-010")
def test_the_qa_lead_sees_a_task_and_others_do_not(cast, registered):
    actions.edit_device(actor=cast.qa_lead, device=registered, name="RhythmCheck X")
    titles = [t.title for t in inbox.tasks_for(cast.qa_lead)]
    assert any("MHRA registration of RhythmCheck X 2.1" in t for t in titles)
    assert not [t for t in inbox.tasks_for(cast.author) if "MHRA" in t.title]


@pytest.mark.verifies("DEV-010")
def test_two_ticks_send_one_reminder_per_flagging(cast, registered):
    actions.edit_device(actor=cast.qa_lead, device=registered, name="RhythmCheck X")
    call_command("tick")
    call_command("tick")
    sent = QueuedEmail.objects.filter(subject__contains="MHRA registration of RhythmCheck X")
    assert sent.count() == 1
    assert "qa_lead@example.test" in sent.get().recipients


@pytest.mark.verifies("DEV-009")
def test_refusals_change_nothing(cast, registered):
    before = event_count()
    with pytest.raises(PermissionRefused):
        actions.edit_device(actor=cast.author, device=registered, name="Mine")
    with pytest.raises(InvalidInput):
        actions.edit_device(actor=cast.qa_lead, device=registered, name="RhythmCheck")
    with pytest.raises(InvalidInput) as refused:
        actions.record_registration(
            actor=cast.qa_lead,
            device=registered,
            reference=" ",
            registered_on=registered.created_at.date(),
        )
    assert "reference" in refused.value.fields
    assert event_count() == before
    assert Device.objects.get(pk=registered.pk).name == "RhythmCheck"
