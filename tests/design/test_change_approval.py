"""Design changes: impact assessed, approved by signature, done with a new baseline."""

import pytest

from openqms.core.errors import InvalidInput, PermissionRefused, TransitionNotAllowed
from openqms.core.links import key_of, links_of
from openqms.core.models import Signature
from openqms.design.actions import baselines, changes
from openqms.design.actions import items as design
from openqms.design.models import ChangeState, DesignChange, DesignProject
from openqms.qms.actions.families import create_family
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import SIGN, item
from tests.devices.conftest import make_device


@pytest.fixture
def device(cast):
    family = create_family(actor=cast.qa_lead, code="HR-SW", name="Rhythm analysis software")
    return make_device(cast, family)


@pytest.fixture
def change(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    risk = item(cast, project, "RISK-1", "risk")
    test = item(cast, project, "TEST-1", "verification")
    baselines.create_baseline(actor=cast.author, project=project, name="1.0", kind="release")
    return changes.create_change(
        actor=cast.author,
        project=project,
        title="Tighter AF threshold",
        description="Lower the AF detection threshold to 30 s.",
        reason="Field feedback: short episodes missed.",
        affected_items=[req],
        risk_items=[risk],
        reverify_items=[test],
    )


@pytest.mark.verifies("DES-028")
def test_a_change_is_numbered_and_its_impact_recorded(cast, change):
    assert change.number.startswith("DC-") and change.number.endswith("-0001")
    event = last_event()
    assert event.action == "design.change.created"
    assert changes_of(event)["affected_items"] == [None, ["REQ-1 v1"]]
    assert changes_of(event)["reverify_items"] == [None, ["TEST-1 v1"]]


@pytest.mark.verifies("DES-028")
def test_approve_then_done_opens_a_new_baseline(cast, project, change):
    changes.approve_change(actor=cast.qa_lead, change=change, credentials=SIGN)
    assert last_event().action == "design.change.approved"
    assert Signature.objects.filter(meaning="design_change_approved").count() == 1
    req = project.items.get(uid="REQ-1")
    design.edit_item(
        reason="Clarified.", actor=cast.author, item=req, title="REQ-1", text_="30 s threshold."
    )
    done = changes.complete_change(actor=cast.author, change=change, baseline_name="1.1")
    assert done.state == ChangeState.DONE and done.new_baseline.name == "1.1"
    assert last_event().action == "design.change.done"
    project.refresh_from_db()
    assert project.current_baseline == done.new_baseline
    assert done.new_baseline.items.get(uid="REQ-1").version == 2


@pytest.mark.verifies("DES-028", refusal=True)
def test_a_change_is_not_done_before_it_is_approved(cast, project, change):
    before = event_count()
    with pytest.raises(TransitionNotAllowed):
        changes.complete_change(actor=cast.author, change=change, baseline_name="1.1")
    change.refresh_from_db()
    assert (change.state, project.baselines.count(), event_count()) == ("draft", 1, before)


@pytest.mark.verifies("DES-028", refusal=True)
def test_who_cannot_sign_or_recorded_it_cannot_approve_it(cast, change):
    before = event_count()
    with pytest.raises(PermissionRefused):
        changes.approve_change(actor=cast.author, change=change, credentials=SIGN)
    change.created_by = cast.qa_lead
    DesignChange.objects.filter(pk=change.pk).update(created_by=cast.qa_lead)
    with pytest.raises(TransitionNotAllowed, match="does not approve it"):
        changes.approve_change(actor=cast.qa_lead, change=change, credentials=SIGN)
    change.refresh_from_db()
    assert (change.state, Signature.objects.count(), event_count()) == ("draft", 0, before)


@pytest.mark.verifies("DES-028")
def test_a_regulatory_impact_links_the_change_to_the_device(cast, project, device):
    DesignProject.objects.filter(pk=project.pk).update(device=device)
    project.refresh_from_db()
    req = item(cast, project, "REQ-1", "design_input")
    change = changes.create_change(
        actor=cast.author,
        project=project,
        title="New indication",
        description="Add paediatric use.",
        reason="Market request.",
        affected_items=[req],
        risk_assessment="New population: see RISK review.",
        regulatory_impact=True,
        regulatory_text="Intended purpose changes: significant change.",
    )
    (link,) = links_of([key_of(change)])
    assert (link.kind, (link.to_type, link.to_id)) == ("changed", key_of(device))
    assert "device register" in link.note


@pytest.mark.verifies("DES-028", refusal=True)
def test_a_change_without_affected_items_or_risk_assessment_is_refused(cast, project):
    req = item(cast, project, "REQ-1", "design_input")
    before = event_count()
    with pytest.raises(InvalidInput, match="Name the items"):
        changes.create_change(
            actor=cast.author, project=project, title="X", description="Y", reason="Z"
        )
    with pytest.raises(InvalidInput, match="Assess the risks"):
        changes.create_change(
            actor=cast.author,
            project=project,
            title="X",
            description="Y",
            reason="Z",
            affected_items=[req],
        )
    assert (DesignChange.objects.count(), event_count()) == (0, before)
