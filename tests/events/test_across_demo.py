"""The demo's frame for quality events: two procedures in force, the people who perform
events steps trained on them, every kind following one; idempotent; the chain intact."""

import pytest

from openqms.core import chain
from openqms.core.demo import seed_demo
from openqms.core.errors import TransitionNotAllowed
from openqms.core.models import User
from openqms.events.actions.common import require_performer
from openqms.events.demo import COMPLAINTS, NC_CAPA, PERFORMERS
from openqms.events.kinds import KINDS
from openqms.events.models import EventProcedure, EventRecord


class _Record:
    """A record of a kind (its area's model may not be installed in this branch)."""

    governing_document_ids = EventRecord.governing_document_ids

    def __init__(self, kind):
        self.KIND = kind


@pytest.mark.verifies("EVT-044")
def test_the_demo_sets_trained_procedures_for_every_kind(db, settings):
    settings.PASSWORD_HASHERS = ["openqms.testing.FastArgon2PasswordHasher"]
    seed_demo()
    follows = dict(EventProcedure.objects.values_list("kind", "document__title"))
    assert follows == {
        k: (NC_CAPA if k in ("nonconformity", "capa") else COMPLAINTS) for k in KINDS
    }
    for username in PERFORMERS:
        person = User.objects.get(username=username)
        for kind in KINDS:
            require_performer(person, _Record(kind))  # trained: no refusal
    trainee = User.objects.get(username="trainee")  # performs no events step in the demo
    with pytest.raises(TransitionNotAllowed):
        require_performer(trainee, _Record("complaint"))
    assert chain.verify_chain().ok
    seed_demo()
    assert EventProcedure.objects.count() == len(KINDS)
