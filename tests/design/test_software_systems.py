"""Software systems: the safety class decides the IEC 62304 checklist; class changes need
a reason; items are never classed above their system; evidence is audited."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.design.actions import software
from openqms.design.models import DeliverableEvidence, SoftwareItem, SoftwareSystem
from openqms.design.models.software import checklist
from openqms.devices import actions as devices
from openqms.devices.models import DeviceClass
from openqms.qms.actions.families import create_family
from openqms.testing import changes_of, event_count, last_event


@pytest.fixture
def device(cast):
    family = create_family(actor=cast.qa_lead, code="HR-SW", name="Rhythm analysis software")
    return devices.create_device(
        actor=cast.qa_lead,
        family=family,
        name="RhythmCheck",
        model="2.1",
        intended_purpose="Flags suspected atrial fibrillation in ECG recordings.",
        device_class=DeviceClass.objects.get(code="class_iia"),
        classification_rule="Rule 11",
        classification_justification="Software informing diagnosis.",
        gmdn_code="58264",
        lifetime_years=5,
    )


def make_system(cast, device, safety_class="B", name="Rhythm analysis"):
    return software.create_system(
        actor=cast.author,
        device=device,
        name=name,
        version="2.1",
        safety_class=safety_class,
        justification="Non-serious injury at worst after external risk controls.",
    )


@pytest.fixture
def system(cast, device):
    return make_system(cast, device)


def codes(system):
    return [row.deliverable.code for row in checklist(system)]


@pytest.mark.verifies("DES-038")
def test_the_checklist_differs_by_safety_class(cast, device):
    a, b, c = (make_system(cast, device, k, f"System {k}") for k in "ABC")
    assert "architecture" not in codes(a) and "unit_verification" not in codes(a)
    assert {"architecture", "units_identified", "integration_testing"} <= set(codes(b))
    assert "detailed_design" not in codes(b)
    assert "detailed_design" in codes(c)
    assert (len(codes(a)), len(codes(b)), len(codes(c))) == (8, 12, 13)


@pytest.mark.verifies("DES-038")
def test_creating_a_system_is_audited(cast, system):
    event = last_event()
    assert event.action == "design.software.created"
    assert changes_of(event)["safety_class"] == [None, "B"]


@pytest.mark.verifies("DES-038")
def test_a_system_needs_a_justification_of_its_class(cast, device):
    before = event_count()
    with pytest.raises(InvalidInput):
        software.create_system(
            actor=cast.author, device=device, name="X", safety_class="B", justification=" "
        )
    assert (SoftwareSystem.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-038")
def test_a_class_change_needs_a_reason(cast, system):
    before = event_count()
    with pytest.raises(InvalidInput, match="Say why the safety class changes"):
        software.edit_system(
            actor=cast.author,
            system=system,
            name=system.name,
            version="2.1",
            safety_class="C",
            justification=system.justification,
        )
    assert event_count() == before
    software.edit_system(
        actor=cast.author,
        system=system,
        name=system.name,
        version="2.1",
        safety_class="C",
        justification=system.justification,
        reason="Hazard analysis found a serious harm.",
    )
    event = last_event()
    assert (event.action, changes_of(event)["safety_class"]) == (
        "design.software.edited",
        ["B", "C"],
    )
    assert event.reason == "Hazard analysis found a serious harm."


@pytest.mark.verifies("DES-039")
def test_an_item_classed_above_its_system_is_refused_and_writes_nothing(cast, system):
    before = event_count()
    with pytest.raises(InvalidInput, match="cannot be class C in a class B system"):
        software.create_software_item(actor=cast.author, system=system, name="ML", safety_class="C")
    assert (SoftwareItem.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-039")
def test_items_and_units_form_a_tree(cast, system):
    parent = software.create_software_item(
        actor=cast.author, system=system, name="Beat detection", safety_class="B"
    )
    unit = software.create_software_item(
        actor=cast.author,
        system=system,
        name="QRS detector",
        safety_class="A",
        parent=parent,
        is_unit=True,
    )
    assert (unit.parent, unit.is_unit) == (parent, True)
    assert changes_of(last_event())["parent"] == [None, "Beat detection"]
    with pytest.raises(InvalidInput, match="a unit is not divided further"):
        software.create_software_item(
            actor=cast.author, system=system, name="Sub", safety_class="A", parent=unit
        )


@pytest.mark.verifies("DES-038")
def test_recording_evidence_fills_the_checklist_and_is_audited(cast, system):
    software.record_evidence(
        actor=cast.author, system=system, code="development_plan", note="SDP-002 section 3"
    )
    rows = {row.deliverable.code: row for row in checklist(system)}
    assert rows["development_plan"].state == "evidence given"
    assert rows["requirements"].state == "missing"
    event = last_event()
    assert event.action == "design.software.evidence"
    assert changes_of(event) == {"5.1 Software development plan": [None, "SDP-002 section 3"]}


@pytest.mark.verifies("DES-038")
def test_evidence_without_any_record_or_note_is_refused(cast, system):
    before = event_count()
    with pytest.raises(InvalidInput, match="Give the evidence"):
        software.record_evidence(actor=cast.author, system=system, code="requirements")
    assert (DeliverableEvidence.objects.count(), event_count()) == (0, before)


@pytest.mark.verifies("DES-006", refusal=True)
def test_someone_without_edit_cannot_create_a_system(cast, device):
    before = event_count()
    with pytest.raises(PermissionRefused):
        make_system(type("C", (), {"author": cast.trainee})(), device)
    assert (SoftwareSystem.objects.count(), event_count()) == (0, before)
