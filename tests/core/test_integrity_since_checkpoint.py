"""`openqms verify --since-checkpoint` checks the chain and the signatures only past the
newest checkpoint that holds, while the reconciliation still reads every record."""

from openqms.core import checkpoints, integrity
from openqms.documents import actions as documents
from openqms.training.models import CompetenceRecord
from tests import integrity_world
from tests.training.conftest import SIGN


def test_only_newer_signatures_are_checked_but_every_record_is_reconciled(cast):
    world = integrity_world.build(cast)
    checkpoints.make_checkpoint()
    documents.take_step(
        actor=cast.reviewer, revision=world.in_review, step="review", credentials=SIGN
    )
    CompetenceRecord.objects.update(expires_on="2099-01-01")
    full = {s.name: s for s in integrity.run().sections}
    quick = {s.name: s for s in integrity.run(since_checkpoint=True).sections}
    assert (full["signatures"].checked, quick["signatures"].checked) == (7, 1)
    assert (
        quick["audit chain and checkpoints"].checked < full["audit chain and checkpoints"].checked
    )
    assert not quick["training: competence records"].ok  # reconciled in full all the same
