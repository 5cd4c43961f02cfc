"""The design demo steps: RhythmCheck's design project with its items across the levels,
traced end to end, authored by the demo's engineer; after release one requirement
clarified, so exactly one link is suspect; seeding again adds nothing."""

from collections import Counter

import pytest

from openqms.core import chain
from openqms.core.demo import seed_demo
from openqms.design.demo.pages import CLARIFIED, NAME
from openqms.design.models import DesignProject, Item, Link, LinkState


@pytest.mark.verifies("DES-043")
def test_the_demo_builds_rhythmchecks_design_project_once(db, settings):
    settings.PASSWORD_HASHERS = ["openqms.testing.FastArgon2PasswordHasher"]
    seed_demo()
    project = DesignProject.objects.get(name=NAME)
    assert project.device is not None and project.device.name == "RhythmCheck"
    assert project.created_by.username == "author"
    # The design story's own items (the risk file adds RISK-, RC- and, for controls with
    # no requirement of the story, REQ-RC- and TEST-RC- items: test_risk_demo).
    items = Item.objects.filter(project=project).exclude(uid__contains="RC-")
    items = items.exclude(uid__startswith="RISK-")
    counts = Counter(items.values_list("item_type__code", flat=True))
    assert {k: counts[k] for k in ["user_need", "design_input", "design_output"]} == {
        "user_need": 8,
        "design_input": 18,
        "design_output": 12,
    }
    assert (counts["verification"], counts["validation"]) == (18, 4)
    # The design story's own links (the risk file's controls add theirs: test_risk_demo).
    risky = ["risk", "risk_control"]
    links = Link.objects.filter(project=project).exclude(source__item_type__code__in=risky)
    links = links.exclude(target__item_type__code__in=risky).exclude(source__uid__contains="RC-")
    assert links.count() == 17 + 12 + 18 + 8
    [suspect] = links.filter(state=LinkState.SUSPECT)
    assert (suspect.source.uid, suspect.target.uid) == ("TEST-18", CLARIFIED)
    assert items.get(uid=CLARIFIED).version == 2
    assert chain.verify_chain().ok
    before = (Item.objects.count(), Link.objects.count())
    seed_demo()
    assert (Item.objects.count(), Link.objects.count()) == before  # twice adds nothing
    assert Item.objects.get(uid=CLARIFIED).version == 2
