"""The nonconformance demo step: an incoming adhesive lot used as is under a signed
concession, and a release build released after rework; seeding again adds nothing."""

import pytest

from openqms.core import chain
from openqms.core.demo import seed_demo
from openqms.events.demo.nonconformance import ADHESIVE, MANIFEST
from openqms.events.models import Nonconformity
from openqms.suppliers.models import PerformanceRecord


@pytest.mark.verifies("EVT-044")
def test_the_demo_tells_the_nonconformance_story_once(db, settings):
    settings.PASSWORD_HASHERS = ["openqms.testing.FastArgon2PasswordHasher"]
    seed_demo()
    adhesive = Nonconformity.objects.get(title=ADHESIVE)
    assert adhesive.supplier.name == "Medipatch Adhesives Ltd"
    assert adhesive.disposition == "use_as_is" and adhesive.concession_at is not None
    assert adhesive.concession_by.username == "manager"
    build = Nonconformity.objects.get(title=MANIFEST)
    assert build.state == "closed" and build.reverification_passed
    assert not PerformanceRecord.objects.filter(source="nonconformance").exists()
    assert chain.verify_chain().ok
    seed_demo()
    assert Nonconformity.objects.count() == 2
