"""Hazardous situations and their controls are design items (RISK-n, RC-n) linked
"mitigates", so the trace engine can find risks without a verified control."""

import pytest

from openqms.core.errors import InvalidInput
from openqms.design.actions import items as design
from openqms.design.actions import risk
from openqms.design.models import ControlMeasure, Item, Link
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import item
from tests.design.risk_helpers import device, risk_file, situation  # noqa: F401


@pytest.mark.verifies("DES-034")
def test_a_situation_and_its_control_become_linked_design_items(cast, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    control = risk.add_control(
        actor=cast.author,
        situation=found,
        kind="protective",
        description="Flag recordings too noisy to analyse instead of reporting normal.",
    )
    assert (found.item.uid, found.item.item_type.code) == ("RISK-1", "risk")
    assert (control.item.uid, control.item.item_type.code) == ("RC-1", "risk_control")
    link = Link.objects.get()
    assert (link.source, link.kind, link.target) == (control.item, "mitigates", found.item)
    event = last_event()
    assert event.action == "design.risk_control.added"
    assert changes_of(event)["item"] == [None, "RC-1"]


@pytest.mark.verifies("DES-034")
def test_the_control_item_can_be_implemented_and_verified(cast, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    control = risk.add_control(
        actor=cast.author, situation=found, kind="inherent", description="Noise gate."
    )
    req = item(cast, control.item.project, "REQ-1", "design_input")
    test = item(cast, control.item.project, "TEST-1", "verification")
    design.link_items(actor=cast.author, source=req, kind="implements", target=control.item)
    design.link_items(actor=cast.author, source=test, kind="verifies", target=control.item)
    kinds = set(Link.objects.filter(target=control.item).values_list("kind", flat=True))
    assert kinds == {"implements", "verifies"}


@pytest.mark.verifies("DES-034")
def test_ids_already_taken_in_the_project_are_skipped(cast, risk_file):  # noqa: F811
    project = risk_file_project(risk_file)
    item(cast, project, "RISK-1", "risk")
    assert situation(cast, risk_file).item.uid == "RISK-2"


@pytest.mark.verifies("DES-034")
def test_without_a_design_project_no_items_are_made(cast, device):  # noqa: F811
    file = risk.create_risk_file(actor=cast.author, device=device)
    found = situation(cast, file)
    risk.add_control(actor=cast.author, situation=found, kind="information", description="IFU.")
    assert (found.item, Item.objects.count()) == (None, 0)


@pytest.mark.verifies("DES-034")
def test_a_control_of_an_unknown_type_is_refused_and_writes_nothing(cast, risk_file):  # noqa: F811
    found = situation(cast, risk_file)
    before = (event_count(), Item.objects.count())
    with pytest.raises(InvalidInput):
        risk.add_control(actor=cast.author, situation=found, kind="prayer", description="x")
    assert (event_count(), Item.objects.count(), ControlMeasure.objects.count()) == (*before, 0)


def risk_file_project(file):
    from openqms.design.actions.risk.analysis import project_of

    return project_of(file)
