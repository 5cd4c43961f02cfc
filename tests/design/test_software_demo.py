"""Demo step 64: RhythmCheck's class B software, its checklist partly evidenced and two
SBOMs, leaving exactly two SOUP items waiting for review; running it again adds nothing."""

import pytest

from openqms.core import actions as core_actions
from openqms.core.demo import DEMO_PASSWORD
from openqms.core.models import Role
from openqms.design.demo import software as demo
from openqms.design.models import SbomImport, SoftwareSystem, SoupItem
from openqms.design.models.software import checklist
from openqms.testing import event_count
from tests.design.test_software_systems import device  # noqa: F401


@pytest.mark.verifies("DES-043")
def test_the_demo_leaves_two_soup_items_needing_review(cast, device):  # noqa: F811
    core_actions.create_user(
        actor=None,
        username="qa",
        full_name="Quinn Avery",
        email="qa@example.test",
        password=DEMO_PASSWORD,
        roles=[Role.objects.get(code="qa_lead")],
        reason="demo",
    )
    demo.run()
    system = SoftwareSystem.objects.get()
    assert (system.device, system.safety_class) == (device, "B")
    waiting = SoupItem.objects.filter(system=system, state="needs_review")
    assert sorted(waiting.values_list("name", flat=True)) == ["py-ecg-detectors", "scipy"]
    states = [row.state for row in checklist(system)]
    assert 0 < states.count("evidence given") < len(states)
    assert SbomImport.objects.count() == 2
    before = event_count()
    demo.run()
    assert event_count() == before
