"""The evidence demo step: every verification and validation item of RhythmCheck passes
in "release 1.0"; nothing without the baseline; idempotent."""

import pytest

from openqms.core.models import User
from openqms.design.demo import evidence as demo
from openqms.design.evidence_status import status_of
from openqms.design.models import TestRun
from tests.design.conftest import item
from tests.design.evidence_setup import open_baseline


@pytest.mark.verifies("DES-043")
def test_the_demo_passes_every_verification_item_once(cast, project):
    User.objects.filter(pk=cast.author.pk).update(username="author")
    tests = [
        item(cast, project, uid, t)
        for uid, t in [("TEST-1", "verification"), ("VAL-2", "validation")]
    ]
    item(cast, project, "REQ-1", "design_input")
    demo.run()
    assert TestRun.objects.count() == 0  # no baseline yet: the baselines demo makes it
    open_baseline(project, cast.qa_lead)
    demo.run()
    demo.run()
    run = TestRun.objects.get()
    assert (run.cases, run.linked, run.commit) == (2, 2, demo.COMMIT)
    assert {s for s, _ in status_of([t.pk for t in tests]).values()} == {"passed"}
