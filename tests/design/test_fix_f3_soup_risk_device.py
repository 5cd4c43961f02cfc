"""A SOUP item is linked only to a risk of its own device's design project: a risk of a
project with no device, or of another device, is refused without writing."""

import pytest

from openqms.core.errors import InvalidInput
from openqms.design.actions import items as design
from openqms.design.actions import software
from openqms.devices import actions as devices
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import item
from tests.design.test_software_soup import soup  # noqa: F401
from tests.design.test_software_systems import device, system  # noqa: F401


def other_device(cast, device):  # noqa: F811
    return devices.create_device(
        actor=cast.qa_lead,
        family=device.family,
        name="PulseCheck",
        model="1.0",
        intended_purpose="Counts the pulse.",
        device_class=device.device_class,
        classification_rule="Rule 11",
        classification_justification="Software informing diagnosis.",
        gmdn_code="58264",
        lifetime_years=5,
    )


@pytest.fixture
def risks(cast, device):  # noqa: F811
    own = design.create_project(actor=cast.author, name="RhythmCheck", device=device)
    loose = design.create_project(actor=cast.author, name="Sandbox")
    other = design.create_project(
        actor=cast.author, name="PulseCheck", device=other_device(cast, device)
    )
    return {
        "own": item(cast, own, "RISK-1", "risk"),
        "no device": item(cast, loose, "RISK-2", "risk"),
        "other device": item(cast, other, "RISK-3", "risk"),
    }


@pytest.mark.verifies("DES-041")
@pytest.mark.parametrize("which", ["no device", "other device"])
def test_a_risk_outside_the_device_is_refused(cast, soup, risks, which):  # noqa: F811
    before = event_count()
    with pytest.raises(InvalidInput, match="is not a risk of RhythmCheck"):
        software.link_soup_risk(actor=cast.author, soup=soup, risk=risks[which])
    assert (list(soup.risks.all()), event_count()) == ([], before)


@pytest.mark.verifies("DES-041")
def test_a_risk_of_the_device_is_linked(cast, soup, risks):  # noqa: F811
    software.link_soup_risk(actor=cast.author, soup=soup, risk=risks["own"])
    event = last_event()
    assert (event.action, changes_of(event)) == (
        "design.soup.risk_linked",
        {"risks": [None, "RhythmCheck RISK-1"]},
    )
    assert [r.uid for r in soup.risks.all()] == ["RISK-1"]
