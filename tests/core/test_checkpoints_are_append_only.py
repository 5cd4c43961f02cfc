"""The database refuses to change or delete a checkpoint, as it refuses it for events:
removing one takes someone who can drop triggers (and verify still names it)."""

import pytest
from django.db import DatabaseError, connection, transaction

from openqms.core.models import Checkpoint
from tests.core.anchoring import checkpointed


def test_a_checkpoint_cannot_be_updated(db):
    (checkpoint,) = checkpointed(2)
    with pytest.raises(DatabaseError, match="refused"), transaction.atomic():
        Checkpoint.objects.filter(pk=checkpoint.pk).update(seq=1)
    assert Checkpoint.objects.get().seq == 2


def test_a_checkpoint_cannot_be_deleted(db):
    checkpointed(2)
    with pytest.raises(DatabaseError, match="refused"), transaction.atomic():
        Checkpoint.objects.all().delete()
    assert Checkpoint.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE triggers are PostgreSQL's")
def test_checkpoints_cannot_be_truncated(db):
    checkpointed(2)
    with (
        pytest.raises(DatabaseError, match="refused"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE core_checkpoint")
    assert Checkpoint.objects.count() == 1
