"""Adding a device to the register: the exact event, and each refusal changes nothing."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.devices import actions
from openqms.devices.models import Device, DeviceClass
from openqms.qms.actions.families import retire_family
from openqms.testing import changes_of, event_count, last_event

from .conftest import make_device


@pytest.mark.verifies("DEV-001")
def test_a_qa_lead_adds_a_device_and_the_trail_records_every_field(cast, family):
    device = make_device(cast, family)
    event = last_event()
    assert event.action == "devices.device.created"
    assert (event.object_type, event.object_id) == ("devices.device", str(device.pk))
    assert changes_of(event) == {
        "family": [None, "HR-SW Rhythm analysis software"],
        "device_class": [None, "class_iia"],
        "name": [None, "RhythmCheck"],
        "model": [None, "2.1"],
        "intended_purpose": [None, "Flags suspected atrial fibrillation in ECG recordings."],
        "classification_rule": [None, "Rule 11"],
        "classification_justification": [None, "Software informing diagnosis."],
        "gmdn_code": [None, "58264"],
        "responsible_person": [None, None],
        "lifetime_years": [None, 5],
    }
    assert device.state == "in_design"
    assert not device.registration_to_update


@pytest.mark.verifies("DEV-002")
@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"gmdn_code": "1234"}, InvalidInput, "gmdn_code"),
        ({"gmdn_code": "12a45"}, InvalidInput, "gmdn_code"),
        ({"name": "  "}, InvalidInput, "name"),
        ({"intended_purpose": "bad\x00text"}, InvalidInput, "intended_purpose"),
        ({"classification_justification": ""}, InvalidInput, "classification_justification"),
        ({"lifetime_years": 0}, InvalidInput, "lifetime_years"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    cast, family, fields, error, field
):
    before = event_count()
    with pytest.raises(error) as refused:
        make_device(cast, family, **fields)
    assert field in refused.value.fields
    assert event_count() == before
    assert not Device.objects.exists()


@pytest.mark.verifies("DEV-003", refusal=True)
def test_someone_without_the_permission_cannot_add_a_device(cast, family):
    before = event_count()
    for person in (cast.author, cast.auditor, cast.outsider):
        with pytest.raises(PermissionRefused):
            _as(person, family)
    assert event_count() == before
    assert not Device.objects.exists()


def _as(person, family):
    return actions.create_device(
        actor=person,
        family=family,
        name="X",
        intended_purpose="Y",
        device_class=DeviceClass.objects.get(code="class_i"),
        classification_rule="Rule 1",
        classification_justification="Z",
    )


@pytest.mark.verifies("DEV-002")
def test_the_same_name_and_model_twice_is_refused(cast, family):
    make_device(cast, family)
    before = event_count()
    with pytest.raises(InvalidInput) as refused:
        make_device(cast, family, name="rhythmcheck")
    assert "name" in refused.value.fields
    assert event_count() == before
    assert Device.objects.count() == 1


@pytest.mark.verifies("DEV-002")
def test_a_retired_family_takes_no_new_device(cast, family):
    retire_family(actor=cast.qa_lead, family=family, reason="Replaced")
    before = event_count()
    with pytest.raises(InvalidInput):
        make_device(cast, family)
    assert event_count() == before
