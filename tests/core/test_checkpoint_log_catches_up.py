"""A checkpoint that committed but whose log line was lost (the process died, the disk
failed) is named by verify, and appended by the next checkpoint run."""

from unittest import mock

import pytest

from openqms.core import checkpoint_log, checkpoints
from openqms.core.models import Checkpoint
from openqms.testing import record_events
from tests.core.anchoring import checkpointed, log_lines


def test_a_lost_line_is_named_then_appended_by_the_next_run(db):
    checkpointed(3)
    record_events(2)
    with (
        mock.patch.object(checkpoint_log, "append", side_effect=OSError("disk full")),
        pytest.raises(OSError, match="disk full"),
    ):
        checkpoints.make_checkpoint()
    lost = Checkpoint.objects.order_by("-id").first()
    assert lost.seq == 5  # committed
    problems = checkpoints.verify_anchored().problems
    assert problems == [
        f"checkpoint log missing a line: checkpoint #{lost.pk} of "
        f"{checkpoint_log.format_time(lost.at)} (up to #5) is in the database but not in the "
        "checkpoint log."
    ]
    assert checkpoints.make_checkpoint() is None  # nothing new to sign, but caught up
    assert len(log_lines()) == 2
    assert checkpoints.verify_anchored().ok


def test_a_forged_row_is_never_appended_nor_built_on(db):
    checkpointed(3)
    last = Checkpoint.objects.get()
    Checkpoint.objects.create(
        seq=3,
        head_hash=last.head_hash,
        at=last.at,
        counts=last.counts,
        key_id=last.key_id,
        previous=last.signature,
        signature="Zm9yZ2Vk",
    )
    record_events(1)
    with pytest.raises(checkpoints.CheckpointRefused) as refused:
        checkpoints.make_checkpoint()
    assert refused.value.message.startswith(
        "Refusing to sign a checkpoint: the last one, checkpoint #"
    )
    assert "does not match its signature" in refused.value.message
    assert len(log_lines()) == 1 and "Zm9yZ2Vk" not in log_lines()[0]


def test_an_empty_log_is_not_rebuilt_from_the_database_unasked(db, settings):
    checkpointed(2, 2)
    settings.CHECKPOINT_LOG.unlink()
    record_events(1)
    with pytest.raises(checkpoints.CheckpointRefused, match="is empty but the database holds 2"):
        checkpoints.make_checkpoint()
    assert not settings.CHECKPOINT_LOG.read_text()
    made = checkpoints.make_checkpoint(append_missing=True)
    assert made.seq == 5
    assert len(log_lines()) == 3
    assert checkpoints.verify_anchored().ok
