"""A SOUP item's requirements and the risks it contributes to: audited, and a link to
something that is not a risk is refused without writing."""

from pathlib import Path

import pytest

from openqms.core.errors import InvalidInput
from openqms.design.actions import items as design
from openqms.design.actions import software
from openqms.design.models import SoupItem
from openqms.design.sbom import ingest_sbom
from openqms.testing import changes_of, event_count, last_event
from tests.design.conftest import item
from tests.design.test_software_systems import device, system  # noqa: F401

FIRST = (Path(__file__).parent / "files" / "sbom-first.json").read_bytes()


@pytest.fixture
def soup(cast, system):  # noqa: F811
    ingest_sbom(actor=cast.author, system=system, data=FIRST, file_name="a.json")
    return SoupItem.objects.get(system=system, name="scipy")


@pytest.fixture
def project(cast, device):  # noqa: F811
    return design.create_project(actor=cast.author, name="RhythmCheck", device=device)


@pytest.mark.verifies("DES-041")
def test_requirements_are_recorded_and_audited(cast, soup):
    software.edit_soup(actor=cast.author, soup=soup, requirements="Butterworth filters, 500 Hz.")
    event = last_event()
    assert event.action == "design.soup.edited"
    assert changes_of(event) == {"requirements": ["", "Butterworth filters, 500 Hz."]}


@pytest.mark.verifies("DES-041")
def test_a_risk_is_linked_and_a_requirement_is_refused(cast, soup, project):
    risk = item(cast, project, "RISK-1", "risk")
    need = item(cast, project, "UN-1", "user_need")
    software.link_soup_risk(actor=cast.author, soup=soup, risk=risk)
    event = last_event()
    assert (event.action, changes_of(event)) == (
        "design.soup.risk_linked",
        {"risks": [None, "RhythmCheck RISK-1"]},
    )
    before = event_count()
    with pytest.raises(InvalidInput, match="UN-1 is not a risk"):
        software.link_soup_risk(actor=cast.author, soup=soup, risk=need)
    assert ([r.uid for r in soup.risks.all()], event_count()) == (["RISK-1"], before)
